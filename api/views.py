"""The read API: lists of practices, guides, organisations and forum threads, which are
searches (the search page's parameters, read by `parse_search`, answered by the search
backend, so filters behave exactly as on the page), and each item's details.

What the API shows is what the search holds: list entries are search documents, and a
detail is found through the item's search builder (`search.indexing.builders`), the one
place that says what is public (live pages without view restrictions, threads with posts).
"""

from dataclasses import replace

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.generics import RetrieveAPIView
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from search.backends import get_search_backend
from search.backends.base import MAX_PAGE_SIZE, MAX_QUERY_LENGTH, SORTS
from search.export import rows_of_hits
from search.indexing import builders, status_labels
from search.params import (
    MAX_RESULT_WINDOW,
    MAX_VALUES_PER_FILTER,
    MAX_YEAR,
    MIN_YEAR,
    InvalidSearch,
    parse_search,
)

from . import serializers

# Primary keys beyond this are no row's, and some databases refuse to compare with them.
MAX_ID = 2**63 - 1


def _list_parameters(object_type):
    def many(name, description, items):
        return OpenApiParameter(
            name,
            {"type": "array", "items": items, "maxItems": MAX_VALUES_PER_FILTER},
            description=description,
        )

    string = {"type": "string"}
    parameters = [
        OpenApiParameter(
            "q",
            {"type": "string", "maxLength": MAX_QUERY_LENGTH},
            description="Words to find, in any of the site's languages (quotes: a phrase; "
            "a leading minus: without the word; “or”: alternatives).",
        ),
        # The values of these three are filled in when the schema is asked for
        # (`api.schema.filter_values`).
        many("theme", "Theme slugs; an item under a sub-theme is found under its parent.", string),
        many("country", "ISO 3166-1 alpha-2 country codes.", string),
        many("language", "Language codes of the items' text, or `all` (the default).", string),
        many("year", "Years.", {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}),
        many("organisation", "Slugs of the lead organisation.", string),
        OpenApiParameter("sort", str, enum=list(SORTS), description="Order of the results."),
        OpenApiParameter(
            "page",
            # Any page_size can be paged this far; with fewer per page, further (see below).
            {"type": "integer", "minimum": 1, "maximum": MAX_RESULT_WINDOW // MAX_PAGE_SIZE},
            description="Page number, from 1. Pages go on while page × page_size is at most "
            f"{MAX_RESULT_WINDOW:,}: with fewer results per page, beyond this maximum.",
        ),
        OpenApiParameter(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            description="Results per page.",
        ),
    ]
    if object_type == "practice":
        statuses = {"type": "string", "enum": sorted(status_labels())}
        parameters.insert(-3, many("status", "Practice statuses.", statuses))
    return parameters


class SearchListView(APIView):
    """A list of one kind of item: the search restricted to that type."""

    object_type = ""

    def get(self, request):
        params = request.query_params.copy()
        params.setlist("type", [self.object_type])
        try:
            query = parse_search(params)
        except InvalidSearch as error:
            return Response({"error": error.message, "parameter": error.parameter}, status=400)
        response = get_search_backend().search(replace(query, with_facets=False))
        rows = list(rows_of_hits(response.hits, request.build_absolute_uri))
        for row in rows:
            row["detail"] = serializers.detail_url(request, row["type"], row["id"])
        return Response(
            {
                "count": response.total,
                "next": self._next(request, query, response.total),
                "previous": self._previous(request, query),
                "results": serializers.SearchItemSerializer(rows, many=True).data,
            }
        )

    @staticmethod
    def _next(request, query, total):
        following = query.page + 1
        if query.page * query.page_size >= total or following * query.page_size > (
            MAX_RESULT_WINDOW
        ):
            return None
        return replace_query_param(request.build_absolute_uri(), "page", following)

    @staticmethod
    def _previous(request, query):
        if query.page == 1:
            return None
        url = request.build_absolute_uri()
        if query.page == 2:
            return remove_query_param(url, "page")
        return replace_query_param(url, "page", query.page - 1)


class ItemDetailView(RetrieveAPIView):
    object_type = ""

    def get_queryset(self):
        return builders[self.object_type].queryset()

    def get_object(self):
        if self.kwargs["pk"] > MAX_ID:
            raise Http404
        return super().get_object()


_NOT_FOUND = {404: serializers.NotFoundSerializer}
_ID = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    OpenApiParameter.PATH,
    description="The item's id (the `id` of its list entry).",
)


def _list_view(object_type, list_serializer, kind):
    return extend_schema_view(
        get=extend_schema(
            operation_id=f"{object_type}s_list",
            summary=f"List {kind}",
            description=f"Published {kind} matching the search page's filters, a page at a time.",
            parameters=_list_parameters(object_type),
            responses={200: list_serializer, 400: serializers.ErrorSerializer},
            tags=[kind],
        )
    )(type(f"{object_type.title()}ListView", (SearchListView,), {"object_type": object_type}))


def _detail_view(object_type, serializer, kind):
    view = type(
        f"{object_type.title()}DetailView",
        (ItemDetailView,),
        {"object_type": object_type, "serializer_class": serializer},
    )
    return extend_schema_view(
        get=extend_schema(
            operation_id=f"{object_type}s_retrieve",
            summary=f"One of the {kind}",
            parameters=[_ID],
            responses={200: serializer, **_NOT_FOUND},
            tags=[kind],
        )
    )(view)


PracticeList = _list_view("practice", serializers.PracticeListSerializer, "practices")
GuideList = _list_view("guide", serializers.GuideListSerializer, "guides")
OrganisationList = _list_view(
    "organisation", serializers.OrganisationListSerializer, "organisations"
)
ThreadList = _list_view("thread", serializers.ThreadListSerializer, "forum threads")

PracticeDetail = _detail_view("practice", serializers.PracticeSerializer, "practices")
GuideDetail = _detail_view("guide", serializers.GuideSerializer, "guides")
OrganisationDetail = _detail_view(
    "organisation", serializers.OrganisationSerializer, "organisations"
)
ThreadDetail = _detail_view("thread", serializers.ThreadSerializer, "forum threads")
