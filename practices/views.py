"""A page per country and per theme: what the library holds for it, in the visitor's locale.

Both pages ask the search service, as the practice and guide listings do, for the newest
practices and guides of the active locale's language with the country or theme (a theme
includes every theme below it); when that language has none, they fall back to every
language so a visitor never lands on an empty page that the library could fill. Each list
links into the filtered practice or guide listing."""

import re
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from wagtail.models import Locale, Page

from pagecache.memo import remembered
from practices import tallies
from practices.citations import FORMATS, Citation, published_revision
from practices.models import GuideIndexPage, LibraryPage, PracticeIndexPage
from search.backends import get_search_backend
from search.backends.base import SearchQuery
from search.indexing import items_of
from search.params import ALL_LANGUAGES
from taxonomy.countries import country_name
from taxonomy.models import Country, Theme

SHOWN_PER_SECTION = 12
COUNTRY_CODE = re.compile(r"[A-Za-z]{2}")


# The search parameter of each filter of these pages, and its `SearchQuery` field.
QUERY_FIELDS = {"country": "countries", "theme": "themes"}


def _section(request, index_model, locale, facet, value):
    """The newest items of `index_model`'s type with `value` for `facet` ("country" or
    "theme"): those in `locale`'s language when there are any, else those of every
    language; with their number and a link to the full listing."""
    backend = get_search_backend()
    query = SearchQuery(
        types=(index_model.item_type,),
        languages=(locale.language_code,) if locale else (),
        sort="newest",
        page_size=SHOWN_PER_SECTION,
        with_facets=False,
        **{QUERY_FIELDS[facet]: (value,)},
    )
    response = backend.search(query)
    all_languages = response.total == 0
    if all_languages and query.languages:
        response = backend.search(SearchQuery(**{**query.__dict__, "languages": ()}))
    index = (
        remembered(
            f"practices:index:{index_model.__name__}:{locale.pk}",
            lambda: index_model.objects.live().filter(locale=locale).first(),
        )
        if locale
        else None
    )
    listing_url = ""
    if index is not None and response.total:
        params = [(facet, value)] + ([("language", ALL_LANGUAGES)] if all_languages else [])
        listing_url = f"{index.get_url(request)}?{urlencode(params)}"
    return {
        "items": items_of(response.hits),
        "count": response.total,
        "all_languages": all_languages,
        "listing_url": listing_url,
    }


# The locale, the theme or country and the listing pages of the theme and country pages are
# remembered per content generation (pagecache.memo): 5 of a theme page's 13 queries and 4
# of a country page's 10; 29 → 25 and 22 → 18.5 ms of CPU (bench/request_cpu.py at 100,000
# practices, bench/README.md); what the search service finds is asked each time.
def _active_locale():
    code = get_language() or settings.LANGUAGE_CODE
    return remembered(
        f"practices:locale:{code}", lambda: Locale.objects.filter(language_code=code).first()
    )


def country_index(request):
    """Every country with published practices, with their number, on a map and in a table."""
    counts = tallies.practices_per_country()
    rows = sorted(
        (
            {"name": country_name(code), "url": Country(code=code).get_absolute_url(), "count": n}
            for code, n in counts.items()
        ),
        key=lambda row: row["name"].casefold(),
    )
    context = {"counts": counts, "rows": rows, "total": sum(counts.values())}
    return render(request, "practices/country_index.html", context)


def country_detail(request, code):
    # Anything but two letters is no country; PostgreSQL would also refuse NUL characters.
    if not COUNTRY_CODE.fullmatch(code):
        raise Http404
    country = remembered(
        f"practices:country:{code.upper()}",
        lambda: get_object_or_404(Country, code=code.upper()),
    )
    locale = _active_locale()
    context = {
        "country": country,
        "practices": _section(request, PracticeIndexPage, locale, "country", country.code),
        "guides": _section(request, GuideIndexPage, locale, "country", country.code),
    }
    return render(request, "practices/country_detail.html", context)


def _theme_and_subthemes(slug):
    theme = get_object_or_404(Theme.objects.select_related("parent"), slug=slug)
    return theme, list(theme.children.all())


def theme_detail(request, slug):
    theme, subthemes = remembered(f"practices:theme:{slug}", lambda: _theme_and_subthemes(slug))
    locale = _active_locale()
    context = {
        "theme": theme,
        "subthemes": subthemes,
        "practices": _section(request, PracticeIndexPage, locale, "theme", theme.slug),
        "guides": _section(request, GuideIndexPage, locale, "theme", theme.slug),
    }
    return render(request, "practices/theme_detail.html", context)


def _citable_page(page_id):
    """The live, public practice or guide `page_id`; 404 for anything else. A page taken
    offline or behind a view restriction takes its cited versions with it."""
    page = get_object_or_404(Page.objects.live().public().specific(), pk=page_id)
    if not isinstance(page, LibraryPage) or page.get_view_restrictions():
        raise Http404
    return page


def _published_revision_or_404(page, revision_id):
    found = published_revision(page, revision_id)
    if found is None:
        raise Http404
    return found


def cite_revision(request, page_id, revision_id):
    """A published revision of a practice or guide, read-only, as the page showed it then,
    with a banner pointing at the current version: the permanent URL citations give."""
    page = _citable_page(page_id)
    revision, published_at = _published_revision_or_404(page, revision_id)
    version = revision.as_object()
    citation = Citation(page=version, revision=revision, published_at=published_at, request=request)
    context = {
        "page": version,
        "self": version,
        "current_page": page,
        "archived_revision": revision,
        "citation": citation,
        "is_current_version": page.live_revision_id == revision.pk,
    }
    return render(request, version.get_template(request), context)


def cite_download(request, page_id, revision_id, fmt):
    """A revision's citation as a file in BibTeX, RIS or CSL-JSON."""
    if fmt not in FORMATS:
        raise Http404
    page = _citable_page(page_id)
    revision, published_at = _published_revision_or_404(page, revision_id)
    citation = Citation(
        page=revision.as_object(), revision=revision, published_at=published_at, request=request
    )
    extension, content_type = FORMATS[fmt]
    response = HttpResponse(citation.render(fmt), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{citation.filename}.{extension}"'
    return response
