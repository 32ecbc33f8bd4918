"""The site's content generation: a number in the cache that is part of every cached page's
key. Changing anything a page may show moves it on, so every page cached before is never
read again (and expires on its own)."""

import time

from django.core.cache import cache

KEY = "pagecache:generation"


def current():
    generation = cache.get(KEY)
    if generation is None:
        # A fresh start (the cache emptied or restarted): never a number used before, so no
        # page cached under an old generation can come back.
        cache.add(KEY, time.time_ns(), timeout=None)
        generation = cache.get(KEY)
    return generation


def bump():
    try:
        cache.incr(KEY)
    except ValueError:
        cache.add(KEY, time.time_ns(), timeout=None)
