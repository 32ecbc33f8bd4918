"""Filtered, counted, paginated listings of practices and guides.

Filters come from the query string so every state of a listing is a plain link that works
without JavaScript:

- ``theme`` (slug, repeatable): a parent theme also matches its sub-themes;
- ``country`` (ISO 3166-1 alpha-2, repeatable);
- ``year`` (repeatable) and, for practices, ``status`` (repeatable);
- ``language``: a locale's language code, or ``all``. "Language" always means the Wagtail
  locale a page lives in (the language its text is written in), never ``original_language``;
  by default a listing shows its own index page's locale.

Values of one filter are OR-ed, different filters are AND-ed. Facet counts follow the usual
"disjunctive" rule: the counts of one filter apply every other filter but not itself, so a
visitor sees what ticking one more box would add. Each facet is one aggregate query, so the
number of queries does not depend on the number of items.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.models import Locale

from editorial.languages import language_name
from taxonomy.countries import country_name
from taxonomy.models import Country, Theme

PER_PAGE = 12
ALL_LANGUAGES = "all"
SORTS = {
    "newest": ("-first_published_at", "-pk"),
    "title": ("title", "pk"),
}
DEFAULT_SORT = "newest"
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
COUNTRY_CODE = re.compile(r"[A-Z]{2}")
YEAR = re.compile(r"[0-9]{4}")


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    # Sub-themes are listed under their parent.
    children: list = field(default_factory=list)
    toggle_url: str = ""


@dataclass
class Facet:
    name: str
    label: str
    options: list
    multiple: bool = True

    @property
    def has_selection(self):
        return any(option.selected for option in self.all_options())

    def all_options(self):
        for option in self.options:
            yield option
            yield from option.children


@dataclass
class ActiveFilter:
    label: str
    remove_url: str


class LibraryListing:
    """The state of one request on a practice or guide index page."""

    def __init__(self, request, model, index_page, per_page=PER_PAGE):
        self.request = request
        self.model = model
        self.index_page = index_page
        self.per_page = per_page
        self.notices = []
        self.has_status = hasattr(model, "Status")
        self._parse(request.GET)

    # --- reading the query string -------------------------------------------------------

    def _parse(self, params):
        self.themes = self._parse_themes(params.getlist("theme"))
        self.countries = self._parse_countries(params.getlist("country"))
        self.years = self._parse_years(params.getlist("year"))
        self.statuses = self._parse_statuses(params.getlist("status")) if self.has_status else []
        self.language = self._parse_language(params.get("language", ""))
        sort = params.get("sort", "") or DEFAULT_SORT
        if sort not in SORTS:
            self.notices.append(
                _("Unknown sort order “%(value)s”; showing newest first.")
                % {"value": Truncator(sort).chars(40)}
            )
            sort = DEFAULT_SORT
        self.sort = sort
        self.page_param = params.get("page", "1")

    def _ignored(self, what, values):
        if values:
            self.notices.append(
                _("Ignored unknown %(filter)s: %(values)s.")
                % {
                    "filter": what,
                    "values": ", ".join(sorted(Truncator(v).chars(40) for v in values)),
                }
            )

    def _parse_themes(self, values):
        values = {value.strip() for value in values if value.strip()}
        if not values:
            return []
        # Only well-formed slugs reach the database (PostgreSQL refuses NUL characters).
        candidates = {value for value in values if SLUG.fullmatch(value)}
        found = list(Theme.objects.filter(slug__in=candidates)) if candidates else []
        self._ignored(_("theme"), values - {theme.slug for theme in found})
        return found

    def _parse_countries(self, values):
        values = {value.strip().upper() for value in values if value.strip()}
        if not values:
            return []
        candidates = {value for value in values if COUNTRY_CODE.fullmatch(value)}
        found = set(
            Country.objects.filter(code__in=candidates).values_list("code", flat=True)
            if candidates
            else []
        )
        self._ignored(_("country"), values - found)
        return sorted(found)

    def _parse_years(self, values):
        years, bad = set(), set()
        for value in values:
            value = value.strip()
            if not value:
                continue
            if YEAR.fullmatch(value):
                years.add(int(value))
            else:
                bad.add(value)
        self._ignored(_("year"), bad)
        return sorted(years)

    def _parse_statuses(self, values):
        values = {value.strip() for value in values if value.strip()}
        valid = set(self.model.Status.values)
        self._ignored(_("status"), values - valid)
        return sorted(values & valid)

    def _parse_language(self, value):
        value = value.strip()
        if not value:
            return self.index_page.locale.language_code
        if value == ALL_LANGUAGES or value in self.language_codes:
            return value
        self._ignored(_("language"), {value})
        return self.index_page.locale.language_code

    @cached_property
    def language_codes(self):
        return set(Locale.objects.values_list("language_code", flat=True))

    # --- querying -----------------------------------------------------------------------

    @cached_property
    def theme_ids(self):
        """The chosen themes and their sub-themes."""
        if not self.themes:
            return []
        chosen = [theme.pk for theme in self.themes]
        return list(
            Theme.objects.filter(Q(pk__in=chosen) | Q(parent__in=chosen)).values_list(
                "pk", flat=True
            )
        )

    def _base(self):
        return self.model.objects.live().public()

    def _filtered(self, skip=None):
        """Live pages with every filter applied except `skip`."""
        queryset = self._base()
        model = self.model
        if skip != "language" and self.language != ALL_LANGUAGES:
            queryset = queryset.filter(locale__language_code=self.language)
        # Many-to-many filters go through a subquery so a page matching two values is not
        # listed twice and no DISTINCT is needed.
        if skip != "theme" and self.themes:
            queryset = queryset.filter(
                pk__in=model.objects.filter(themes__in=self.theme_ids).values("pk")
            )
        if skip != "country" and self.countries:
            queryset = queryset.filter(
                pk__in=model.objects.filter(countries__code__in=self.countries).values("pk")
            )
        if skip != "year" and self.years:
            queryset = queryset.filter(year__in=self.years)
        if skip != "status" and self.statuses:
            queryset = queryset.filter(status__in=self.statuses)
        return queryset

    @cached_property
    def queryset(self):
        return (
            self._filtered()
            .select_related("locale", "lead_organisation")
            .prefetch_related("themes", "countries")
            .order_by(*SORTS[self.sort])
        )

    @cached_property
    def page(self):
        """The requested page of results; a page number out of range or not a number gives
        the nearest valid page rather than an error."""
        return Paginator(self.queryset, self.per_page).get_page(self.page_param)

    @property
    def items(self):
        return self.page.object_list

    @property
    def count(self):
        return self.page.paginator.count

    @property
    def is_filtered(self):
        return bool(self.active_filters)

    # --- facet counts (one aggregate query each) ------------------------------------------

    def _in(self, skip):
        """Pages matching every filter except `skip`, as a subquery of primary keys."""
        return self.model.objects.filter(pk__in=self._filtered(skip=skip).values("pk"))

    def _theme_counts(self):
        pages = self._in("theme")
        direct = dict(pages.values_list("themes").annotate(n=Count("pk", distinct=True)).order_by())
        # A page tagged with a sub-theme counts once towards its parent, even when it also
        # has the parent or a second sub-theme.
        rolled_up = dict(
            pages.filter(themes__isnull=False)
            .annotate(root=Coalesce("themes__parent_id", "themes__id"))
            .values_list("root")
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        return direct, rolled_up

    @cached_property
    def facets(self):
        facets = [self._theme_facet(), self._country_facet(), self._year_facet()]
        if self.has_status:
            facets.append(self._status_facet())
        facets.append(self._language_facet())
        return facets

    def _theme_facet(self):
        direct, rolled_up = self._theme_counts()
        selected = {theme.slug for theme in self.themes}
        all_themes = list(Theme.objects.all())
        options = []
        by_parent = {}
        for theme in all_themes:
            if theme.parent_id:
                by_parent.setdefault(theme.parent_id, []).append(theme)
        for theme in all_themes:
            if theme.parent_id:
                continue
            children = [
                self._option(
                    "theme",
                    child.slug,
                    child.label(),
                    direct.get(child.pk, 0),
                    child.slug in selected,
                )
                for child in by_parent.get(theme.pk, [])
            ]
            option = self._option(
                "theme",
                theme.slug,
                theme.label(),
                rolled_up.get(theme.pk, 0),
                theme.slug in selected,
            )
            option.children = [child for child in children if child.count or child.selected]
            if option.count or option.selected:
                options.append(option)
        return Facet("theme", _("Theme"), options)

    def _country_facet(self):
        counts = dict(
            self._in("country")
            .filter(countries__isnull=False)
            .values_list("countries__code")
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        for code in self.countries:
            counts.setdefault(code, 0)
        options = [
            self._option("country", code, country_name(code), count, code in self.countries)
            for code, count in counts.items()
        ]
        options.sort(key=lambda option: option.label)
        return Facet("country", _("Country"), options)

    def _year_facet(self):
        counts = dict(
            self._in("year")
            .filter(year__isnull=False)
            .values_list("year")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for year in self.years:
            counts.setdefault(year, 0)
        options = [
            self._option("year", str(year), str(year), count, year in self.years)
            for year, count in sorted(counts.items(), reverse=True)
        ]
        return Facet("year", _("Year"), options)

    def _status_facet(self):
        counts = dict(self._in("status").values_list("status").annotate(n=Count("pk")).order_by())
        options = [
            self._option("status", value, label, counts.get(value, 0), value in self.statuses)
            for value, label in self.model.Status.choices
        ]
        return Facet("status", _("Status"), options)

    def _language_facet(self):
        counts = dict(
            self._in("language")
            .values_list("locale__language_code")
            .annotate(n=Count("pk"))
            .order_by()
        )
        options = [
            self._option(
                "language",
                ALL_LANGUAGES,
                _("All languages"),
                sum(counts.values()),
                self.language == ALL_LANGUAGES,
            )
        ]
        for code, name in settings.LANGUAGES:
            if code in counts or code in (self.language, self.index_page.locale.language_code):
                options.append(
                    self._option("language", code, name, counts.get(code, 0), code == self.language)
                )
        return Facet("language", _("Language"), options, multiple=False)

    def _option(self, name, value, label, count, selected):
        option = FacetOption(value=value, label=label, count=count, selected=selected)
        option.toggle_url = self._url_toggling(name, value, selected)
        return option

    # --- links ---------------------------------------------------------------------------

    def _state(self):
        """The current filters as (name, value) pairs, without the page number."""
        pairs = [("theme", theme.slug) for theme in self.themes]
        pairs += [("country", code) for code in self.countries]
        pairs += [("year", str(year)) for year in self.years]
        pairs += [("status", status) for status in self.statuses]
        if self.language != self.index_page.locale.language_code:
            pairs.append(("language", self.language))
        if self.sort != DEFAULT_SORT:
            pairs.append(("sort", self.sort))
        return pairs

    def _query(self, pairs):
        return "?" + urlencode(pairs) if pairs else "?"

    def _url_toggling(self, name, value, selected):
        pairs = [pair for pair in self._state() if pair[0] != "language" or name != "language"]
        if selected:
            pairs = [pair for pair in pairs if pair != (name, value)]
        elif name == "language":
            if value != self.index_page.locale.language_code:
                pairs.append((name, value))
        else:
            pairs.append((name, value))
        return self._query(pairs)

    def page_url(self, number):
        return self._query(self._state() + [("page", str(number))])

    @cached_property
    def sort_options(self):
        base = [pair for pair in self._state() if pair[0] != "sort"]
        labels = {"newest": _("Newest first"), "title": _("Title A–Z")}
        return [
            {
                "value": value,
                "label": labels[value],
                "selected": value == self.sort,
                "url": self._query(base + ([("sort", value)] if value != DEFAULT_SORT else [])),
            }
            for value in SORTS
        ]

    @cached_property
    def active_filters(self):
        labels = {}
        for theme in self.themes:
            labels[("theme", theme.slug)] = theme.label()
        for code in self.countries:
            labels[("country", code)] = country_name(code)
        for year in self.years:
            labels[("year", str(year))] = str(year)
        if self.has_status:
            names = dict(self.model.Status.choices)
            for status in self.statuses:
                labels[("status", status)] = names[status]
        if self.language != self.index_page.locale.language_code:
            labels[("language", self.language)] = (
                _("All languages")
                if self.language == ALL_LANGUAGES
                else language_name(self.language)
            )
        return [
            ActiveFilter(label=label, remove_url=self._url_toggling(name, value, True))
            for (name, value), label in labels.items()
        ]

    @property
    def clear_url(self):
        return self._query([("sort", self.sort)] if self.sort != DEFAULT_SORT else [])

    @property
    def page_links(self):
        """Page numbers around the current one; gaps have no URL."""
        paginator = self.page.paginator
        numbers = paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1)
        return [
            {"number": number, "url": "" if number == paginator.ELLIPSIS else self.page_url(number)}
            for number in numbers
        ]

    @property
    def page_url_previous(self):
        return self.page_url(self.page.previous_page_number())

    @property
    def page_url_next(self):
        return self.page_url(self.page.next_page_number())

    @property
    def all_languages_url(self):
        return self._url_toggling("language", ALL_LANGUAGES, False)
