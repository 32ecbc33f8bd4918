"""What search engines and link previews read in a page's head: its canonical URL, Open Graph
and Twitter card tags, and schema.org JSON-LD.

A model says what it is in schema.org terms with a `structured_data(request)` method returning
a dict; `{% json_ld obj %}` writes it as a `<script type="application/ld+json">` data block,
which browsers never run (so the Content-Security-Policy has nothing to refuse)."""

import json
from urllib.parse import parse_qsl, urlencode

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from wagtail.models import Page

from editorial.translations import live_translations

register = template.Library()

SITE_NAME = "Practice Commons"
DESCRIPTION_LENGTH = 300

# Query parameters that say where a visitor came from, not what the page shows.
TRACKING_PARAMETERS = {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "ref", "_ga"}
TRACKING_PREFIXES = ("utm_",)

# Open Graph wants language_TERRITORY; the territory where each UI language is mostly read.
OG_LOCALES = {
    "en": "en_GB",
    "ar": "ar_AR",
    "mk": "mk_MK",
    "ro": "ro_RO",
    "pl": "pl_PL",
    "ka": "ka_GE",
    "tr": "tr_TR",
}

# The same escapes as Django's json_script: the JSON cannot close the script element.
LD_JSON_BLOCK = '<script type="application/ld+json">{}</script>'
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _is_tracking(name):
    return name.lower() in TRACKING_PARAMETERS or name.lower().startswith(TRACKING_PREFIXES)


def canonical_url(request, page=None):
    """The one address of what the request shows: a Wagtail page's own URL (keeping only the
    query parameters it declares in `canonical_parameters`, such as a listing's filters), or
    for any other view its path with the query minus tracking parameters and empty values."""
    if isinstance(page, Page):
        base = page.get_full_url(request)
        if base is None:
            return ""
        keep = set(getattr(page.specific_deferred, "canonical_parameters", ())).__contains__
    else:
        base = request.build_absolute_uri(request.path)

        def keep(name):
            return not _is_tracking(name)

    query = [(name, value) for name, value in parse_qsl(request.META.get("QUERY_STRING", ""))]
    query = [(name, value) for name, value in query if value.strip() and keep(name)]
    return f"{base}?{urlencode(query)}" if query else base


def _description(page, given):
    text = given or ""
    if not text and isinstance(page, Page):
        specific = page.specific_deferred
        text = page.search_description or getattr(specific, "summary", "")
    return Truncator(" ".join(str(text).split())).chars(DESCRIPTION_LENGTH)


@register.inclusion_tag("includes/page_metadata.html", takes_context=True)
def page_metadata(context, title="", description="", kind=""):
    """<link rel="canonical">, the description, Open Graph and Twitter card tags. Pages give
    their own title and description; other views pass them."""
    request = context.get("request")
    page = context.get("page")
    if not isinstance(page, Page):
        page = None
    if page is not None:
        title = title or page.seo_title or page.title
        kind = kind or getattr(page.specific_deferred, "open_graph_type", "website")
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    alternates = []
    if page is not None:
        translations = live_translations(page, request)
        codes = [code for code, other in translations.items() if other.pk != page.pk]
        alternates = sorted(OG_LOCALES.get(code, code) for code in codes)
    return {
        "canonical": canonical_url(request, page) if request is not None else "",
        "title": title or SITE_NAME,
        "description": _description(page, description),
        "kind": kind or "website",
        "site_name": SITE_NAME,
        "og_locale": OG_LOCALES.get(language, language),
        "og_locale_alternates": alternates,
    }


@register.simple_tag(takes_context=True)
def json_ld(context, *subjects):
    """A `<script type="application/ld+json">` block per subject: a dict, or an object with
    `structured_data(request)`. Nothing for subjects without data."""
    request = context.get("request")
    blocks = []
    for subject in subjects:
        data = subject
        if hasattr(subject, "structured_data"):
            data = subject.structured_data(request)
        if not data:
            continue
        text = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
        blocks.append(format_html(LD_JSON_BLOCK, mark_safe(text)))
    return mark_safe("\n".join(blocks))
