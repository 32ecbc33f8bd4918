"""Values read from the content once per process and content generation: the theme labels
every facet list names, the sections every page header links to, the page each path routes
to (`pagecache.routing`). They are read again after any change to what pages show (the
generation moves on: `pagecache.generation`), in every process that shares the cache.

With CONTENT_MEMO off (tests, and production without a shared cache, where a change made
in one process could not reach the others' memos) nothing is remembered. With a
per-process cache (`make run`), a value is also read again after CONTENT_MEMO_SECONDS, so
that a change made by another process (a management command) shows in time."""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache

from . import generation

# Bounded: a few dozen values, and one route per page and language actually requested; the
# least recently used go first.
MAX_ENTRIES = 5000

# What `recall` returns when nothing current is remembered (None is a value like any other).
MISSING = object()


@dataclass(frozen=True)
class _Entry:
    generation: Any
    stored_at: float
    value: Any


_entries = OrderedDict()
_lock = threading.Lock()


def _on():
    return getattr(settings, "CONTENT_MEMO", False)


def _shared_cache():
    return not isinstance(caches["default"], LocMemCache)


def recall(key, current):
    """The value remembered under `key` for the content generation `current`
    (`generation.current()`), or MISSING."""
    if not _on():
        return MISSING
    with _lock:
        entry = _entries.get(key)
        if entry is None or entry.generation != current:
            return MISSING
        if not _shared_cache() and time.monotonic() - entry.stored_at >= (
            settings.CONTENT_MEMO_SECONDS
        ):
            return MISSING
        _entries.move_to_end(key)
        return entry.value


def remember(key, current, value):
    """Remember `value`, read from the content of generation `current` (read before the
    value was, so that a change made meanwhile is not hidden)."""
    if not _on():
        return
    with _lock:
        _entries[key] = _Entry(current, time.monotonic(), value)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


def remembered(key, compute):
    """compute(), remembered under `key` until the content changes."""
    if not _on():
        return compute()
    current = generation.current()
    value = recall(key, current)
    if value is MISSING:
        value = compute()
        remember(key, current, value)
    return value


def forget(prefix=""):
    """Drop the remembered values whose keys start with `prefix` (tests that change
    settings or measure a first read)."""
    with _lock:
        for key in [key for key in _entries if key.startswith(prefix)]:
            del _entries[key]
