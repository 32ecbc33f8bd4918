"""Elasticsearch layer 3: the backend over real HTTP against canned Elasticsearch 9 answers.

A small HTTP server on 127.0.0.1 (tests/search/es_canned/server.py) answers with the JSON
files in tests/search/es_canned/ and records what the official client sent. This proves the
wire: paths, methods, media types, request bodies, bulk NDJSON, the product check, and the
parsing of real-shaped responses (hits, highlights, facets, bulk item errors). It does not
prove what a cluster would answer; that is the integration suite's job."""

from datetime import UTC, datetime

import pytest
from django.utils.translation import override
from elasticsearch import ApiError, Elasticsearch, UnsupportedProductError

from editorial.languages import language_name
from practices.models import PracticePage
from search.backends.base import SearchQuery, SearchUnavailable
from search.backends.elasticsearch import BulkIndexingError, ElasticsearchBackend
from search.indexing import quality_labels
from search.models import SearchDocument
from taxonomy.countries import country_name
from tests.search.es_canned.server import CannedElasticsearch, canned

ALIAS = "practice-commons-items"
VERSIONED = rf"/{ALIAS}-\d{{20}}"
ES_JSON = "application/vnd.elasticsearch+json; compatible-with=9"
ES_NDJSON = "application/vnd.elasticsearch+x-ndjson; compatible-with=9"


@pytest.fixture
def es():
    server = CannedElasticsearch().start()
    try:
        yield server
    finally:
        server.stop()


def make_backend(server, **kwargs):
    return ElasticsearchBackend(server.url, "practice-commons", **kwargs)


def document(key, title, summary="", body="", **fields):
    object_type, object_id, language = key.split(":")
    values = {
        "key": key,
        "object_type": object_type,
        "object_id": int(object_id),
        "language": language,
        "title": title,
        "summary": summary,
        "body": body,
        "themes": ["participatory-budgeting", "citizen-participation"],
        "countries": ["GE"],
        "theme_labels": ["Participatory budgeting", "მონაწილეობითი ბიუჯეტირება"],
        "country_labels": ["Georgia", "საქართველო"],
        "year": 2021,
        "url": f"/{language}/practices/{object_id}/",
        "source": "https://participedia.net/case/1",
        "published_at": datetime(2026, 3, 14, 9, 30, tzinfo=UTC),
    }
    values.update(fields)
    return SearchDocument(**values)


def bulk_success(request):
    """What Elasticsearch answers to a bulk request where every action succeeds."""
    lines = request.ndjson
    items = []
    for action in lines[::2]:
        ((operation, meta),) = action.items()
        items.append(
            {
                operation: {
                    "_index": meta["_index"],
                    "_id": meta["_id"],
                    "_version": 1,
                    "result": "created",
                    "_shards": {"total": 1, "successful": 1, "failed": 0},
                    "_seq_no": len(items),
                    "_primary_term": 1,
                    "status": 201,
                }
            }
        )
    return 200, {"errors": False, "took": 3, "items": items}


