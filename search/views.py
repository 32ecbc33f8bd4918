"""The search page, its Atom feed, its CSV and JSON exports and the JSON API. All read their
parameters with `search.params.parse_search` and ask `get_search_backend()`; none knows
which backend answers."""

import csv
import io
from urllib.parse import urlencode

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail import hooks

from editorial.characters import strip_uncarriable

from . import export
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
    query_string = "?" + urlencode(feed_params) if feed_params else ""
    context = {
        "query": query,
        "response": response,
        "error": error,
        "faceted": faceted,
        "related_themes": [
            {"label": item.label, "url": reverse("search") + "?" + urlencode({"theme": item.value})}
            for item in related_themes
        ],
        "feed_url": reverse("search_feed") + query_string,
        "export_csv_url": reverse("search_export_csv") + query_string,
        "export_json_url": reverse("search_export_json") + query_string,
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


# -- open data: exports and their codebook ----------------------------------------------


def _export(request, content_type, filename, chunks):
    """Every result of the search the parameters describe, streamed. Parameters the search
    page refuses get the search page and its message (400)."""
    try:
        query = parse_search(request.GET, ui_language=_ui_language())
    except InvalidSearch:
        return search_page(request)
    results = export.SearchExport(query, request.build_absolute_uri)
    response = StreamingHttpResponse(chunks(results), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Total-Count"] = str(results.total)
    codebook_url = request.build_absolute_uri(reverse("search_codebook"))
    response["Link"] = f'<{codebook_url}>; rel="describedby"'
    return response


@require_GET
def search_export_csv(request):
    """GET /search/export.csv?<the search page's parameters>: every result, one row each."""
    return _export(
        request,
        "text/csv; charset=utf-8",
        "practice-commons-search.csv",
        lambda results: results.csv_chunks(),
    )


@require_GET
def search_export_json(request):
    """GET /search/export.json?<the search page's parameters>: every result, with the count
    and the codebook's address."""
    codebook_url = request.build_absolute_uri(reverse("search_codebook_json"))
    search_url = request.build_absolute_uri(reverse("search") + _query_string(request))
    return _export(
        request,
        "application/json; charset=utf-8",
        "practice-commons-search.json",
        lambda results: results.json_chunks(codebook_url, search_url),
    )


def _query_string(request):
    return "?" + request.GET.urlencode() if request.GET else ""


@require_GET
def codebook_page(request):
    return render(
        request,
        "search/codebook.html",
        {
            "columns": export.codebook(),
            "list_separator": export.LIST_SEPARATOR,
            "export_csv_url": reverse("search_export_csv"),
            "export_json_url": reverse("search_export_json"),
        },
    )


@require_GET
def codebook_json(request):
    return JsonResponse(
        {
            "title": _("Practice Commons search export"),
            "page": request.build_absolute_uri(reverse("search_codebook")),
            "formats": ["text/csv", "application/json"],
            "list_separator": export.LIST_SEPARATOR,
            "columns": export.codebook(),
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def codebook_csv(request):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["name", "type", "nullable", "meaning", "example"])
    for column in export.codebook():
        example = column["example"]
        if isinstance(example, list):
            example = export.LIST_SEPARATOR.join(example)
        nullable = "true" if column["nullable"] else "false"
        writer.writerow([column["name"], column["type"], nullable, column["meaning"], example])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="practice-commons-codebook.csv"'
    return response
