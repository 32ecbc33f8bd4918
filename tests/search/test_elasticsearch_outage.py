"""Elasticsearch layer 4: the cluster is down.

A closed loopback port (bound, its number noted, then closed) refuses connections the way a
stopped Elasticsearch does. Every backend operation must raise `SearchUnavailable` with the
client's error as its cause, so that the caller can fall back and nothing is lost.

The last test is the whole story with the search app's own pipeline (Wagtail publish signal,
search document, outbox, drain task, fallback search, `search_index status`)."""

import logging
import socket
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout

from search import outbox
from search.backends import get_search_backend, outbox_backend
from search.backends.base import SearchQuery, SearchUnavailable
from search.backends.elasticsearch import ElasticsearchBackend
from search.models import OutboxEntry, SearchDocument
from tests.search.backend_settings import elasticsearch_at
from tests.search.es_canned.server import CannedElasticsearch, canned


@pytest.fixture
def closed_port_url(closed_port):
    return f"http://127.0.0.1:{closed_port}"


def a_document():
    return SearchDocument(
        key="practice:1:ar",
        object_type="practice",
        object_id=1,
        language="ar",
        title="الموازنة التشاركية",
        url="/ar/practices/1/",
        published_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


OPERATIONS = {
    "search": lambda backend: backend.search(SearchQuery(text="budget")),
    "suggest": lambda backend: backend.suggest("bud"),
    "more_like_this": lambda backend: backend.more_like_this("practice:1:ar"),
    "count": lambda backend: backend.count(),
    "index_documents": lambda backend: backend.index_documents([a_document()]),
    "delete_documents": lambda backend: backend.delete_documents(["practice:1:ar"]),
    "rebuild": lambda backend: backend.rebuild([a_document()]),
    "refresh": lambda backend: backend.refresh(),
}


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_a_refused_connection_is_search_unavailable_with_the_cause(closed_port_url, operation):
    backend = ElasticsearchBackend(closed_port_url, "practice-commons")

    with pytest.raises(SearchUnavailable) as caught:
        OPERATIONS[operation](backend)

    assert isinstance(caught.value.__cause__, TransportConnectionError)
    assert str(caught.value) == "ConnectionError"


def test_the_index_check_is_retried_once_the_cluster_is_back(closed_port_url):
    backend = ElasticsearchBackend(closed_port_url, "practice-commons")
    with pytest.raises(SearchUnavailable):
        backend.index_documents([a_document()])
    # A failed check must not be remembered as a success.
    assert backend._index_ready is False


def test_a_cluster_that_does_not_answer_in_time_is_unavailable():
    """A socket that accepts connections but never answers, like a cluster stuck in GC."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        backend = ElasticsearchBackend(url, "practice-commons", timeout=0.3)

        with pytest.raises(SearchUnavailable) as caught:
            backend.search(SearchQuery(text="budget"))

    assert isinstance(caught.value.__cause__, ConnectionTimeout)
    assert str(caught.value) == "ConnectionTimeout"


# --- The whole story: publishing while the cluster is down, then recovery -------------------


def _bulk_accepting_everything(request):
    items = []
    for action in request.ndjson[::2]:
        ((operation, meta),) = action.items()
        status = 200 if operation == "delete" else 201
        result = "deleted" if operation == "delete" else "created"
        items.append({operation: {"_index": meta["_index"], "_id": meta["_id"], "_version": 1,
                                  "result": result, "status": status}})  # fmt: skip
    return 200, {"errors": False, "took": 2, "items": items}


SHARDS = {"total": 1, "successful": 1, "skipped": 0, "failed": 0}


def _indexed_versions(server):
    """{key: updated_at} the canned cluster was last sent for each key still indexed."""
    versions = {}
    for request in server.matching("PUT|POST", "/_bulk"):
        lines = request.ndjson or []
        for action, body in zip(lines[::2], lines[1::2], strict=True):
            ((operation, meta),) = action.items()
            versions[meta["_id"]] = body.get("updated_at")
    return {key: value for key, value in versions.items() if key in _indexed_keys(server)}


def _scroll_of_everything(server):
    """Answers a scan (scroll) with every indexed document's key and updated_at."""

    def first_page(request):
        hits = [
            {"_id": key, "_source": {"updated_at": updated_at}}
            for key, updated_at in sorted(_indexed_versions(server).items())
        ]
        return 200, {"_scroll_id": "scroll-1", "_shards": SHARDS,
                     "hits": {"total": {"value": len(hits)}, "hits": hits}}  # fmt: skip

    server.respond("POST", "/pc-outage-items/_search", first_page)
    last_page = {"_scroll_id": "scroll-1", "_shards": SHARDS, "hits": {"hits": []}}
    server.respond("POST", "/_search/scroll", last_page)
    server.respond("DELETE", "/_search/scroll", {"succeeded": True, "num_freed": 1})


def _indexed_keys(server):
    """Keys the canned cluster was asked to index and not since asked to delete."""
    keys = set()
    for request in server.matching("PUT|POST", "/_bulk"):
        for action in request.ndjson[::2] if request.ndjson else []:
            ((operation, meta),) = action.items()
            if operation == "delete":
                keys.discard(meta["_id"])
            else:
                keys.add(meta["_id"])
    return keys


@pytest.mark.django_db
def test_publishing_survives_an_outage_and_the_outbox_drains_when_the_cluster_returns(
    settings, closed_port_url, publish, django_capture_on_commit_callbacks, caplog
):
    settings.SEARCH_BACKEND = elasticsearch_at(closed_port_url, "pc-outage")
    alias = "pc-outage-items"
    logging.getLogger("search").addHandler(caplog.handler)  # the "search" logger does not propagate
    caplog.set_level(logging.WARNING, logger="search")

    # 1. The cluster is down: publishing succeeds, the change waits in the outbox.
    with django_capture_on_commit_callbacks(execute=True):
        page = publish(
            "ka",
            title="მონაწილეობითი ბიუჯეტი ბათუმში",
            summary="ბათუმის მაცხოვრებლებმა ბიუჯეტის ნაწილი თავად განაწილეს.",
        )
    try:
        page.refresh_from_db()
        assert page.live
        key = f"practice:{page.pk}:ka"
        assert SearchDocument.objects.filter(key=key).exists()
        waiting = list(OutboxEntry.objects.filter(key=key))
        assert waiting, "the change must wait in the outbox"
        assert all(row.attempts >= 1 and "ConnectionError" in row.last_error for row in waiting)

        # 2. Search still answers, from the database, and says why.
        response = get_search_backend().search(SearchQuery(text="ბიუჯეტი"))
        assert response.fallback_reason == "elasticsearch unavailable: ConnectionError"
        assert response.backend != "elasticsearch"
        assert key in [hit.key for hit in response.hits]
        assert any("unavailable" in record.getMessage() for record in caplog.records)

        # 3. The cluster is back (a loopback server answering like Elasticsearch 9).
        server = CannedElasticsearch().start()
        try:
            server.respond("HEAD", f"/{alias}", status=404)
            server.respond("PUT", rf"/{alias}-\d{{20}}", canned("index_created"))
            server.respond("PUT|POST", "/_bulk", _bulk_accepting_everything)
            server.respond(
                "POST",
                f"/{alias}/_count",
                lambda request: (200, {"count": len(_indexed_keys(server)), "_shards": {}}),
            )
            settings.SEARCH_BACKEND = elasticsearch_at(server.url, "pc-outage")

            due = timezone.now() + outbox.backoff(len(waiting)) + timedelta(seconds=1)
            result = outbox.drain(outbox_backend(), now=due)

            assert result.failed == 0 and result.error == ""
            assert result.indexed == SearchDocument.objects.count()
            assert not OutboxEntry.objects.exists()
            assert _indexed_keys(server) == set(
                SearchDocument.objects.values_list("key", flat=True)
            )
            (bulk,) = server.matching("PUT|POST", "/_bulk")
            sent = {
                line["index"]["_id"]: body
                for line, body in zip(bulk.ndjson[::2], bulk.ndjson[1::2], strict=True)
            }
            assert sent[key]["title"] == "მონაწილეობითი ბიუჯეტი ბათუმში"
            assert sent[key]["countries"] == ["GE"]

            # 4. The status command compares the two counts, and the keys and versions.
            _scroll_of_everything(server)
            out = StringIO()
            call_command("search_index", "status", stdout=out)
            total = SearchDocument.objects.count()
            assert f"Elasticsearch: {total} documents, database: {total}." in out.getvalue()
            assert f"Versions: the same {total} keys and versions" in out.getvalue()
            assert server.unmatched == []
        finally:
            server.stop()
    finally:
        logging.getLogger("search").removeHandler(caplog.handler)
