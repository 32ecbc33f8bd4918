"""The digest benchmark's machinery, run small on the test database: it builds a library,
makes subscribers, queues their digests and hands them to an SMTP server. How fast belongs
to `bench/newsletters.py` itself, not to a test."""

import io

import pytest
from django.test.utils import override_settings

from bench import newsletters as bench

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_digest_bench_delivers_every_digest_it_queues(settings, capsys):
    settings.ELASTICSEARCH_URL = ""
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ):
        result = bench.run(60, 200, 40, seed=7, log=io.StringIO())

    printed = capsys.readouterr().out
    assert result["subscribers"] == 60
    assert 0 < result["emails"] <= 60
    assert result["delivered"] == result["emails"] == result["sent"]
    assert "target 60 s" in printed
    assert "peak memory:" in printed
