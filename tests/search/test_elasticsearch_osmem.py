"""OpenSearch-compatible plumbing, NOT Elasticsearch.

osmem-server (PyPI) is an in-memory server speaking the OpenSearch REST API. Running the
Elasticsearch backend against it proves the request plumbing end to end with a server that
really stores, searches and aggregates: index creation, bulk writes, the alias swap of a
rebuild, deletes, counts, faceted search with post_filter, paging, sorting, highlighting,
suggestions and more_like_this, and the parsing of what comes back.

What it does not prove: that Elasticsearch itself accepts and answers these requests as
osmem does; that is the integration suite's job (test_elasticsearch_integration.py, with a
real cluster: `make engine`).

Compatibility switch: the Elasticsearch 9 client sends `application/vnd.elasticsearch+json;
compatible-with=9`, which osmem refuses (406). `PlainJsonNode` below rewrites those headers to
plain `application/json` for this test only; the backend's code is unchanged."""

from datetime import UTC, datetime

import pytest
from elastic_transport import Urllib3HttpNode
from elasticsearch import Elasticsearch

from search.backends.base import SearchQuery
from search.backends.elasticsearch import ElasticsearchBackend
from search.models import SearchDocument
from tests.requirements import skip_unless_available

try:
    from osmem_server import OsmemError, OsmemServer, resolve_binary
except ImportError:  # osmem-server is a dev dependency
    OsmemServer = None

ALIAS = "practice-commons-items"
# Facet labels (theme names) are read from the database.
pytestmark = pytest.mark.django_db


class PlainJsonNode(Urllib3HttpNode):
    """Sends `application/json` / `application/x-ndjson` instead of Elasticsearch's
    versioned media types, which an OpenSearch-compatible server does not accept."""

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if headers:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                if name in headers:
                    plain = headers[name].replace("application/vnd.elasticsearch+", "application/")
                    headers[name] = plain.split(";")[0]
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)


def _osmem_available():
    if OsmemServer is None:
        return False, "the osmem-server package is not installed"
    try:
        resolve_binary()
    except OsmemError as error:
        return False, str(error)
    return True, ""


@pytest.fixture(scope="module")
def osmem():
    available, reason = _osmem_available()
    skip_unless_available("osmem", available, reason)
    server = OsmemServer.start(japanese=False)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def backend(osmem):
    """A backend talking to a fresh copy of the (empty) osmem cluster."""
    clone = osmem.clone()
    client = Elasticsearch(clone.url, node_class=PlainJsonNode)
    try:
        yield ElasticsearchBackend(clone.url, "practice-commons", client=client)
    finally:
        client.close()
        clone.close()


THEME_LABELS = {"participatory-budgeting": "Participatory budgeting", "youth": "Youth"}


def document(key, title, summary="", *, themes=("participatory-budgeting",), countries=("GE",),
             year=2021, day=1):  # fmt: skip
    object_type, object_id, language = key.split(":")
    return SearchDocument(
        key=key,
        object_type=object_type,
        object_id=int(object_id),
        language=language,
        title=title,
        summary=summary,
        themes=list(themes),
        countries=list(countries),
        theme_labels=[THEME_LABELS[slug] for slug in themes],
        country_labels=["Georgia"],
        year=year,
        url=f"/{language}/practices/{object_id}/",
        source=f"seed-{object_id}.txt",
        published_at=datetime(2026, 1, day, tzinfo=UTC),
    )


LIBRARY = [
    document("practice:1:en", "Participatory budgeting in Gdansk", "Residents voted on budgeting.",
             countries=("PL",), year=2019, day=1),
    document("practice:2:en", "Budgeting with young people", "Youth councils decide budgeting.",
             themes=("youth",), countries=("GE",), year=2021, day=5),
    document("guide:3:en", "A budgeting guide", "How to start budgeting in a small town.",
             countries=("GE", "MK"), year=2021, day=9),
    document("practice:4:ka", "მონაწილეობითი ბიუჯეტი თბილისში", "ქალაქი", year=2022, day=3),
]  # fmt: skip


