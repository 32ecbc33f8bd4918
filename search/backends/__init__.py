"""Choosing the public search backend, in one place.

Without `ELASTICSEARCH_URL` the database backend answers everything. With it,
Elasticsearch answers and the database backend stands behind it: when the cluster cannot
answer (`SearchUnavailable`), the database does, and the response says so."""

import logging
import time

from django.conf import settings

from .base import SearchBackend, SearchQuery, SearchResponse, SearchUnavailable

logger = logging.getLogger("search")

__all__ = [
    "FallbackBackend",
    "elasticsearch_backend",
    "elasticsearch_enabled",
    "get_search_backend",
]


def elasticsearch_enabled():
    return bool(settings.ELASTICSEARCH_URL)


def elasticsearch_backend():
    """The Elasticsearch backend for the configured cluster (None when not configured).

    Imported here, not at module level: the `elasticsearch` client is only needed when a
    cluster is configured."""
    if not elasticsearch_enabled():
        return None
    from .elasticsearch import ElasticsearchBackend

    return ElasticsearchBackend(settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_INDEX_PREFIX)


def database_backend():
    from .database import DatabaseBackend

    return DatabaseBackend()


def get_search_backend() -> SearchBackend:
    """The backend views, the API, the feed and the commands use."""
    primary = elasticsearch_backend()
    if primary is None:
        return database_backend()
    return FallbackBackend(primary=primary, fallback=database_backend())


class FallbackBackend(SearchBackend):
    """Asks `primary`; when it raises `SearchUnavailable`, asks `fallback` and records why."""

    def __init__(self, primary: SearchBackend, fallback: SearchBackend):
        self.primary = primary
        self.fallback = fallback
        self.name = primary.name

    def _warn(self, operation, error):
        logger.warning(
            "search: %s unavailable for %s, answering from %s: %s",
            self.primary.name,
            operation,
            self.fallback.name,
            error,
        )

    def search(self, query: SearchQuery) -> SearchResponse:
        started = time.perf_counter()
        try:
            return self.primary.search(query)
        except SearchUnavailable as error:
            self._warn("search", error)
            response = self.fallback.search(query)
            response.fallback_reason = f"{self.primary.name} unavailable: {error}"
            response.took_ms = (time.perf_counter() - started) * 1000
            return response

    def suggest(self, prefix, language="", limit=8):
        try:
            return self.primary.suggest(prefix, language=language, limit=limit)
        except SearchUnavailable as error:
            self._warn("suggestions", error)
            return self.fallback.suggest(prefix, language=language, limit=limit)

    def more_like_this(self, key, limit=5):
        try:
            return self.primary.more_like_this(key, limit=limit)
        except SearchUnavailable as error:
            self._warn("related items", error)
            return self.fallback.more_like_this(key, limit=limit)
