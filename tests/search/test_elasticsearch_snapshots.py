"""Elasticsearch layer 1 and 2: the index body (settings and mapping) and the request bodies
the backend builds, compared with committed snapshots in tests/search/es_snapshots/.

A snapshot changes only on purpose: after changing search/documents.py or the query
building, run

    UPDATE_ES_SNAPSHOTS=1 .venv/bin/pytest tests/search/test_elasticsearch_snapshots.py

and review the diff of tests/search/es_snapshots/ like code. Besides the snapshots, the
facts that matter are asserted one by one, so a careless snapshot update cannot hide them.

No cluster and no database: these bodies are built in memory."""

import dataclasses
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from search import analysis
from search.backends.base import FACETS, SearchQuery
from search.backends.elasticsearch import (
    MAX_RESULT_WINDOW,
    RELAXED_RANK_WEIGHT,
    ElasticsearchBackend,
    parse_query,
    term_query,
)
from search.documents import TEXT_PARTS, SearchItem, search_fields
from search.models import SearchDocument

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
    return ElasticsearchBackend("http://127.0.0.1:9", "practice-commons")


# --- Layer 1: settings, analyzers and mapping ----------------------------------------------


def test_index_body_matches_snapshot(backend):
    assert_snapshot("index_body", backend.index_body())


def test_the_index_needs_no_analysis_module(backend):
    """Text is analysed in Python (search.analysis), as for the database backend: the index
    defines no analyzer and uses only Elasticsearch's built-in `whitespace`, which the
    server has without its analysis-common module."""
    body = backend.index_body()
    assert "analysis" not in body["settings"]
    analyzers = {
        spec["analyzer"] for spec in body["mappings"]["properties"].values() if "analyzer" in spec
    }
    assert analyzers == {"whitespace"}


def test_text_is_searched_through_its_analysed_terms_and_kept_as_written(backend):
    properties = backend.index_body()["mappings"]["properties"]
    for part in TEXT_PARTS:
        assert properties[f"{part}_terms"] == {"type": "text", "analyzer": "whitespace"}
    # The text as written is kept for the hit; the title as a keyword, for sorting by title.
    assert properties["title"] == {"type": "keyword", "index": False}
    for part in ("summary", "body"):
        assert properties[part] == {"type": "text", "index": False}


def test_documents_hold_the_terms_of_the_database_backends_analysis():
    document = SearchDocument(
        key="practice:1:ro",
        object_type="practice",
        object_id=1,
        language="ro",
        title="Şedinţă publică",
        summary="",
        body="",
        theme_labels=["Bugetare participativă"],
    )
    item = SearchItem.from_search_document(document).to_dict()
    assert item["title"] == "Şedinţă publică"
    assert item["title_terms"] == analysis.index_terms("Şedinţă publică", "ro")
    assert {"ședință", "sedinta"} <= set(item["title_terms"].split())
    assert item["theme_labels"] == ["bugetare participativă bugetare participativa"]
    # Completion matches the title's folded words, in its folded sequence.
    assert "sedinta publica" in item["title_terms"]


def test_the_shipped_source_is_the_documents_own_and_fits_the_mapping():
    from datetime import UTC, datetime

    document = SearchDocument(
        key="guide:3:en",
        object_type="guide",
        object_id=3,
        language="en",
        title="Citizens' juries",
        summary="",
        body="How to run one",
        themes=["deliberation"],
        countries=[],
        year=None,
        organisation_name="",
        published_at=datetime(2024, 5, 1, tzinfo=UTC),
        updated_at=datetime(2026, 12, 2, tzinfo=UTC),
    )
    source = SearchItem.source_of(document)
    item = SearchItem.from_search_document(document)
    item.full_clean()  # every value of the right type for its field
    assert source == item.to_dict()
    # Nothing empty is shipped but the text as written: no null, no empty list.
    assert "countries" not in source and "year" not in source
    assert "organisation_name" not in source
    assert source["summary"] == "" and source["themes"] == ["deliberation"]


