"""Signed links in emails: confirming a subscription (expiring), and the preference centre and
one-click unsubscribe (lasting as long as the subscriber's token)."""

import re
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation

CONFIRM_SALT = "newsletters.confirm"
MANAGE_SALT = "newsletters.manage"


class InvalidLink(Exception):
    def __init__(self, expired=False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def absolute(path):
    return settings.NEWSLETTERS_BASE_URL.rstrip("/") + path


def confirmation_token(subscriber, subscription_ids):
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(
        {"t": subscriber.token, "s": sorted(subscription_ids)}
    )


def read_confirmation_token(token):
    """(subscriber token, subscription ids); raises InvalidLink (expired or not)."""
    try:
        data = signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(
            token, max_age=settings.NEWSLETTERS_CONFIRMATION_MAX_AGE
        )
    except signing.SignatureExpired:
        raise InvalidLink(expired=True) from None
    except signing.BadSignature:
        raise InvalidLink() from None
    if not isinstance(data, dict) or not isinstance(data.get("t"), str):
        raise InvalidLink()
    ids = data.get("s")
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        raise InvalidLink()
    return data["t"], ids


def manage_token(subscriber):
    return signing.Signer(salt=MANAGE_SALT).sign(subscriber.token)


def read_manage_token(token):
    try:
        return signing.Signer(salt=MANAGE_SALT).unsign(token)
    except signing.BadSignature:
        raise InvalidLink() from None


# Tokens are URL-safe (base64url and colons), which `reverse` leaves as they are: a link is
# then its URL reversed once per name and language with the token put in. A localised
# `reverse` takes about 0.6 ms (its namespace and language lookups), once per digest in
# bench/newsletters.py's run (8,186) otherwise.
_URL_SAFE_TOKEN = re.compile(r"[A-Za-z0-9_:-]+")
_TOKEN_MARK = "newsletters-token-mark"


def _localised(name, subscriber, token):
    if not _URL_SAFE_TOKEN.fullmatch(token):
        with translation.override(subscriber.language):
            return absolute(reverse(name, kwargs={"token": token}))
    before, after = _around_token(
        name, subscriber.language, settings.ROOT_URLCONF, get_urlconf(), get_script_prefix()
    )
    return absolute(before + token + after)


# The URL configuration and script prefix are in the key so that a change of them is not
# missed (tests override them).
@lru_cache(maxsize=256)
def _around_token(name, language, _root_urlconf, _urlconf, _script_prefix):
    """(what comes before the token, what after) in the URL `name` in `language`."""
    with translation.override(language):
        url = reverse(name, kwargs={"token": _TOKEN_MARK})
    before, _mark, after = url.partition(_TOKEN_MARK)
    return before, after


def confirmation_url(subscriber, subscription_ids):
    return _localised(
        "newsletters:confirm", subscriber, confirmation_token(subscriber, subscription_ids)
    )


def preferences_url(subscriber, token=None):
    return _localised("newsletters:preferences", subscriber, token or manage_token(subscriber))


def unsubscribe_url(subscriber, token=None):
    # Outside the language prefix: mail clients POST to it (RFC 8058), it has no page to show.
    token = token or manage_token(subscriber)
    return absolute(reverse("newsletters_one_click", kwargs={"token": token}))


def unsubscribe_mailto(subscriber, token=None):
    token = token or manage_token(subscriber)
    return (
        f"mailto:{settings.NEWSLETTERS_UNSUBSCRIBE_EMAIL}?subject={quote('unsubscribe ' + token)}"
    )
