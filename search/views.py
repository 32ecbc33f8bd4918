"""The search page, its Atom feed and the JSON API. All three read their parameters with
`search.params.parse_search` and ask `get_search_backend()`; none knows which backend
answers."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail import hooks

from .backends import get_search_backend
from .backends.base import FACETS, SearchQuery
from .params import InvalidSearch, parse_search
from .syndication import XmlSafeAtom

FILTER_PARAMETERS = {
    "theme": "theme",
    "country": "country",
    "type": "type",
    "language": "language",
    "year": "year",
}
FEED_SIZE = 50
SUGGESTION_PREFIX_LENGTH = 100


def _ui_language():
    return (translation.get_language() or "en").split("-")[0]


# -- JSON API ---------------------------------------------------------------------------


def _error(error: InvalidSearch):
    return JsonResponse({"error": error.message, "parameter": error.parameter}, status=400)


def response_json(response, request=None):
    def absolute(url):
        return request.build_absolute_uri(url) if request is not None and url else url

    data = {
        "count": response.total,
        "backend": response.backend,
        "results": [
            {
                "title": hit.title,
                "url": absolute(hit.url),
                "type": hit.type,
                "language": hit.language,
                "countries": hit.countries,
                "themes": hit.themes,
                "snippet": hit.snippet,
                "score": round(hit.score, 6),
                "source": hit.source,
            }
            for hit in response.hits
        ],
        "facets": {
            facet: [
                {"value": item.value, "label": item.label, "count": item.count}
                for item in response.facets.get(facet, [])
            ]
            for facet in FACETS
        },
    }
    if response.fallback_reason:
        data["fallback_reason"] = response.fallback_reason
    return data


@require_GET
def api_search(request):
    """GET /api/search/?q=&theme=&country=&type=&language=&year=&page=&page_size=&sort="""
    language = _clean_language(request.GET.get("ui_language", "")) or _ui_language()
    try:
        query = parse_search(request.GET, ui_language=language)
    except InvalidSearch as error:
        return _error(error)
    with translation.override(query.ui_language):
        response = get_search_backend().search(query)
        return JsonResponse(
            response_json(response, request), json_dumps_params={"ensure_ascii": False}
        )


def _clean_language(value):
    from django.conf import settings

    value = value.replace("\x00", "").strip()
    return value if value in dict(settings.LANGUAGES) else ""


@require_GET
def api_suggest(request):
    """GET /api/search/suggest/?q=<prefix>&language=<ui language>: titles for the search box."""
    prefix = request.GET.get("q", "").replace("\x00", "")[:SUGGESTION_PREFIX_LENGTH]
    language = _clean_language(request.GET.get("language", "")) or _ui_language()
    suggestions = get_search_backend().suggest(prefix, language=language) if prefix.strip() else []
    return JsonResponse({"suggestions": suggestions}, json_dumps_params={"ensure_ascii": False})


# -- the page ---------------------------------------------------------------------------


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


def _selected(query: SearchQuery):
    return {
        "theme": list(query.themes),
        "country": list(query.countries),
        "type": list(query.types),
        "language": list(query.languages),
        "year": [str(year) for year in query.years],
    }


class PageState:
    """Everything the template needs to draw links that change one thing of the search."""

    def __init__(self, request, query: SearchQuery):
        self.request = request
        self.query = query
        self.selected = _selected(query)

    def params(self, **changes):
        params = []
        if self.query.text:
            params.append(("q", self.query.text))
        for facet, values in self.selected.items():
            for value in changes.get(facet, values):
                params.append((FILTER_PARAMETERS[facet], value))
        for organisation in self.query.organisations:
            params.append(("organisation", organisation))
        sort = changes.get("sort", self.query.sort)
        if sort != "relevance":
            params.append(("sort", sort))
        page = changes.get("page", 1)
        if page != 1:
            params.append(("page", page))
        return params

    def url(self, **changes):
        params = self.params(**changes)
        return reverse("search") + ("?" + urlencode(params) if params else "")

    def without(self, facet, value):
        return self.url(**{facet: [v for v in self.selected[facet] if v != value]})

    def feed_url(self):
        params = [(k, v) for k, v in self.params() if k != "page"]
        return reverse("search_feed") + ("?" + urlencode(params) if params else "")


def _facet_groups(response, query):
    labels = {
        "theme": _("Theme"),
        "country": _("Country"),
        "type": _("Type"),
        "language": _("Language"),
        "year": _("Year"),
    }
    selected = _selected(query)
    groups = []
    for facet in FACETS:
        options = [
            FacetOption(item.value, item.label, item.count, item.value in selected[facet])
            for item in response.facets.get(facet, [])
        ]
        # A selected value with no matches still shows, so it can be unticked.
        shown = {option.value for option in options}
        options += [
            FacetOption(value, value, 0, True) for value in selected[facet] if value not in shown
        ]
        groups.append(
            {
                "name": facet,
                "label": labels[facet],
                "options": options,
                "has_selection": bool(selected[facet]),
            }
        )
    return groups


def _active_filters(state, response):
    labels = {
        (facet, item.value): item.label
        for facet, items in response.facets.items()
        for item in items
    }
    return [
        {"label": labels.get((facet, value), value), "remove_url": state.without(facet, value)}
        for facet, values in state.selected.items()
        for value in values
    ]


def _page_links(state, page, last_page):
    numbers = sorted({1, last_page, *range(max(1, page - 2), min(last_page, page + 2) + 1)})
    links, previous = [], 0
    for number in numbers:
        if number - previous > 1:
            links.append({"number": None, "url": None})
        links.append({"number": number, "url": state.url(page=number)})
        previous = number
    return links


@require_GET
def search_page(request):
    ui_language = _ui_language()
    error = None
    try:
        query = parse_search(request.GET, ui_language=ui_language)
    except InvalidSearch as invalid:
        error = invalid
        query = SearchQuery(
            text=request.GET.get("q", "").replace("\x00", "")[:200], ui_language=ui_language
        )
    backend = get_search_backend()
    response = backend.search(query)
    state = PageState(request, query)
    last_page = max(1, -(-response.total // query.page_size))
    related_themes = []
    if response.total == 0 and query.text:
        # No results: the themes the words find without any filter, to start again from.
        unfiltered = backend.search(
            SearchQuery(text=query.text, page_size=1, ui_language=ui_language)
        )
        related_themes = unfiltered.facets.get("theme", [])[:8]
    context = {
        "query": query,
        "response": response,
        "error": error,
        "state": state,
        "facet_groups": _facet_groups(response, query),
        "active_filters": _active_filters(state, response),
        "sort_options": [
            {
                "value": "relevance",
                "label": _("Relevance"),
                "url": state.url(sort="relevance"),
                "selected": query.sort == "relevance",
            },
            {
                "value": "newest",
                "label": _("Newest"),
                "url": state.url(sort="newest"),
                "selected": query.sort == "newest",
            },
        ],
        "page_number": query.page,
        "last_page": last_page,
        "previous_url": state.url(page=query.page - 1) if query.page > 1 else "",
        "next_url": state.url(page=query.page + 1) if query.page < last_page else "",
        "page_links": _page_links(state, query.page, last_page) if last_page > 1 else [],
        "related_themes": [
            {"label": item.label, "url": reverse("search") + "?" + urlencode({"theme": item.value})}
            for item in related_themes
        ],
        "feed_url": state.feed_url(),
        # Links apps above search add for this search ("Get alerts for this search"): each
        # "search_page_actions" hook takes the PageState, returns {"url", "label"} or None.
        "page_actions": [
            action
            for hook in hooks.get_hooks("search_page_actions")
            if (action := hook(state)) is not None
        ],
        "clear_url": state.url(theme=[], country=[], type=[], language=[], year=[]),
    }
    return render(request, "search/search.html", context, status=400 if error else 200)


@require_GET
def search_feed(request):
    """An Atom feed of the newest items matching the search, for feed readers."""
    ui_language = _ui_language()
    try:
        query = parse_search(request.GET, ui_language=ui_language)
    except InvalidSearch as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    query = SearchQuery(
        **{
            **query.__dict__,
            "sort": "newest",
            "page": 1,
            "page_size": FEED_SIZE,
            "with_facets": False,
        }
    )
    response = get_search_backend().search(query)
    state = PageState(request, query)
    title = _("Practice Commons search")
    if query.text:
        title = _("Practice Commons search: %(text)s") % {"text": query.text[:100]}
    feed = XmlSafeAtom(
        title=title,
        link=request.build_absolute_uri(state.url()),
        description=title,
        language=ui_language,
        feed_url=request.build_absolute_uri(request.get_full_path()),
    )
    for hit in response.hits:
        feed.add_item(
            title=hit.title,
            link=request.build_absolute_uri(hit.url),
            unique_id=request.build_absolute_uri(hit.url),
            description=strip_tags(hit.snippet),
            pubdate=hit.published_at or timezone.now(),
            categories=hit.themes,
        )
    return HttpResponse(
        feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8"
    )
