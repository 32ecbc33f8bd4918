"""Site-wide navigation for templates: the active locale's sections and the language links."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import resolve_url
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.models import Page, Site

from editorial.translations import live_translations, translated_paths
from home.models import HomePage, SiteSettings
from pagecache.memo import remembered
from practices.models import GuideIndexPage, PracticeIndexPage

register = template.Library()


def _language_prefix(language):
    # English is served without a prefix (i18n_patterns with prefix_default_language=False).
    return "/" if language == settings.LANGUAGE_CODE else f"/{language}/"


@register.simple_tag
def localized_path(path=""):
    """A path under the active language's prefix, e.g. "search/" → "/ar/search/"."""
    return _language_prefix(get_language() or settings.LANGUAGE_CODE) + path.lstrip("/")


@register.simple_tag(takes_context=True)
def login_url(context):
    """The sign-in page, coming back to the current page afterwards."""
    url = resolve_url(settings.LOGIN_URL)
    request = context.get("request")
    if request is None:
        return url
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


def _locale_sections(request):
    """The active locale's home, practice and guide index pages, once per request."""
    language = get_language() or settings.LANGUAGE_CODE
    cache = getattr(request, "_locale_sections", None) if request is not None else None
    if cache is not None and cache[0] == language:
        return cache[1]
    sections = remembered(f"home:sections:{language}", lambda: _read_sections(language))
    if request is not None:
        request._locale_sections = (language, sections)
    return sections


def _read_sections(language):
    """The locale's sections, remembered until the content changes (pagecache.memo)."""
    sections = {"home": None, "practices": None, "guides": None}
    # One query for the three: plain pages (links need no more), told apart by content type.
    kinds = {
        ContentType.objects.get_for_model(model).pk: name
        for name, model in (
            ("home", HomePage),
            ("practices", PracticeIndexPage),
            ("guides", GuideIndexPage),
        )
    }
    pages = (
        Page.objects.live()
        .filter(locale__language_code=language, content_type_id__in=kinds)
        .order_by("path")
    )
    for page in pages:
        sections[kinds[page.content_type_id]] = sections[kinds[page.content_type_id]] or page
    return sections


@register.simple_tag(takes_context=True)
def locale_sections(context):
    """{"home", "practices", "guides"}: the active locale's pages (None when missing)."""
    return _locale_sections(context.get("request"))


@register.simple_tag(takes_context=True)
def site_about(context):
    """The site settings' "about" text, which the footer shows on every page: remembered
    until the content changes (saving the settings moves it on), where reading it was a
    query on every page (bench/pages.py)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return ""
    return remembered(f"home:about:{site.pk}", lambda: SiteSettings.for_site(site).about)


@register.simple_tag
def section_current(page, section):
    """The `aria-current` of the header's link to `section` on `page`: "page" on the section
    itself, "true" on a page right under it. Told by their tree paths: `page.get_parent` was
    a query on every practice and guide page (bench/pages.py)."""
    if not isinstance(page, Page) or section is None:
        return ""
    if page.pk == section.pk:
        return mark_safe(' aria-current="page"')
    if page.depth == section.depth + 1 and page.path.startswith(section.path):
        return mark_safe(' aria-current="true"')
    return ""


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per UI language: the current page's live translation when it has one, else
    the same path in that language (Django views) or that language's home page."""
    request = context.get("request")
    page = context.get("page")
    current = get_language() or settings.LANGUAGE_CODE
    translations = live_translations(page, request) if isinstance(page, Page) else {}
    links = []
    for code, name in settings.LANGUAGES:
        if code in translations:
            url = translations[code].get_url(request)
        elif isinstance(page, Page) or request is None:
            url = _language_prefix(code)
        else:
            url = translated_paths(request)[code]
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links
