"""The search benchmark's machinery, run small on the active database (PostgreSQL or SQLite).

Only that it runs and reports: every row, every target, numbers where numbers belong. How
fast anything is belongs to `bench/search.py` itself, not to a test."""

import json
import math
import re

import pytest

from bench import corpus
from bench import search as bench

SMOKE_QUERIES = [
    "community",
    '"participatory budgeting"',
    "spolecznosci lokalnych",
    "الحكومات المحلية",
    "ადგილობრივი თვითმმართველობის",
]
NUMBER = r"-?\d[\d,]*\.\d+"


@pytest.fixture
def database_search(settings):
    # The benchmark measures the database backend, never a configured cluster.
    settings.SEARCH_BACKEND = {"BACKEND": "search.backends.database.DatabaseBackend"}


def test_corpus_is_deterministic_and_multilingual():
    first = list(corpus.generate(600, seed=11))
    again = list(corpus.generate(600, seed=11))
    other = list(corpus.generate(600, seed=12))

    assert first == again
    assert first != other
    assert [item.pk for item in first] == list(range(1, 601))
    languages = {item.language for item in first}
    assert {"en", "ar", "mk", "ro", "pl", "ka"} <= languages
    assert {item.object_type for item in first} == {"practice", "guide", "organisation"}
    seed_sources = {item.source for item in first if item.language in {"ar", "ka"}}
    assert all(source.endswith(".txt") for source in seed_sources)
    participedia = [item for item in first if item.language == "en"]
    assert all(item.source.startswith("https://participedia.net/") for item in participedia)
    assert all(item.countries and item.themes for item in first)
    assert all(re.fullmatch(r"[A-Z]{2}", code) for item in first for code in item.countries)


@pytest.mark.django_db
def test_benchmark_runs_and_reports_every_row(database_search, tmp_path):
    from search.models import SearchDocument

    result = bench.run_benchmark(200, queries=SMOKE_QUERIES, repeat=1, warmup=1)

    assert SearchDocument.objects.count() == 200
    assert result["build"]["documents"] == 200
    assert result["build"]["docs_per_s"] > 0

    rows = {row["name"]: row for row in result["rows"]}
    assert list(rows) == [name for name, _ in bench.ROWS]
    for row in rows.values():
        assert row["queries"] == len(SMOKE_QUERIES)
        assert row["p50_ms"] > 0 and row["p95_ms"] >= row["p50_ms"]
    # The same documents answer every system: where they analyse text alike, they agree.
    community = {name: row["per_query"]["community"]["total"] for name, row in rows.items()}
    assert community["api+facets"] > 20
    assert (
        community["api+facets"]
        == community["api no facets"]
        == community["raw floor"]
        == community["raw floor+facets"]
    )
    assert community["wagtail stock"] > 0
    # Diacritic-free Polish is found by the API, not by Wagtail's stock search.
    polish = {
        name: row["per_query"]["spolecznosci lokalnych"]["total"] for name, row in rows.items()
    }
    assert polish["api+facets"] > 0
    assert polish["wagtail stock"] == 0

    table = bench.format_table(result)
    lines = table.splitlines()
    for name, _ in bench.ROWS:
        line = next(line for line in lines if line.startswith(f"{name} "))
        p50, p95, count = re.match(
            rf"{re.escape(name)}\s+({NUMBER})\s+({NUMBER})\s+(\d+)", line
        ).groups()
        assert float(p50) <= float(p95)
        assert int(count) == len(SMOKE_QUERIES)
    assert re.search(rf"index build: 200 documents in {NUMBER} s = [\d,]+ docs/s", table)

    verdict = re.compile(rf"\s(met|NOT met)(\s+{NUMBER}x)?$")
    targets = [line for line in lines if verdict.search(line)]
    assert len(targets) == len(result["targets"]) == 5
    for line, check in zip(targets, result["targets"], strict=True):
        assert line.startswith(check["name"])
        assert not math.isnan(check["value"])
        value = re.search(rf"({NUMBER})x?\s", line[len(check["name"]) :]).group(1)
        assert float(value.replace(",", "")) == pytest.approx(check["value"], rel=0.01, abs=0.06)
        assert (verdict.search(line).group(1) == "met") == check["met"]

    path = bench.write_json(result, directory=tmp_path)
    assert json.loads(path.read_text())["build"]["documents"] == 200