# --- Reading ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_sends_the_built_body_and_parses_hits_snippets_and_facets(es):
    es.respond("POST", f"/{ALIAS}/_search", canned("search_faceted"))
    backend = make_backend(es)
    query = SearchQuery(text="მოქალაქეებმა", countries=("ge",), ui_language="ka")

    response = backend.search(query)

    (request,) = es.requests
    assert request.method == "POST"
    assert request.path == f"/{ALIAS}/_search"
    assert request.json == backend.build_search(query)._s.to_dict()
    assert request.headers["accept"] == ES_JSON
    assert request.headers["content-type"] == ES_JSON

    assert response.backend == "elasticsearch"
    assert response.fallback_reason == ""
    assert response.total == 2
    assert response.took_ms == 7.0
    first, second = response.hits
    assert first.key == "practice:41:ka"
    assert first.title == "მონაწილეობითი ბიუჯეტი თბილისში"
    assert first.url == "/ka/practices/participatory-budget-tbilisi/"
    assert (first.type, first.language) == ("practice", "ka")
    assert first.countries == ["GE"]
    assert first.themes == ["participatory-budgeting", "citizen-participation"]
    assert first.source == "https://participedia.net/case/8032"
    assert first.score == pytest.approx(8.914213)
    assert first.published_at == datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    # Snippets are made here, as the database backend makes them: <mark> around matches.
    assert first.snippet == "<mark>მოქალაქეებმა</mark> თავად აირჩიეს პროექტები."
    # Without a match, the start of the summary is the snippet: escaped and cut at a word.
    assert second.snippet.startswith(
        "A step-by-step guide for councils &amp; citizens: &lt;what&gt;"
    )
    assert second.snippet.endswith("…") and "<what>" not in second.snippet
    assert second.title == "Running a participatory budget <in> small towns"

    facets = {name: [(v.value, v.label, v.count) for v in values]
              for name, values in response.facets.items()}  # fmt: skip
    assert set(facets) == {"theme", "country", "type", "language", "year", "status", "label"}
    # Labels in the UI language; ordered like the database backend's: by count, then label.
    assert facets["theme"] == [
        ("participatory-budgeting", "მონაწილეობითი ბიუჯეტირება", 2),
        ("citizen-participation", "მოქალაქეთა მონაწილეობა", 2),
        ("youth", "ახალგაზრდობა", 1),
    ]
    assert facets["country"][0] == ("GE", country_name("GE", "ka"), 2)
    assert {value: label for value, label, _count in facets["country"]} == {
        code: country_name(code, "ka") for code in ("GE", "MK", "PL")
    }
    assert country_name("GE", "ka") != "Georgia"  # the label really is translated
    assert {value for value, _label, _count in facets["type"]} == {"guide", "practice"}
    assert {value for value, _label, _count in facets["language"]} == {"en", "ka"}
    with override("ka"):
        assert ("ka", str(language_name("ka")), 1) in facets["language"]
    # Years: newest first.
    assert facets["year"] == [("2021", "2021", 1), ("2019", "2019", 1)]
    # Statuses labelled by the kind of item that has them (practices).
    with override("ka"):
        assert facets["status"] == [("ongoing", str(PracticePage.Status.ONGOING.label), 1)]
        # Quality labels named as practices name them.
        assert facets["label"] == [("reviewed", str(quality_labels()["reviewed"]), 1)]


@pytest.mark.django_db
def test_search_without_facets_asks_for_none(es):
    answer = canned("search_faceted")
    del answer["aggregations"]
    es.respond("POST", f"/{ALIAS}/_search", answer)

    response = make_backend(es).search(SearchQuery(text="budget", with_facets=False))

    assert "aggs" not in es.requests[0].json
    assert response.facets == {}
    assert response.total == 2


def test_suggest_deduplicates_titles_and_filters_by_language(es):
    es.respond("POST", f"/{ALIAS}/_search", canned("suggest"))
    backend = make_backend(es)

    titles = backend.suggest("  budż ", language="pl", limit=8)

    assert titles == ["Budżet obywatelski w Gdańsku", "Budżetowanie partycypacyjne krok po kroku"]
    (request,) = es.requests
    assert request.json == backend.suggest_search("budż", "pl", 8).to_dict()
    assert request.json["query"]["bool"]["filter"] == [{"term": {"language": "pl"}}]


def test_suggest_for_nothing_asks_nothing(es):
    assert make_backend(es).suggest("   ") == []
    assert es.requests == []


def test_more_like_this_sends_the_document_key_and_parses_related_items(es):
    es.respond("POST", f"/{ALIAS}/_search", canned("more_like_this"))

    related = make_backend(es).more_like_this("practice:41:ka", limit=3)

    (request,) = es.requests
    mlt = request.json["query"]["bool"]["must"][0]["more_like_this"]
    assert mlt["like"] == [{"_index": ALIAS, "_id": "practice:41:ka"}]
    assert request.json["size"] == 3
    assert [hit.key for hit in related] == ["practice:58:ar"]
    assert related[0].title == "الموازنة التشاركية في إربد"
    assert related[0].published_at == datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    assert related[0].snippet == "صوّت السكان على مشاريع الأحياء."


