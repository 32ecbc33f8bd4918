"""The search page, its Atom feed and the JSON API. All three read their parameters with
`search.params.parse_search` and ask `get_search_backend()`; none knows which backend
answers."""

from urllib.parse import urlencode

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail import hooks

from editorial.characters import strip_uncarriable

from .backends import get_search_backend
from .backends.base import FACETS, SearchQuery
from .faceted import FacetedPage
from .params import InvalidSearch, parse_search

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
    prefix = strip_uncarriable(request.GET.get("q", ""))[:SUGGESTION_PREFIX_LENGTH]
    language = _clean_language(request.GET.get("language", "")) or _ui_language()
    suggestions = get_search_backend().suggest(prefix, language=language) if prefix.strip() else []
    return JsonResponse({"suggestions": suggestions}, json_dumps_params={"ensure_ascii": False})


# -- the page ---------------------------------------------------------------------------


def _faceted_page(query, response):
    return FacetedPage(query, response, base_url=reverse("search"))


@require_GET
def search_page(request):
    ui_language = _ui_language()
    error = None
    try:
        query = parse_search(request.GET, ui_language=ui_language)
    except InvalidSearch as invalid:
        error = invalid
        query = SearchQuery(
            text=strip_uncarriable(request.GET.get("q", ""))[:200], ui_language=ui_language
        )
    backend = get_search_backend()
    response = backend.search(query)
    faceted = _faceted_page(query, response)
    related_themes = []
    if response.total == 0 and query.text:
        # No results: the themes the words find without any filter, to start again from.
        unfiltered = backend.search(
            SearchQuery(text=query.text, page_size=1, ui_language=ui_language)
        )
        related_themes = unfiltered.facets.get("theme", [])[:8]
    feed_params = [(name, value) for name, value in faceted.params() if name != "page"]
    context = {
        "query": query,
        "response": response,
        "error": error,
        "faceted": faceted,
        "related_themes": [
            {"label": item.label, "url": reverse("search") + "?" + urlencode({"theme": item.value})}
            for item in related_themes
        ],
        "feed_url": reverse("search_feed") + ("?" + urlencode(feed_params) if feed_params else ""),
        # Links apps above search add for this search ("Get alerts for this search"): each
        # "search_page_actions" hook takes the FacetedPage, returns {"url", "label"} or None.
        "page_actions": [
            action
            for hook in hooks.get_hooks("search_page_actions")
            if (action := hook(faceted)) is not None
        ],
    }
    return render(request, "search/search.html", context, status=400 if error else 200)


class SearchFeed(Atom1Feed):
    """An Atom feed without the characters XML cannot carry, in any field: titles and
    snippets come from what people and imports wrote."""

    def __init__(self, **kwargs):
        super().__init__(**_carriable(kwargs))

    def add_item(self, **kwargs):
        super().add_item(**_carriable(kwargs))


def _carriable(value):
    if isinstance(value, str):
        return strip_uncarriable(value)
    if isinstance(value, dict):
        return {key: _carriable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_carriable(item) for item in value]
    return value


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
    title = _("Practice Commons search")
    if query.text:
        title = _("Practice Commons search: %(text)s") % {"text": query.text[:100]}
    feed = SearchFeed(
        title=title,
        link=request.build_absolute_uri(_faceted_page(query, response).url()),
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