@pytest.mark.django_db
def test_saved_documents_hold_their_analysed_forms_and_the_engine_ships_them_as_stored():
    from search.indexing import save_documents

    document = SearchDocument(
        key="practice:7:pl",
        object_type="practice",
        object_id=7,
        language="pl",
        title="Budżet obywatelski",
        summary="Społeczności lokalne decydują",
        body="",
        url="/pl/7/",
    )
    save_documents([document], outbox=False)
    stored = SearchDocument.objects.get(key="practice:7:pl")
    assert stored.title_terms == analysis.index_terms("Budżet obywatelski", "pl")
    assert stored.summary_terms == analysis.index_terms("Społeczności lokalne decydują", "pl")
    assert {"społeczności", "spolecznosci"} <= set(stored.summary_terms.split())
    assert stored.body_terms == ""

    # What is stored is what goes to the engine: the text is not analysed again.
    stored.title_terms = "stored"
    item = SearchItem.from_search_document(stored).to_dict()
    assert item["title_terms"] == "stored"
    assert item["summary_terms"] == stored.summary_terms
    # A document saved before the forms were stored (empty) is analysed when read.
    stored.title_terms = ""
    item = SearchItem.from_search_document(stored).to_dict()
    assert item["title_terms"] == analysis.index_terms("Budżet obywatelski", "pl")


def test_suggestions_facets_and_labels_have_the_right_field_types(backend):
    body = backend.index_body()
    properties = body["mappings"]["properties"]
    # Completion reads `title_terms`: no field with prefixes indexed.
    assert "suggest" not in properties
    assert properties["title_terms"] == {"type": "text", "analyzer": "whitespace"}
    for name in (
        "themes",
        "countries",
        "type",
        "language",
        "year",
        "status",
        "label",
        "organisation",
        "key",
    ):
        assert properties[name] == {"type": "keyword"}, name
    for name in ("theme_labels", "country_labels", "organisation_name"):
        assert properties[name] == {"type": "text", "analyzer": "whitespace"}, name
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


def test_text_query_weights_title_over_summary_over_body(backend):
    body = backend.build_search(QUERIES["text_only"])._s.to_dict()
    # Every word is required; each also matches the two written together.
    participatory, budgeting = body["query"]["bool"]["must"]
    words = [clause["multi_match"] for clause in participatory["bool"]["should"]]
    assert participatory["bool"]["minimum_should_match"] == 1
    # Each word is the set of its forms (as typed, folded, stemmed): any of them matches.
    assert words[0]["query"] == "participatori participatory"
    assert words[1]["query"] == "participatorybudget participatorybudgeting"
    assert budgeting["bool"]["should"][0]["multi_match"]["query"] == "budget budgeting"
    assert budgeting["bool"]["should"][1]["multi_match"] == words[1]
    fields = dict(field.split("^") for field in words[0]["fields"] if "^" in field)
    assert (
        float(fields["title_terms"]) > float(fields["summary_terms"]) > float(fields["body_terms"])
    )
    assert {"theme_labels", "country_labels"} <= set(words[0]["fields"])
    # Snippets are made in Python, as the database backend makes them.
    assert "highlight" not in body
    assert body["track_total_hits"] is True
    assert body["sort"][0] == "_score"


def test_a_leading_minus_excludes_a_word(backend):
    body = backend.build_search(SearchQuery(text="budget -youth"))._s.to_dict()
    query = body["query"]["bool"]
    assert [clause["multi_match"]["query"] for clause in query["must"]] == ["budget"]
    assert [clause["multi_match"]["query"] for clause in query["must_not"]] == ["youth"]


def test_a_relaxed_search_scores_each_word_matched_as_one(backend):
    query = SearchQuery(text="budget youth")
    parsed = parse_query(query).with_joined_words()
    body = backend.build_search(query, parsed=parsed, relaxed=True)._s.to_dict()
    relaxed = body["query"]["bool"]
    (counted,) = relaxed["must"]
    assert counted["bool"]["minimum_should_match"] == 1
    assert [clause["constant_score"]["boost"] for clause in counted["bool"]["should"]] == [1, 1]
    # The usual score, scaled below one word's, ranks items with as many words.
    (ranked,) = relaxed["should"]
    assert ranked["bool"]["boost"] == RELAXED_RANK_WEIGHT
    assert body["sort"][0] == "_score"
    # Sorted by date, the words matched still come first, and nothing else scores.
    newest = backend.build_search(
        replace(query, sort="newest"), parsed=parsed, relaxed=True
    )._s.to_dict()
    assert "should" not in newest["query"]["bool"]
    assert newest["sort"][0] == "_score"