def test_count_reads_the_alias_and_is_zero_before_the_first_index(es):
    es.respond("POST", f"/{ALIAS}/_count", canned("count"))
    assert make_backend(es).count() == 3

    es.respond("POST", f"/{ALIAS}/_count", canned("index_not_found"), status=404)
    assert make_backend(es).count() == 0


# --- Writing ------------------------------------------------------------------------------


def test_index_documents_streams_bulk_ndjson_to_the_alias(es):
    es.respond("HEAD", f"/{ALIAS}")
    es.respond("PUT|POST", "/_bulk", bulk_success)
    documents = [
        document("practice:1:en", "Participatory budgeting in Gdańsk", "Residents voted."),
        document("practice:2:ro", "Bugetare participativă în Cluj", "Cetățenii au votat."),
    ]

    assert make_backend(es).index_documents(documents) == 2

    (bulk,) = [r for r in es.requests if r.path == "/_bulk"]
    assert bulk.headers["content-type"] == ES_NDJSON
    lines = bulk.ndjson
    assert lines[0] == {"index": {"_index": ALIAS, "_id": "practice:1:en"}}
    assert lines[2] == {"index": {"_index": ALIAS, "_id": "practice:2:ro"}}
    english, romanian = lines[1], lines[3]
    assert english["title"] == "Participatory budgeting in Gdańsk"
    # The analysed terms (search.analysis): as written and folded, stemmed in English.
    assert {"gdańsk", "gdansk", "budget", "budgeting"} <= set(english["title_terms"].split())
    assert "participatory budgeting in gdansk" in english["title_terms"]  # what completes
    assert english["year"] == "2021"
    assert english["published_at"] == "2026-03-14T09:30:00+00:00"
    # A document fills only its own language's fields.
    assert romanian["title"] == "Bugetare participativă în Cluj"
    assert romanian["summary"] == "Cetățenii au votat."
    assert not any(name.endswith("_en") for name in romanian)


def test_a_refused_document_is_reported_not_swallowed(es):
    es.respond("HEAD", f"/{ALIAS}")
    es.respond("PUT|POST", "/_bulk", canned("bulk_partial_failure"))
    documents = [
        document("practice:1:en", "One"),
        document("practice:2:ro", "Doi"),
        document("practice:3:ka", "სამი"),
    ]

    with pytest.raises(BulkIndexingError) as caught:
        make_backend(es).index_documents(documents)

    error = caught.value
    assert isinstance(error, SearchUnavailable)  # the outbox keeps and retries it
    assert error.written == 2
    assert list(error.failures) == ["practice:2:ro"]
    assert error.failures["practice:2:ro"].startswith("strict_dynamic_mapping_exception: ")
    assert "title_ro" in error.failures["practice:2:ro"]


def test_delete_documents_counts_what_existed_and_accepts_what_did_not(es):
    es.respond("HEAD", f"/{ALIAS}")
    es.respond("PUT|POST", "/_bulk", canned("bulk_delete"))

    assert make_backend(es).delete_documents(["practice:1:en", "practice:99:en"]) == 1

    (bulk,) = [r for r in es.requests if r.path == "/_bulk"]
    assert bulk.ndjson == [
        {"delete": {"_index": ALIAS, "_id": "practice:1:en"}},
        {"delete": {"_index": ALIAS, "_id": "practice:99:en"}},
    ]


def test_first_write_creates_a_versioned_index_behind_the_alias(es):
    es.respond("HEAD", f"/{ALIAS}", status=404)
    es.respond("PUT", VERSIONED, canned("index_created"))
    es.respond("PUT|POST", "/_bulk", bulk_success)
    backend = make_backend(es)

    backend.index_documents([document("practice:5:pl", "Budżet obywatelski")])
    backend.index_documents([document("practice:6:pl", "Rada seniorów")])

    (create,) = es.matching("PUT", VERSIONED)
    body = create.json
    assert body["aliases"] == {ALIAS: {}}
    assert body["mappings"] == backend.index_body()["mappings"]
    assert body["settings"] == backend.index_body()["settings"]
    # The index is checked once per backend, not before every write.
    assert len(es.matching("HEAD", f"/{ALIAS}")) == 1
    assert len(es.matching("PUT|POST", "/_bulk")) == 2


