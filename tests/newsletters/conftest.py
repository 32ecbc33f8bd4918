import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # django-ratelimit counts in the cache: each test starts from no requests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sent(django_capture_on_commit_callbacks, smtp_server):
    """Run `action`, commit (the delivery pipeline sends after commit), and return the
    messages the SMTP server received meanwhile."""

    def run(action, *args, **kwargs):
        before = len(smtp_server.messages)
        with django_capture_on_commit_callbacks(execute=True):
            result = action(*args, **kwargs)
        run.result = result
        return smtp_server.messages[before:]

    return run
