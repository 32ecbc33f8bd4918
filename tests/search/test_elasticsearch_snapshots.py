"""Elasticsearch layer 1 and 2: the index body (analyzers and mapping) and the request bodies
the backend builds, compared with committed snapshots in tests/search/es_snapshots/.

A snapshot changes only on purpose: after changing search/documents.py or the query
building, run

    UPDATE_ES_SNAPSHOTS=1 .venv/bin/pytest tests/search/test_elasticsearch_snapshots.py

and review the diff of tests/search/es_snapshots/ like code. Besides the snapshots, the
facts that matter are asserted one by one, so a careless snapshot update cannot hide them.

No cluster and no database: these bodies are built in memory."""

import json
import os
from pathlib import Path

import pytest

from search.backends.base import FACETS, SearchQuery
from search.backends.elasticsearch import MAX_RESULT_WINDOW, ElasticsearchBackend
from search.documents import ANALYZED_LANGUAGES, TEXT_PARTS

SNAPSHOTS = Path(__file__).parent / "es_snapshots"
UPDATE = os.environ.get("UPDATE_ES_SNAPSHOTS") == "1"


def assert_snapshot(name, data):
    path = SNAPSHOTS / f"{name}.json"
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with UPDATE_ES_SNAPSHOTS=1 to create it"
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert json.loads(text) == expected, (
        f"{name} differs from {path}; if the change is intended, run with UPDATE_ES_SNAPSHOTS=1"
    )


@pytest.fixture
def backend():
    # Never contacted: building request bodies needs no connection.
    return ElasticsearchBackend("http://127.0.0.1:9", "practice-commons", polish_stempel=False)


# --- Layer 1: settings, analyzers and mapping ----------------------------------------------


def test_index_body_matches_snapshot(backend):
    assert_snapshot("index_body", backend.index_body(polish_stempel=False))


def test_index_body_with_stempel_matches_snapshot(backend):
    assert_snapshot("index_body_polish_stempel", backend.index_body(polish_stempel=True))


def test_arabic_analyzer_normalises_before_stemming(backend):
    analyzer = backend.index_body()["settings"]["analysis"]["analyzer"]["text_ar"]
    filters = analyzer["filter"]
    assert "arabic_normalization" in filters
    assert filters.index("arabic_normalization") < filters.index("arabic_stemmer")


def test_each_language_has_its_analyzer_and_stemmers_where_elasticsearch_has_one(backend):
    analysis = backend.index_body()["settings"]["analysis"]
    analyzers = analysis["analyzer"]
    for language in ANALYZED_LANGUAGES:
        assert f"text_{language}" in analyzers
    stemmers = {
        name: spec["language"]
        for name, spec in analysis["filter"].items()
        if spec["type"] == "stemmer"
    }
    assert {"arabic", "english", "romanian", "turkish"} <= set(stemmers.values())
    assert analysis["filter"]["turkish_lowercase"] == {"type": "lowercase", "language": "turkish"}
    assert "turkish_lowercase" in analyzers["text_tr"]["filter"]
    for language in ("ka", "mk"):
        assert analyzers[f"text_{language}"]["filter"] == ["lowercase", "asciifolding"]


def test_romanian_cedilla_is_read_as_comma_below(backend):
    analysis = backend.index_body()["settings"]["analysis"]
    assert "romanian_comma_below" in analysis["analyzer"]["text_ro"]["char_filter"]
    assert "romanian_comma_below" in analysis["analyzer"]["folded"]["char_filter"]
    mappings = analysis["char_filter"]["romanian_comma_below"]["mappings"]
    assert "ş => ș" in mappings and "ţ => ț" in mappings


def test_polish_uses_stempel_only_when_the_cluster_has_it(backend):
    without = backend.index_body(polish_stempel=False)
    with_stempel = backend.index_body(polish_stempel=True)
    assert without["settings"]["analysis"]["analyzer"]["text_pl"]["filter"] == [
        "lowercase",
        "asciifolding",
    ]
    assert "polish_stem" in with_stempel["settings"]["analysis"]["analyzer"]["text_pl"]["filter"]
    # Only the analyzer differs: documents indexed either way have the same fields.
    assert without["mappings"] == with_stempel["mappings"]


def test_every_text_field_has_a_folded_sub_field(backend):
    body = backend.index_body()
    properties = body["mappings"]["properties"]
    folded = body["settings"]["analysis"]["analyzer"]["folded"]
    assert folded["filter"][:2] == ["asciifolding", "lowercase"]
    assert "arabic_normalization" in folded["filter"]
    for part in TEXT_PARTS:
        for language in ANALYZED_LANGUAGES:
            field = properties[f"{part}_{language}"]
            assert field["type"] == "text"
            assert field["analyzer"] == f"text_{language}"
            assert field["fields"]["folded"] == {"type": "text", "analyzer": "folded"}


def test_suggestions_facets_and_labels_have_the_right_field_types(backend):
    body = backend.index_body()
    properties = body["mappings"]["properties"]
    assert properties["suggest"] == {"type": "search_as_you_type", "analyzer": "folded"}
    for name in (
        "themes",
        "countries",
        "type",
        "language",
        "year",
        "status",
        "organisation",
        "key",
    ):
        assert properties[name] == {"type": "keyword"}, name
    # Sorted on, never searched (its words are in the per-language title fields).
    assert properties["title"] == {"type": "keyword", "index": False}
    for name in ("theme_labels", "country_labels", "organisation_name"):
        assert properties[name] == {"type": "text", "analyzer": "folded"}, name
    assert properties["url"] == {"type": "keyword", "index": False}
    assert properties["published_at"] == {"type": "date"}
    assert body["mappings"]["dynamic"] == "strict"
    assert body["settings"]["number_of_shards"] == 1


