import re

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
def client(client, django_capture_on_commit_callbacks):
    """The test client, whose requests run what their transaction leaves to its commit (the
    delivery pipeline's sending task), as the commit of a real request would."""
    for method in ("get", "post"):
        send = getattr(client, method)

        def send_and_commit(*args, _send=send, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return _send(*args, **kwargs)

        setattr(client, method, send_and_commit)
    return client


def mail_to(smtp_server, address):
    """The messages the SMTP server received for `address`."""
    return [m["message"] for m in smtp_server.messages if address in m["to"]]


def link_in(message):
    """The path of the (only) link to the test server in a received message."""
    links = re.findall(r"https?://testserver(/\S+)", message.get_content())
    assert len(links) == 1, links
    return links[0]
