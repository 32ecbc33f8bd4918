"""The live translations of a page, which the head (alternate links, Open Graph locales) and
the header's language links all show, and the request's path in each language."""

from urllib.parse import unquote, urlsplit, urlunsplit

from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import override
from wagtail.models import Page

from pagecache.memo import remembered


def live_translations(page, request=None):
    """{language code: page} for every live translation of `page`, itself included, read
    once per request and remembered per content generation (`pagecache.memo`: publishing,
    unpublishing or moving a page moves it on). Each is read with only what the head and
    the language links show (its title and what its URL is made of), not its whole row:
    every Wagtail page shows them, one query and about 1 ms of CPU (bench/README.md)."""
    memo = getattr(request, "_live_translations", None) if request is not None else None
    if memo is not None and page.pk in memo:
        return memo[page.pk]
    translations = remembered(
        f"editorial:translations:{page.translation_key}", lambda: _read_translations(page)
    )
    if request is not None:
        if memo is None:
            memo = request._live_translations = {}
        memo[page.pk] = translations
    return translations


def _read_translations(page):
    translations = (
        Page.objects.live()
        .filter(translation_key=page.translation_key)
        .only(*TRANSLATION_FIELDS)
        .select_related("locale")
    )
    return {translation.locale.language_code: translation for translation in translations}


# What a translation's title, URL and language read (Wagtail's `get_url` reads the path,
# depth and url_path).
TRANSLATION_FIELDS = ("id", "title", "path", "depth", "url_path", "locale", "translation_key")


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