# --- Layer 2: request bodies ------------------------------------------------------------------

QUERIES = {
    "text_only": SearchQuery(text="participatory budgeting"),
    "text_and_filters": SearchQuery(
        text="партиципативно буџетирање",
        themes=("participatory-budgeting", "youth"),
        countries=("mk", "GE"),
        types=("practice",),
        languages=("mk",),
        years=(2021, 2022),
        organisations=("skopje-municipality",),
    ),
    "facets_only": SearchQuery(themes=("green-transition",)),
    "no_facets": SearchQuery(text="budżet", with_facets=False),
    "newest": SearchQuery(text="الموازنة التشاركية", sort="newest", ui_language="ar"),
    "page_3": SearchQuery(text="budget", page=3, page_size=10),
    "library_listing": SearchQuery(
        types=("practice",),
        languages=("en",),
        statuses=("ongoing", "planned"),
        sort="title",
        page_size=12,
    ),
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_search_body_matches_snapshot(backend, name):
    assert_snapshot(f"search_{name}", backend.build_search(QUERIES[name])._s.to_dict())


def test_text_query_weights_title_over_summary_over_body_in_every_language(backend):
    body = backend.build_search(QUERIES["text_only"])._s.to_dict()
    match = body["query"]["multi_match"]
    assert match["query"] == "participatory budgeting"
    fields = dict(field.split("^") for field in match["fields"] if "^" in field)
    for language in ANALYZED_LANGUAGES:
        title, summary, text = (float(fields[f"{p}_{language}"]) for p in TEXT_PARTS)
        assert title > summary > text
        assert float(fields[f"title_{language}.folded"]) < title
    assert {"theme_labels", "country_labels"} <= set(match["fields"])
    assert body["highlight"]["pre_tags"] == ["<mark>"]
    assert body["highlight"]["post_tags"] == ["</mark>"]
    assert body["highlight"]["encoder"] == "html"
    assert body["track_total_hits"] is True
    assert body["sort"][0] == "_score"


def test_filters_are_or_within_a_facet_and_and_between_facets(backend):
    body = backend.build_search(QUERIES["text_and_filters"])._s.to_dict()
    post_filter = body["post_filter"]["bool"]["must"]
    assert {"terms": {"themes": ["participatory-budgeting", "youth"]}} in post_filter
    assert {"terms": {"countries": ["MK", "GE"]}} in post_filter
    assert {"terms": {"year": ["2021", "2022"]}} in post_filter
    # Each facet counts with the other facets' filters, not its own.
    theme_filter = body["aggs"]["_filter_theme"]["filter"]["bool"]["must"]
    assert {"terms": {"countries": ["MK", "GE"]}} in theme_filter
    assert all("themes" not in clause.get("terms", {}) for clause in theme_filter)
    # The organisation is a plain filter: it narrows the hits and every facet.
    assert body["query"]["bool"]["filter"] == [{"terms": {"organisation": ["skopje-municipality"]}}]
    # A language filter narrows the text fields to that language's.
    fields = body["query"]["bool"]["must"][0]["multi_match"]["fields"]
    assert "title_mk^3" in fields and not any(field.startswith("title_ka") for field in fields)


def test_facets_are_left_out_when_not_wanted(backend):
    assert "aggs" not in backend.build_search(QUERIES["no_facets"])._s.to_dict()
    facets = backend.build_search(QUERIES["facets_only"])._s.to_dict()["aggs"]
    assert set(facets) == {f"_filter_{name}" for name in FACETS}


def test_newest_sorts_by_publication_date_and_still_scores(backend):
    body = backend.build_search(QUERIES["newest"])._s.to_dict()
    assert body["sort"][0] == {"published_at": {"order": "desc", "missing": "_last"}}
    assert body["track_scores"] is True


def test_a_listing_filters_by_status_and_sorts_by_title(backend):
    body = backend.build_search(QUERIES["library_listing"])._s.to_dict()
    assert {"terms": {"status": ["ongoing", "planned"]}} in body["post_filter"]["bool"]["must"]
    assert "status" in body["aggs"]["_filter_status"]["aggs"]
    assert body["sort"] == ["title", "key"]


def test_paging_and_the_result_window(backend):
    body = backend.build_search(QUERIES["page_3"])._s.to_dict()
    assert (body["from"], body["size"]) == (20, 10)
    deep = backend.build_search(SearchQuery(text="x", page=1000, page_size=100))._s.to_dict()
    assert deep["from"] + deep["size"] <= MAX_RESULT_WINDOW


def test_more_like_this_body_matches_snapshot(backend):
    body = backend.more_like_this_search("practice:41:ka", limit=5).to_dict()
    assert_snapshot("more_like_this", body)
    query = body["query"]["bool"]
    assert query["must"][0]["more_like_this"]["like"] == [
        {"_index": "practice-commons-items", "_id": "practice:41:ka"}
    ]
    # The same practice in other languages is a translation, not a related practice.
    assert query["must_not"] == [{"prefix": {"key": "practice:41:"}}]
    assert body["size"] == 5


def test_suggest_body_matches_snapshot(backend):
    body = backend.suggest_search("budż", language="pl", limit=8).to_dict()
    assert_snapshot("suggest", body)
    match = body["query"]["bool"]["must"][0]["multi_match"]
    assert match["type"] == "bool_prefix"
    assert match["fields"] == ["suggest", "suggest._2gram", "suggest._3gram"]
    assert body["query"]["bool"]["filter"] == [{"term": {"language": "pl"}}]
