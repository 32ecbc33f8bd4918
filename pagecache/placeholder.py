"""What cached pages hold where a form's CSRF token goes: the same in every process of the
site (derived from SECRET_KEY), unguessable from outside."""

from django.conf import settings
from django.utils.crypto import salted_hmac


def _placeholder():
    digest = salted_hmac("pagecache.csrf-placeholder", "v1", secret=settings.SECRET_KEY)
    return "csrf-placeholder-" + digest.hexdigest()[:32]


CSRF_PLACEHOLDER = _placeholder()
