"""A page per country and per theme: what the library holds for it, in the visitor's locale.

Both pages list the practices and guides of the active locale; when the locale has none,
they fall back to every language so a visitor never lands on an empty page that the
library could fill. Each list links into the filtered practice or guide listing."""

import re
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from wagtail.models import Locale

from practices.listing import ALL_LANGUAGES
from practices.models import GuideIndexPage, GuidePage, PracticeIndexPage, PracticePage
from taxonomy.models import Country, Theme

SHOWN_PER_SECTION = 12
COUNTRY_CODE = re.compile(r"[A-Za-z]{2}")


def _section(request, model, index_model, locale, page_filter, params):
    """The live items of `model` matching `page_filter`: those of `locale` when there are
    any, else those of every language; with the count and a link to the full listing."""
    live = model.objects.live().public().filter(page_filter)
    in_locale = live.filter(locale=locale) if locale else live.none()
    count = in_locale.count()
    all_languages = count == 0
    items = live if all_languages else in_locale
    if all_languages:
        count = items.count()
    index = index_model.objects.live().filter(locale=locale).first() if locale else None
    listing_url = ""
    if index is not None and count:
        query = list(params) + ([("language", ALL_LANGUAGES)] if all_languages else [])
        listing_url = f"{index.get_url(request)}?{urlencode(query)}"
    return {
        "items": list(
            items.select_related("locale", "lead_organisation")
            .prefetch_related("themes", "countries")
            .order_by("-first_published_at", "-pk")[:SHOWN_PER_SECTION]
        ),
        "count": count,
        "all_languages": all_languages,
        "listing_url": listing_url,
    }


def _active_locale():
    return Locale.objects.filter(language_code=get_language() or settings.LANGUAGE_CODE).first()


def country_detail(request, code):
    # Anything but two letters is no country; PostgreSQL would also refuse NUL characters.
    if not COUNTRY_CODE.fullmatch(code):
        raise Http404
    country = get_object_or_404(Country, code=code.upper())
    locale = _active_locale()
    page_filter = Q(pk__in=PracticePage.objects.filter(countries=country).values("pk"))
    guide_filter = Q(pk__in=GuidePage.objects.filter(countries=country).values("pk"))
    params = [("country", country.code)]
    context = {
        "country": country,
        "practices": _section(
            request, PracticePage, PracticeIndexPage, locale, page_filter, params
        ),
        "guides": _section(request, GuidePage, GuideIndexPage, locale, guide_filter, params),
    }
    return render(request, "practices/country_detail.html", context)


def theme_detail(request, slug):
    theme = get_object_or_404(Theme.objects.select_related("parent"), slug=slug)
    theme_ids = [theme.pk, *theme.children.values_list("pk", flat=True)]
    locale = _active_locale()
    practice_filter = Q(pk__in=PracticePage.objects.filter(themes__in=theme_ids).values("pk"))
    guide_filter = Q(pk__in=GuidePage.objects.filter(themes__in=theme_ids).values("pk"))
    params = [("theme", theme.slug)]
    context = {
        "theme": theme,
        "subthemes": list(theme.children.all()),
        "practices": _section(
            request, PracticePage, PracticeIndexPage, locale, practice_filter, params
        ),
        "guides": _section(request, GuidePage, GuideIndexPage, locale, guide_filter, params),
    }
    return render(request, "practices/theme_detail.html", context)