def test_rebuild_indexes_and_search_answers_with_hits_facets_and_highlights(backend):
    assert backend.rebuild(LIBRARY) == 4
    assert backend.count() == 4

    response = backend.search(SearchQuery(text="budgeting"))

    assert response.backend == "elasticsearch"
    # Three match in their text; the Georgian practice matches through its theme's label.
    assert response.total == 4
    hits = {hit.key: hit for hit in response.hits}
    assert set(hits) == {"practice:1:en", "practice:2:en", "guide:3:en", "practice:4:ka"}
    # (osmem's highlighter marks more words than Elasticsearch's would: only check ours.)
    assert "<mark>budgeting</mark>." in hits["practice:1:en"].snippet
    assert hits["practice:4:ka"].snippet == "ქალაქი"
    assert hits["practice:4:ka"].title == "მონაწილეობითი ბიუჯეტი თბილისში"
    counts = {name: {v.value: v.count for v in values} for name, values in response.facets.items()}
    assert counts["country"] == {"PL": 1, "GE": 3, "MK": 1}
    assert counts["type"] == {"practice": 3, "guide": 1}
    assert counts["year"] == {"2019": 1, "2021": 2, "2022": 1}
    assert counts["language"] == {"en": 3, "ka": 1}
    labels = {v.value: v.label for v in response.facets["theme"]}
    assert labels == {"participatory-budgeting": "Participatory budgeting", "youth": "Youth"}


def test_facet_filters_narrow_hits_but_not_their_own_facet(backend):
    backend.rebuild(LIBRARY)

    response = backend.search(SearchQuery(text="budgeting", countries=("ge",)))

    assert {hit.key for hit in response.hits} == {"practice:2:en", "guide:3:en", "practice:4:ka"}
    counts = {name: {v.value: v.count for v in values} for name, values in response.facets.items()}
    # OR within the country facet: the other countries still show what they would add.
    assert counts["country"] == {"PL": 1, "GE": 3, "MK": 1}
    assert counts["type"] == {"practice": 2, "guide": 1}


def test_filters_without_text_paging_and_newest_first(backend):
    backend.rebuild(LIBRARY)

    newest = backend.search(SearchQuery(sort="newest", page_size=2))
    second_page = backend.search(SearchQuery(sort="newest", page=2, page_size=2))
    youth = backend.search(SearchQuery(themes=("youth",)))

    assert newest.total == 4
    assert [hit.key for hit in newest.hits] == ["guide:3:en", "practice:2:en"]
    assert [hit.key for hit in second_page.hits] == ["practice:4:ka", "practice:1:en"]
    assert [hit.key for hit in youth.hits] == ["practice:2:en"]


def test_suggest_and_more_like_this(backend):
    backend.rebuild(LIBRARY)

    assert backend.suggest("Particip") == ["Participatory budgeting in Gdansk"]
    assert backend.suggest("Particip", language="ka") == []
    related = backend.more_like_this("practice:1:en")
    assert related and "practice:1:en" not in {hit.key for hit in related}


def test_writes_go_through_the_alias_and_a_rebuild_swaps_it(backend):
    backend.index_documents(LIBRARY[:2])  # creates the first index behind the alias
    backend.refresh()
    (first_index,) = backend.client.indices.get_alias(name=ALIAS).body

    assert backend.count() == 2
    assert backend.delete_documents(["practice:1:en", "practice:404:en"]) == 1
    backend.refresh()
    assert backend.count() == 1

    assert backend.rebuild(LIBRARY) == 4
    (second_index,) = backend.client.indices.get_alias(name=ALIAS).body
    assert second_index != first_index
    assert not backend.client.indices.exists(index=first_index)
    assert backend.count() == 4