def test_rebuild_loads_a_new_index_then_swaps_the_alias_in_one_call(es):
    old_index = "practice-commons-items-20261101000000000000"
    es.respond("GET", f"/_alias/{ALIAS}", canned("get_alias"))
    es.respond("PUT", VERSIONED, canned("index_created"))
    es.respond("PUT|POST", "/_bulk", bulk_success)
    es.respond("PUT", f"{VERSIONED}/_settings", canned("acknowledged"))
    size = {"store": {"size_in_bytes": 4001}}
    es.respond("GET", f"{VERSIONED}/_stats/store", {"_all": {"primaries": size, "total": size}})
    es.respond("POST", f"{VERSIONED}/_forcemerge", canned("refreshed"))
    es.respond("POST", f"{VERSIONED}/_refresh", canned("refreshed"))
    es.respond("POST", "/_aliases", canned("aliases_updated"))
    es.respond("DELETE", f"/{old_index}", canned("acknowledged"))
    documents = [document(f"practice:{n}:en", f"Practice {n}") for n in range(1, 1202)]

    assert make_backend(es).rebuild(iter(documents)) == 1201

    steps = [(r.method, r.path) for r in es.requests]
    (create,) = es.matching("PUT", VERSIONED)
    new_index = create.path.lstrip("/")
    assert new_index > old_index
    assert "aliases" not in create.json  # searches keep reading the old index meanwhile
    # Loaded without refreshes or replicas; the declared settings are back before the swap.
    assert create.json["settings"] == {
        "number_of_shards": 1,
        "refresh_interval": "-1",
        "auto_expand_replicas": False,
        "number_of_replicas": 0,
    }
    restore, cap, uncap = es.matching("PUT", f"{VERSIONED}/_settings")
    assert restore.json == {
        "refresh_interval": None,
        "auto_expand_replicas": "0-1",
        "number_of_replicas": None,
    }
    last_bulk = max(number for number, (_, path) in enumerate(steps) if path == "/_bulk")
    assert steps.index(("PUT", f"/{new_index}/_settings")) > last_bulk
    # Merged into two segments of at most half the index's size each (4,001 bytes, as the
    # store measured it after a refresh), the cap lifted again, then refreshed, before the
    # swap.
    assert cap.json == {"index.merge.policy.max_merged_segment": "2001b"}
    assert uncap.json == {"index.merge.policy.max_merged_segment": None}
    (merge,) = es.matching("POST", f"{VERSIONED}/_forcemerge")
    assert merge.query == {"max_num_segments": "2"}
    merging = [
        ("POST", f"/{new_index}/_refresh"),
        ("GET", f"/{new_index}/_stats/store"),
        ("PUT", f"/{new_index}/_settings"),
        ("POST", f"/{new_index}/_forcemerge"),
        ("PUT", f"/{new_index}/_settings"),
        ("POST", f"/{new_index}/_refresh"),
    ]
    restored = steps.index(("PUT", f"/{new_index}/_settings"))
    assert steps[restored + 1 : restored + 1 + len(merging)] == merging
    bulks = es.matching("PUT|POST", "/_bulk")
    # Bulk requests are in flight at once (REBUILD_THREADS): they may arrive in any order.
    assert sorted((len(b.ndjson) // 2 for b in bulks), reverse=True) == [500, 500, 201]
    assert all(line["index"]["_index"] == new_index for b in bulks for line in b.ndjson[::2])
    (swap,) = es.matching("POST", "/_aliases")
    assert swap.json == {
        "actions": [
            {"remove": {"index": old_index, "alias": ALIAS}},
            {"add": {"index": new_index, "alias": ALIAS}},
        ]
    }
    assert steps.index(("POST", "/_aliases")) == restored + 1 + len(merging)
    assert steps[-1] == ("DELETE", f"/{old_index}")
    assert es.unmatched == []


def test_rebuild_over_an_index_squatting_the_alias_name_replaces_it_atomically(es):
    es.respond("GET", f"/_alias/{ALIAS}", canned("alias_missing"), status=404)
    es.respond("HEAD", f"/{ALIAS}")
    es.respond("PUT", VERSIONED, canned("index_created"))
    es.respond("PUT|POST", "/_bulk", bulk_success)
    es.respond("PUT", f"{VERSIONED}/_settings", canned("acknowledged"))
    size = {"store": {"size_in_bytes": 4001}}
    es.respond("GET", f"{VERSIONED}/_stats/store", {"_all": {"primaries": size, "total": size}})
    es.respond("POST", f"{VERSIONED}/_forcemerge", canned("refreshed"))
    es.respond("POST", f"{VERSIONED}/_refresh", canned("refreshed"))
    es.respond("POST", "/_aliases", canned("aliases_updated"))

    assert make_backend(es).rebuild([document("practice:1:en", "One")]) == 1

    (swap,) = es.matching("POST", "/_aliases")
    new_index = es.matching("PUT", VERSIONED)[0].path.lstrip("/")
    assert swap.json["actions"] == [
        {"remove_index": {"index": ALIAS}},
        {"add": {"index": new_index, "alias": ALIAS}},
    ]
    assert es.matching("DELETE", ".*") == []


def test_a_failed_rebuild_deletes_its_new_index_and_leaves_the_alias_alone(es):
    es.respond("GET", f"/_alias/{ALIAS}", canned("get_alias"))
    es.respond("PUT", VERSIONED, canned("index_created"))
    es.respond("PUT|POST", "/_bulk", canned("bulk_partial_failure"))
    es.respond("DELETE", VERSIONED, canned("acknowledged"))
    documents = [document(key, "x") for key in ("practice:1:en", "practice:2:ro", "practice:3:ka")]

    with pytest.raises(BulkIndexingError):
        make_backend(es).rebuild(documents)

    new_index = es.matching("PUT", VERSIONED)[0].path
    assert [(r.method, r.path) for r in es.matching("DELETE", ".*")] == [("DELETE", new_index)]
    assert es.matching("POST", "/_aliases") == []


# --- Errors and the product check -----------------------------------------------------------


def test_an_error_status_is_unavailable_with_the_cause_chained(es):
    es.respond("POST", f"/{ALIAS}/_search", canned("cluster_unavailable"), status=503)

    with pytest.raises(SearchUnavailable) as caught:
        make_backend(es).search(SearchQuery(text="budget"))

    assert isinstance(caught.value.__cause__, ApiError)
    assert caught.value.__cause__.meta.status == 503
    assert str(caught.value) == "ApiError (503)"


def test_a_missing_index_is_unavailable_for_search(es):
    es.respond("POST", f"/{ALIAS}/_search", canned("index_not_found"), status=404)

    with pytest.raises(SearchUnavailable, match=r"NotFoundError \(404\)"):
        make_backend(es).search(SearchQuery(text="budget"))


def test_the_client_accepts_a_server_that_says_it_is_elasticsearch(es):
    es.respond("GET", "/", canned("root"))

    info = Elasticsearch(es.url).info()

    assert info["version"]["number"].startswith("9.")
    assert es.requests[0].headers["accept"] == ES_JSON


def test_the_client_refuses_a_server_without_the_product_header():
    server = CannedElasticsearch(product_header=False).start()
    try:
        server.respond("GET", "/", canned("root"))
        server.respond("POST", f"/{ALIAS}/_search", canned("search_faceted"))

        with pytest.raises(UnsupportedProductError):
            Elasticsearch(server.url).info()
        with pytest.raises(SearchUnavailable) as caught:
            make_backend(server).search(SearchQuery(text="budget"))
    finally:
        server.stop()

    assert isinstance(caught.value.__cause__, UnsupportedProductError)
    # The request was answered; it is the answer the client refused.
    assert [r.path for r in server.requests] == ["/", f"/{ALIAS}/_search"]


def test_a_request_nobody_canned_fails_loudly(es):
    """The canned server answers 500 to anything it was not told about, so a request no test
    expected makes that test fail instead of passing silently."""
    with pytest.raises(SearchUnavailable) as caught:
        make_backend(es).search(SearchQuery(text="budget"))
    assert [r.path for r in es.unmatched] == [f"/{ALIAS}/_search"]
    assert str(caught.value) == "ApiError (500)"
