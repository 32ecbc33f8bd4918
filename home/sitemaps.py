"""The XML sitemap: every live public page of every locale with its translations as
`xhtml:link rel="alternate" hreflang` (pages in several locales share a translation key),
and the site's other public views (countries, themes, forum threads) in every UI language."""

from collections import defaultdict
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import Q
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page

from forums.models import Thread
from practices.models import PracticePage
from taxonomy.models import Country, Theme

UI_LANGUAGES = [code for code, _name in settings.LANGUAGES]


class PageSitemap(WagtailSitemap):
    """Wagtail's sitemap lists the default site's tree only, which is one locale's; this one
    lists the trees of every translation of the site's root, and each page's translations."""

    def items(self):
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        under_a_root = reduce(or_, (Q(path__startswith=root.path) for root in roots), Q())
        # Plain pages: the URL and dates are on Page; nothing here needs the specific types.
        return Page.objects.live().public().filter(under_a_root).order_by("path")

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list.select_related("locale"))
        translations = defaultdict(list)
        for translation in (
            Page.objects.live()
            .public()
            .filter(translation_key__in={page.translation_key for page in pages})
            .select_related("locale")
            .order_by("path")
        ):
            translations[translation.translation_key].append(translation)
        urls, last_mods = [], set()
        for item in pages:
            location = item.get_full_url(self.request)
            if location is None:
                continue
            lastmod = self.lastmod(item)
            alternates = [
                {"lang_code": other.locale.language_code, "location": url}
                for other in translations[item.translation_key]
                if (url := other.get_full_url(self.request)) is not None
            ]
            if len(alternates) < 2:
                alternates = []
            else:
                alternates.sort(key=lambda alternate: _language_order(alternate["lang_code"]))
                default = next(
                    (a for a in alternates if a["lang_code"] == settings.LANGUAGE_CODE), None
                )
                if default is not None:
                    alternates.append({"lang_code": "x-default", "location": default["location"]})
            urls.append(
                {"item": item, "location": location, "lastmod": lastmod, "alternates": alternates}
            )
            last_mods.add(lastmod)
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


def _language_order(code):
    return (UI_LANGUAGES.index(code) if code in UI_LANGUAGES else len(UI_LANGUAGES), code)


class ViewSitemap(DjangoSitemap):
    """A Django view's addresses in every UI language, each listing the others."""

    i18n = True
    alternates = True
    x_default = True

    def get_languages_for_item(self, item):
        return UI_LANGUAGES


class CountrySitemap(ViewSitemap):
    """The countries index and the country pages of countries with a published practice."""

    def items(self):
        codes = (
            PracticePage.objects.live()
            .public()
            .filter(countries__isnull=False)
            .values_list("countries__code", flat=True)
            .distinct()
        )
        return ["index", *Country.objects.filter(code__in=codes).order_by("code")]

    def location(self, item):
        if item == "index":
            return reverse("country_index")
        return item.get_absolute_url()


class ThemeSitemap(ViewSitemap):
    def items(self):
        return Theme.objects.order_by("sort_order", "slug")


class ThreadSitemap(ViewSitemap):
    def items(self):
        return Thread.objects.select_related("forum").order_by("pk")

    def lastmod(self, item):
        return item.last_post_at


SITEMAPS = {
    "pages": PageSitemap,
    "countries": CountrySitemap,
    "themes": ThemeSitemap,
    "threads": ThreadSitemap,
}
