"""Elasticsearch layer 4: the cluster is down.

A closed loopback port (bound, its number noted, then closed) refuses connections the way a
stopped Elasticsearch does. Every backend operation must raise `SearchUnavailable` with the
client's error as its cause, so that the caller can fall back and nothing is lost."""

import socket
from datetime import UTC, datetime

import pytest
from elastic_transport import ConnectionError as TransportConnectionError

from search.backends.base import SearchQuery, SearchUnavailable
from search.backends.elasticsearch import ElasticsearchBackend
from search.models import SearchDocument


@pytest.fixture
def closed_port_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


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
    backend = ElasticsearchBackend(closed_port_url, "practice-commons", polish_stempel=False)

    with pytest.raises(SearchUnavailable) as caught:
        OPERATIONS[operation](backend)

    assert isinstance(caught.value.__cause__, TransportConnectionError)
    assert str(caught.value) == "ConnectionError"


def test_the_index_check_is_retried_once_the_cluster_is_back(closed_port_url):
    backend = ElasticsearchBackend(closed_port_url, "practice-commons", polish_stempel=False)
    with pytest.raises(SearchUnavailable):
        backend.index_documents([a_document()])
    # A failed check must not be remembered as a success.
    assert backend._index_ready is False


def test_a_cluster_that_does_not_answer_in_time_is_unavailable():
    """A socket that accepts connections but never answers, like a cluster stuck in GC."""
    from elastic_transport import ConnectionTimeout

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        backend = ElasticsearchBackend(url, "practice-commons", timeout=0.3)

        with pytest.raises(SearchUnavailable) as caught:
            backend.search(SearchQuery(text="budget"))

    assert isinstance(caught.value.__cause__, ConnectionTimeout)
    assert str(caught.value) == "ConnectionTimeout"
