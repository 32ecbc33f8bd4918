"""Values read from the content once per process and content generation: the theme labels
every facet list names, the sections every page header links to. They are read again
after any change to what pages show (the generation moves on: `pagecache.generation`), in
every process that shares the cache.

With CONTENT_MEMO off (tests, and production without a shared cache, where a change made
in one process could not reach the others' memos) every call computes its value afresh.
With a per-process cache (`make run`), a value is also read again after
CONTENT_MEMO_SECONDS, so that a change made by another process (a management command)
shows in time."""

import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache

from . import generation

_values = {}
_lock = threading.Lock()


def _shared_cache():
    return not isinstance(caches["default"], LocMemCache)


def remembered(key, compute):
    """compute(), remembered under `key` until the content changes."""
    if not getattr(settings, "CONTENT_MEMO", False):
        return compute()
    current = generation.current()
    entry = _values.get(key)
    now = time.monotonic()
    fresh = entry is not None and entry[0] == current
    if fresh and (_shared_cache() or now - entry[1] < settings.CONTENT_MEMO_SECONDS):
        return entry[2]
    value = compute()
    with _lock:
        _values[key] = (current, now, value)
    return value


def forget():
    """Drop every remembered value and route (tests that change settings)."""
    from . import routing

    with _lock:
        _values.clear()
    routing.forget()
