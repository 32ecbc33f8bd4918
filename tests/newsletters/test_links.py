"""A signed link made from its URL reversed once per language is the link `reverse` makes."""

import pytest
from django.urls import reverse
from django.utils import translation

from newsletters import links
from newsletters.models import Subscriber


@pytest.mark.parametrize("language", ["en", "ar", "ka", "pl"])
@pytest.mark.parametrize("name", ["newsletters:preferences", "newsletters:confirm"])
def test_a_link_is_the_url_reverse_makes_for_its_token(language, name):
    subscriber = Subscriber(email="ana@example.org", language=language, token="aB3_-x9")
    for token in (links.manage_token(subscriber), links.confirmation_token(subscriber, [2])):
        with translation.override(language):
            expected = links.absolute(reverse(name, kwargs={"token": token}))

        assert links._localised(name, subscriber, token) == expected


def test_a_token_reverse_would_quote_is_reversed_as_it_is():
    subscriber = Subscriber(email="ana@example.org", language="ro", token="x")

    url = links._localised("newsletters:preferences", subscriber, "a b~c")

    assert url.endswith("/ro/newsletters/preferences/a%20b~c/")
