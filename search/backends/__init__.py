"""Choosing the public search backend, in one place: `settings.SEARCH_BACKEND`.

    SEARCH_BACKEND = {
        "BACKEND": "search.backends.elasticsearch.ElasticsearchBackend",  # import path
        "OPTIONS": {"url": ..., "index_prefix": ..., "timeout": 5.0},  # its arguments
        "BREAKER": {"FAILURES": 3, "COOL_OFF": 30.0},  # see `search.backends.breaker`
    }

The default is the database backend (`search.backends.database.DatabaseBackend`, which is
PostgreSQL's or SQLite's by the connection). Any other backend is a remote engine: the
database stands behind it (`FallbackBackend`), with a circuit breaker in between, so that a
cluster that is down or stalled costs the site a few failed searches, not every request.

The backend is built once per process and cached, with the engine's one client; the cache
is dropped when Django's `setting_changed` fires for a search setting (tests)."""

import threading
import time

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from .base import SearchBackend, SearchQuery, SearchResponse, SearchUnavailable
from .breaker import CircuitBreaker

__all__ = [
    "FallbackBackend",
    "get_search_backend",
    "outbox_backend",
    "reset_search_backend",
]

DEFAULT_BACKEND = "search.backends.database.DatabaseBackend"
SEARCH_SETTINGS = {"SEARCH_BACKEND"}

_lock = threading.Lock()
_backend = None


def get_search_backend() -> SearchBackend:
    """The backend views, the API, the feed, the template tags and the commands use: the
    same object every time in a process."""
    global _backend
    backend = _backend
    if backend is None:
        with _lock:
            if _backend is None:
                _backend = load_backend(getattr(settings, "SEARCH_BACKEND", {}))
            backend = _backend
    return backend


def outbox_backend():
    """The engine the outbox feeds and `search_index rebuild` loads, or None when the
    configured backend reads the database itself."""
    backend = get_search_backend()
    return backend.primary if backend.uses_outbox else None


def load_backend(config) -> SearchBackend:
    from .database import DatabaseBackend

    backend_class = import_string(config.get("BACKEND") or DEFAULT_BACKEND)
    backend = backend_class(**config.get("OPTIONS", {}))
    if isinstance(backend, DatabaseBackend):
        return backend
    breaker = config.get("BREAKER", {})
    return FallbackBackend(
        primary=backend,
        fallback=DatabaseBackend(),
        breaker=CircuitBreaker(
            backend.name,
            failures=breaker.get("FAILURES", 3),
            cool_off=breaker.get("COOL_OFF", 30.0),
        ),
    )


def reset_search_backend():
    """Forget the cached backend (closing its client): the next call builds it again."""
    global _backend
    with _lock:
        backend, _backend = _backend, None
    if backend is not None:
        backend.close()


@receiver(setting_changed)
def _settings_changed(setting, **kwargs):
    if setting in SEARCH_SETTINGS:
        reset_search_backend()


class FallbackBackend(SearchBackend):
    """Asks `primary` while `breaker` lets it; when the breaker is open or the primary
    raises `SearchUnavailable`, asks `fallback` and says so (`fallback_reason`). Nothing is
    logged per request: the breaker logs once when it opens and once when it closes."""

    def __init__(self, primary: SearchBackend, fallback: SearchBackend, breaker: CircuitBreaker):
        self.primary = primary
        self.fallback = fallback
        self.breaker = breaker
        self.name = primary.name
        self.uses_outbox = primary.uses_outbox

    def _primary(self, call):
        """(True, the primary's answer), or (False, None) when the breaker holds it back or
        it failed, the failure counted."""
        if not self.breaker.allow():
            return False, None
        try:
            answer = call()
        except SearchUnavailable as error:
            self.breaker.failed(error)
            return False, None
        except BaseException:
            # A bug, not an outage: it is raised, and a probe in flight is given back.
            self.breaker.release()
            raise
        self.breaker.succeeded()
        return True, answer

    def fallback_reason(self):
        return f"{self.primary.name} unavailable: {self.breaker.last_error}"

    def search(self, query: SearchQuery, timeout=None) -> SearchResponse:
        started = time.perf_counter()
        answered, response = self._primary(lambda: self.primary.search(query, timeout=timeout))
        if answered:
            return response
        response = self.fallback.search(query)
        response.fallback_reason = self.fallback_reason()
        response.took_ms = (time.perf_counter() - started) * 1000
        return response

    def suggest(self, prefix, language="", limit=8, timeout=None):
        answered, titles = self._primary(
            lambda: self.primary.suggest(prefix, language=language, limit=limit, timeout=timeout)
        )
        if answered:
            return titles
        return self.fallback.suggest(prefix, language=language, limit=limit)

    def more_like_this(self, key, limit=5, timeout=None):
        """Related items; with a `timeout` (seconds: the time budget of a page that shows
        them), an engine that does not answer within it gives none, and the page renders
        without them rather than waiting for the database too."""
        started = time.perf_counter()
        answered, related = self._primary(
            lambda: self.primary.more_like_this(key, limit=limit, timeout=timeout)
        )
        if answered:
            return related
        if timeout is not None and time.perf_counter() - started >= timeout:
            return []
        return self.fallback.more_like_this(key, limit=limit)

    def close(self):
        self.primary.close()
        self.fallback.close()