def test_a_prefix_term_matches_the_start_of_words_in_the_best_field(backend):
    (term,) = parse_query(SearchQuery(text="Participat")).groups[0]
    query = term_query(dataclasses.replace(term, prefix=True), search_fields()).to_dict()
    prefixes = {
        name: spec
        for clause in query["dis_max"]["queries"]
        for name, spec in clause["prefix"].items()
    }
    assert prefixes["title_terms"] == {"value": "participat", "boost": 3.0}
    assert prefixes["body_terms"] == {"value": "participat", "boost": 1.0}


def test_the_presence_request_counts_each_term_over_the_whole_index(backend):
    words = [
        term for group in parse_query(SearchQuery(text="budget youth")).groups for term in group
    ]
    body = backend.presence_body(words)
    assert body["size"] == 0
    filters = body["aggs"]["present"]["filters"]["filters"]
    assert filters["t0"]["multi_match"]["query"] == "budget"
    assert filters["t1"]["multi_match"]["query"] == "youth"


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
    # The facets without a filter of their own share one filter: all the facet filters.
    shared = body["aggs"]["_filter_status_label"]
    assert set(shared["aggs"]) == {"status", "label"}
    assert {"terms": {"themes": ["participatory-budgeting", "youth"]}} in shared["filter"]["bool"][
        "must"
    ]
    # The organisation is a plain filter: it narrows the hits and every facet.
    assert body["query"]["bool"]["filter"] == [{"terms": {"organisation": ["skopje-municipality"]}}]
    assert {"terms": {"language": ["mk"]}} in post_filter


def test_facets_are_left_out_when_not_wanted(backend):
    assert "aggs" not in backend.build_search(QUERIES["no_facets"])._s.to_dict()
    facets = backend.build_search(QUERIES["facets_only"])._s.to_dict()["aggs"]
    # The theme facet, the only one filtered, counts without a filter around it; the others
    # share one filter (the theme's), not one wrapper each.
    others = [name for name in FACETS if name != "theme"]
    assert set(facets) == {"theme", "_filter_" + "_".join(others)}
    assert set(facets["theme"]) == {"terms"}
    shared = facets["_filter_" + "_".join(others)]
    assert shared["filter"] == {"terms": {"themes": ["green-transition"]}}
    assert set(shared["aggs"]) == set(others)


def test_newest_sorts_by_publication_date_and_still_scores(backend):
    body = backend.build_search(QUERIES["newest"])._s.to_dict()
    assert body["sort"][0] == {"published_at": {"order": "desc", "missing": "_last"}}
    assert body["track_scores"] is True


def test_a_listing_filters_by_status_and_sorts_by_title(backend):
    body = backend.build_search(QUERIES["library_listing"])._s.to_dict()
    assert {"terms": {"status": ["ongoing", "planned"]}} in body["post_filter"]["bool"]["must"]
    assert "status" in body["aggs"]["_filter_status"]["aggs"]
    assert body["sort"] == ["title", "key"]


def test_a_search_filters_by_quality_label(backend):
    body = backend.build_search(SearchQuery(types=("practice",), labels=("reviewed",)))
    body = body._s.to_dict()
    assert {"terms": {"label": ["reviewed"]}} in body["post_filter"]["bool"]["must"]
    assert "label" in body["aggs"]["_filter_label"]["aggs"]


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
    match = body["query"]["bool"]["must"][0]["match_bool_prefix"]
    assert match == {"title_terms": {"query": "budz", "operator": "and"}}
    assert body["query"]["bool"]["filter"] == [{"term": {"language": "pl"}}]
