"""The rate limits' cache: Django's database cache with an increment that keeps the
counter's expiry (its window) and counts every call."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_incr_counts_and_keeps_the_window():
    cache = caches["ratelimit"]
    cache.add("posts", 0, timeout=3600)

    assert [cache.incr("posts") for _ in range(3)] == [1, 2, 3]

    # Django's `set` would have given it the default five minutes.
    with time_machine.travel(timezone.now() + timedelta(minutes=30)):
        assert cache.get("posts") == 3
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert cache.get("posts") is None


def test_incr_of_a_missing_key_raises():
    with pytest.raises(ValueError):
        caches["ratelimit"].incr("nothing")
