import pytest

PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """allauth counts attempts in the cache (e.g. one confirmation email per address every
    three minutes): each test starts from none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client(committing_client):
    return committing_client
