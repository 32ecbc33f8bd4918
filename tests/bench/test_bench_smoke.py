"""The search benchmark's machinery, run small on the active database (PostgreSQL or SQLite).

Only that it runs and reports: every row, every target, numbers where numbers belong. How
fast anything is belongs to `bench/search.py` itself, not to a test."""

import json
import math
import os
import re

import pytest

from bench import corpus
from bench import search as bench
from tests.requirements import skip_unless_available

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


# Without an engine URL, the database backend's rows only.
DATABASE_ROWS = [name for name, _ in bench.ROWS if not name.startswith("engine")]


@pytest.mark.django_db
def test_benchmark_runs_and_reports_every_row(database_search, tmp_path):
    from search.models import SearchDocument

    result = bench.run_benchmark(200, queries=SMOKE_QUERIES, repeat=1, warmup=1)

    assert SearchDocument.objects.count() == 200
    assert result["build"]["documents"] == 200
    assert result["build"]["docs_per_s"] > 0

    rows = {row["name"]: row for row in result["rows"]}
    assert list(rows) == DATABASE_ROWS
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
    for name in DATABASE_ROWS:
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


ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")


@pytest.mark.elasticsearch
@pytest.mark.django_db
def test_the_engine_rows_are_measured_on_a_real_engine(database_search):
    """The same documents bulk-indexed into Elasticsearch and the API answered by it, in an
    index of the bench's own that is deleted afterwards."""
    skip_unless_available(
        "elasticsearch",
        bool(ELASTICSEARCH_URL),
        "ELASTICSEARCH_URL is not set (Elasticsearch cannot be installed on this machine)",
    )
    result = bench.run_benchmark(
        200, queries=SMOKE_QUERIES, repeat=1, warmup=1, with_wagtail=False,
        engine_url=ELASTICSEARCH_URL,
    )  # fmt: skip

    assert result["engine"]["documents"] == 200
    assert result["engine"]["docs_per_s"] > 0
    engine = next(row for row in result["rows"] if row["name"] == "engine api+facets")
    assert engine["queries"] == len(SMOKE_QUERIES)
    assert engine["per_query"]["community"]["total"] > 20
    names = [check["name"] for check in result["targets"]]
    assert names[-2:] == ["engine p95 with facets at 200 (ms)", "engine bulk indexing (docs/s)"]
    table = bench.format_table(result)
    assert re.search(rf"engine api\+facets\s+{NUMBER}\s+{NUMBER}\s+{len(SMOKE_QUERIES)}", table)
    prefix = bench.engine_prefix(result["head"]["database"])
    from elasticsearch import Elasticsearch

    with Elasticsearch(ELASTICSEARCH_URL) as client:
        assert client.indices.get(index=f"{prefix}-items-*", allow_no_indices=True).body == {}


@pytest.mark.elasticsearch
@pytest.mark.django_db
def test_an_engine_only_index_kept_is_measured_again_without_loading(database_search):
    """`--engine-only --keep-engine-index` leaves its index; `--engine-only --reuse` measures
    that index's searches again and loads nothing (no bulk figure), and leaves it too."""
    skip_unless_available(
        "elasticsearch",
        bool(ELASTICSEARCH_URL),
        "ELASTICSEARCH_URL is not set (Elasticsearch cannot be installed on this machine)",
    )
    from elasticsearch import Elasticsearch

    def run(**options):
        return bench.run_benchmark(
            150, queries=SMOKE_QUERIES, repeat=1, warmup=0, engine_url=ELASTICSEARCH_URL,
            engine_only=True, **options,
        )  # fmt: skip

    with Elasticsearch(ELASTICSEARCH_URL) as client:
        try:
            kept = run(keep_engine_index=True)
            (index,) = client.indices.get_alias(name="bench-engine-150-items").body
            again = run(reuse=True)
            assert client.indices.get_alias(name="bench-engine-150-items").body.keys() == {index}
        finally:
            # The engine deletes indices by name only.
            left = client.indices.get(index="bench-engine-150-items-*", allow_no_indices=True)
            if left.body:
                client.indices.delete(index=",".join(left.body))

    assert kept["engine"]["docs_per_s"] > 0
    assert again["engine"]["documents"] == 150
    assert again["engine"]["docs_per_s"] is None
    names = [check["name"] for check in again["targets"]]
    assert names == ["engine p95 with facets at 150 (ms)"]
    per_query = again["rows"][0]["per_query"]
    assert per_query["community"]["total"] == kept["rows"][0]["per_query"]["community"]["total"]
    assert "engine bulk indexing: not measured (--reuse: the 150 documents" in (
        bench.format_table(again)
    )


@pytest.mark.django_db
def test_engine_only_documents_carry_the_forms_a_whole_analysis_gives(database_search):
    """`--engine-only` analyses each distinct source sentence once: the forms it stores are
    exactly those of analysing each document's texts whole."""
    from search import analysis

    documents = list(bench.unsaved_documents(300, seed=7))
    assert len(documents) == 300
    for document in documents:
        for part in ("title", "summary", "body"):
            whole = analysis.index_terms(getattr(document, part), document.language)
            assert getattr(document, f"{part}_terms") == whole, (document.key, part)
    assert sum(1 for document in documents if document.body_terms) > 250


@pytest.mark.elasticsearch
@pytest.mark.django_db
def test_engine_layout_measures_the_rebuilt_index_then_one_segment(database_search):
    """bench/engine_layout.py: the rebuild's segments, the API measured on them, the same
    index merged into one segment and measured twice more, then deleted."""
    skip_unless_available(
        "elasticsearch",
        bool(ELASTICSEARCH_URL),
        "ELASTICSEARCH_URL is not set (Elasticsearch cannot be installed on this machine)",
    )
    from bench import engine_layout

    result = engine_layout.run(200, ELASTICSEARCH_URL, repeat=1, warmup=0)

    assert result["rebuild"]["documents"] == 200
    assert sum(result["rebuilt_segments"]) == 200
    assert result["merge_to_one"]["segments"] == [200]
    layouts = result["layouts"]
    assert [layout["layout"] for layout in layouts] == [
        "as rebuilt",
        "one segment",
        "one segment, again",
    ]
    for layout in layouts:
        assert layout["p95_ms"] >= layout["p50_ms"] > 0
        assert set(layout["per_query_p50_ms"]) == set(bench.DEFAULT_QUERIES)
    from elasticsearch import Elasticsearch

    with Elasticsearch(ELASTICSEARCH_URL) as client:
        assert client.indices.get(index="bench-layout-items-*", allow_no_indices=True).body == {}
