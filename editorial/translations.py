"""The live translations of a page, which the head (alternate links, Open Graph locales) and
the header's language links all show: read once per request."""

from urllib.parse import unquote, urlsplit, urlunsplit

from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import override


def live_translations(page, request=None):
    """{language code: page} for every live translation of `page`, itself included."""
    memo = getattr(request, "_live_translations", None) if request is not None else None
    if memo is not None and page.pk in memo:
        return memo[page.pk]
    translations = {
        translation.locale.language_code: translation
        for translation in page.get_translations(inclusive=True).live().select_related("locale")
    }
    if request is not None:
        if memo is None:
            memo = request._live_translations = {}
        memo[page.pk] = translations
    return translations


def translated_paths(request):
    """{language code: the request's full path in that language} for settings.LANGUAGES, as
    Django's `translate_url` gives it, read once per request: the header's language links and
    the head's alternate links both show them, and `translate_url` resolves the path anew for
    each language (14 resolutions: 5 of a thread page's 29 ms of CPU, bench/pages.py)."""
    memo = getattr(request, "_translated_paths", None)
    if memo is not None:
        return memo
    path = request.get_full_path()
    parts = urlsplit(path)
    try:
        match = resolve(unquote(parts.path))
    except Resolver404:
        match = None
    memo = {}
    for code, _name in settings.LANGUAGES:
        memo[code] = path if match is None else _reversed(match, parts, code) or path
    request._translated_paths = memo
    return memo


def _reversed(match, parts, code):
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    with override(code):
        try:
            found = reverse(name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return None
    return urlunsplit((parts.scheme, parts.netloc, found, parts.query, parts.fragment))
