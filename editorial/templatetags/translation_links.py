"""Links between a page and its translations: the "Also available in" list on practices and
guides, and the `<link rel="alternate" hreflang>` tags of the head."""

from django import template
from django.conf import settings
from django.utils.translation import get_language_info
from wagtail.models import Page

from editorial.translations import live_translations, translated_paths

register = template.Library()

LANGUAGE_ORDER = [code for code, _name in settings.LANGUAGES]
LANGUAGE_NAMES = dict(settings.LANGUAGES)


def _ordered(codes):
    """Codes in the order of settings.LANGUAGES; any other language after them."""
    return sorted(
        codes,
        key=lambda code: (LANGUAGE_ORDER.index(code) if code in LANGUAGE_ORDER else 99, code),
    )


def _language_name(code):
    """The language's name in that language (what a reader of it looks for)."""
    if code in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[code]
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


def _direction(code):
    try:
        return "rtl" if get_language_info(code)["bidi"] else "ltr"
    except KeyError:
        return "ltr"


@register.simple_tag(takes_context=True)
def other_translations(context, page=None):
    """The live translations of `page` (default: the context's page) other than itself, in
    the order of settings.LANGUAGES: [{code, name, dir, title, url}]."""
    page = page or context.get("page")
    if not isinstance(page, Page):
        return []
    request = context.get("request")
    translations = live_translations(page, request)
    own = page.locale.language_code
    return [
        {
            "code": code,
            "name": _language_name(code),
            "dir": _direction(code),
            "title": translations[code].title,
            "url": translations[code].get_url(request),
        }
        for code in _ordered(translations)
        if code != own
    ]


@register.simple_tag(takes_context=True)
def alternate_links(context):
    """[{hreflang, url}] for `<link rel="alternate">`: a page's live translations, or for any
    other view the same path in every language; plus x-default (the English version)."""
    request = context.get("request")
    if request is None:
        return []
    page = context.get("page")
    urls = {}
    if isinstance(page, Page):
        for code, translation in live_translations(page, request).items():
            url = translation.get_full_url(request)
            if url:
                urls[code] = url
    else:
        paths = translated_paths(request)
        for code in LANGUAGE_ORDER:
            urls[code] = request.build_absolute_uri(paths[code])
    if len(urls) < 2:
        return []
    links = [{"hreflang": code, "url": urls[code]} for code in _ordered(urls)]
    if settings.LANGUAGE_CODE in urls:
        links.append({"hreflang": "x-default", "url": urls[settings.LANGUAGE_CODE]})
    return links
