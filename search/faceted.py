"""A page of search results with its facets, as the search page and the library listings
(practices, guides) draw it: facet groups with counts, active filters, sort links and page
links, each a plain link that changes one thing of the search, so that every state works
without JavaScript.

A listing is a search whose types are fixed and which has defaults of its own: a language
(its locale's, until `language=all`) and a sort; parameters equal to a default are left out
of its links."""

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

from .backends.base import FACETS, SearchQuery, SearchResponse
from .params import ALL_LANGUAGES

FACET_LABELS = {
    "theme": _("Theme"),
    "country": _("Country"),
    "type": _("Type"),
    "language": _("Language"),
    "year": _("Year"),
    "status": _("Status"),
    "label": _("Quality label"),
}
SORT_LABELS = {
    "relevance": _("Relevance"),
    "newest": _("Newest first"),
    "title": _("Title A–Z"),
}


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


class FacetedPage:
    """Everything a template needs to draw one page of `response` to `query`, and links
    that change one thing of it, under `base_url`."""

    def __init__(
        self,
        query: SearchQuery,
        response: SearchResponse,
        *,
        base_url,
        facets=FACETS,
        sorts=("relevance", "newest", "title"),
        default_sort="relevance",
        default_languages=(),
    ):
        self.query = query
        self.response = response
        self.base_url = base_url
        self.facets = tuple(facets)
        self.sorts = sorts
        self.default_sort = default_sort
        self.default_languages = list(default_languages)
        self.selected = self._selected()

    def _selected(self):
        query = self.query
        values = {
            "theme": list(query.themes),
            "country": list(query.countries),
            "type": list(query.types),
            "language": list(query.languages),
            "year": [str(year) for year in query.years],
            "status": list(query.statuses),
            "label": list(query.labels),
        }
        if self.default_languages and not query.languages:
            values["language"] = [ALL_LANGUAGES]
        return {facet: values[facet] for facet in self.facets}

    # -- links ------------------------------------------------------------------------------

    def params(self, **changes):
        params = []
        if self.query.text:
            params.append(("q", self.query.text))
        for facet, values in self.selected.items():
            values = list(changes.get(facet, values))
            if facet == "language" and values == self.default_languages:
                continue
            params.extend((facet, value) for value in values)
        for organisation in self.query.organisations:
            params.append(("organisation", organisation))
        sort = changes.get("sort", self.query.sort)
        if sort != self.default_sort:
            params.append(("sort", sort))
        page = changes.get("page", 1)
        if page != 1:
            params.append(("page", page))
        return params

    def url(self, **changes):
        params = self.params(**changes)
        return self.base_url + ("?" + urlencode(params) if params else "")

    def without(self, facet, value):
        return self.url(**{facet: [v for v in self.selected[facet] if v != value]})

    @property
    def all_languages_url(self):
        return self.url(language=[ALL_LANGUAGES])

    @property
    def clear_url(self):
        return self.url(**{facet: [] for facet in self.facets})

    # -- facets -----------------------------------------------------------------------------

    @cached_property
    def facet_groups(self):
        """One group per facet: its values with their counts (each facet counted with every
        filter but its own), and selected values with no match, so they can be unticked."""
        groups = []
        for facet in self.facets:
            selected = self.selected[facet]
            found = self.response.facets.get(facet, [])
            options = [
                FacetOption(item.value, item.label, item.count, item.value in selected)
                for item in found
            ]
            shown = {option.value for option in options}
            options += [
                FacetOption(value, value, 0, True)
                for value in selected
                if value not in shown and value != ALL_LANGUAGES
            ]
            if facet == "language" and self.default_languages:
                every = FacetOption(
                    ALL_LANGUAGES,
                    str(_("All languages")),
                    sum(item.count for item in found),
                    ALL_LANGUAGES in selected,
                )
                options.insert(0, every)
            groups.append(
                {
                    "name": facet,
                    "label": FACET_LABELS[facet],
                    "options": options,
                    "has_selection": bool(selected) and selected != self.default_languages,
                }
            )
        return groups

    @cached_property
    def active_filters(self):
        labels = {
            (facet, item.value): item.label
            for facet, items in self.response.facets.items()
            for item in items
        }
        labels[("language", ALL_LANGUAGES)] = str(_("All languages"))
        return [
            {"label": labels.get((facet, value), value), "remove_url": self.without(facet, value)}
            for facet, values in self.selected.items()
            if not (facet == "language" and values == self.default_languages)
            for value in values
        ]

    @cached_property
    def sort_options(self):
        return [
            {
                "value": sort,
                "label": SORT_LABELS[sort],
                "url": self.url(sort=sort),
                "selected": self.query.sort == sort,
            }
            for sort in self.sorts
        ]

    # -- pages ------------------------------------------------------------------------------

    @property
    def page_number(self):
        return self.query.page

    @property
    def last_page(self):
        return max(1, -(-self.response.total // self.query.page_size))

    @property
    def previous_url(self):
        return self.url(page=self.query.page - 1) if self.query.page > 1 else ""

    @property
    def next_url(self):
        return self.url(page=self.query.page + 1) if self.query.page < self.last_page else ""

    @cached_property
    def page_links(self):
        """Links to the first and last pages and two on each side of this one; a gap between
        them is a link without number or URL."""
        last_page, page = self.last_page, self.query.page
        if last_page == 1:
            return []
        numbers = sorted({1, last_page, *range(max(1, page - 2), min(last_page, page + 2) + 1)})
        links, previous = [], 0
        for number in numbers:
            if number - previous > 1:
                links.append({"number": None, "url": None})
            links.append({"number": number, "url": self.url(page=number)})
            previous = number
        return links
