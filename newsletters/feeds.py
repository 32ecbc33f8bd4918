"""RSS 2.0 and Atom feeds of the latest practices, per theme, per country and of any search,
all answered by the search service and written by `search.syndication`'s generators, which
drop the characters XML cannot hold."""

import re

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from search.backends import get_search_backend
from search.backends.base import SearchQuery
from search.params import InvalidSearch, parse_search
from search.syndication import XmlSafeAtom, XmlSafeRss
from taxonomy.countries import country_name

FEED_SIZE = 30
COUNTRY_CODE = re.compile(r"[A-Za-z]{2}")


def _ui_language():
    return (translation.get_language() or "en").split("-")[0]


class SearchResultsFeed(Feed):
    """The newest items of a `SearchQuery`; subclasses say which query and what it is."""

    feed_type = XmlSafeRss

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except InvalidSearch as error:
            return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")

    def query(self, request, **kwargs) -> SearchQuery:
        raise NotImplementedError

    def get_object(self, request, **kwargs):
        query = self.query(request, **kwargs)
        query = SearchQuery(
            **{
                **query.__dict__,
                "sort": "newest",
                "page": 1,
                "page_size": FEED_SIZE,
                "with_facets": False,
                "ui_language": _ui_language(),
            }
        )
        return {"query": query, "request": request, **kwargs}

    def items(self, obj):
        return get_search_backend().search(obj["query"]).hits

    def item_title(self, hit):
        return hit.title

    def item_link(self, hit):
        return hit.url

    def item_guid(self, hit):
        return hit.key

    item_guid_is_permalink = False

    def item_description(self, hit):
        return strip_tags(hit.snippet)

    def item_pubdate(self, hit):
        return hit.published_at

    def item_categories(self, hit):
        return hit.themes

    def description(self, obj):
        return self.title(obj)


class LatestPracticesFeed(SearchResultsFeed):
    def query(self, request, **kwargs):
        return SearchQuery(types=("practice",))

    def title(self, obj):
        return _("Practice Commons: latest practices")

    def link(self, obj):
        return reverse("search") + "?type=practice&sort=newest"


class ThemeFeed(SearchResultsFeed):
    def query(self, request, slug):
        from taxonomy.models import Theme

        if not Theme.objects.filter(slug=slug).exists():
            raise Http404
        return SearchQuery(themes=(slug,), types=("practice",))

    def title(self, obj):
        from taxonomy.models import Theme

        label = Theme.labels_by_slug([obj["slug"]]).get(obj["slug"], obj["slug"])
        return _("Practice Commons: latest practices on %(theme)s") % {"theme": label}

    def link(self, obj):
        return reverse("theme_detail", kwargs={"slug": obj["slug"]})


class CountryFeed(SearchResultsFeed):
    def query(self, request, code):
        from taxonomy.models import Country

        if (
            not COUNTRY_CODE.fullmatch(code)
            or not Country.objects.filter(code=code.upper()).exists()
        ):
            raise Http404
        return SearchQuery(countries=(code.upper(),), types=("practice",))

    def title(self, obj):
        return _("Practice Commons: latest practices in %(country)s") % {
            "country": country_name(obj["code"])
        }

    def link(self, obj):
        return reverse("country_detail", kwargs={"code": obj["code"].lower()})


class SearchFeed(SearchResultsFeed):
    def query(self, request):
        return parse_search(request.GET)

    def title(self, obj):
        text = obj["query"].text
        if text:
            return _("Practice Commons search: %(text)s") % {"text": text[:100]}
        return _("Practice Commons search")

    def link(self, obj):
        query_string = obj["request"].GET.urlencode()
        return reverse("search") + (f"?{query_string}" if query_string else "")


def _atom(feed_class):
    return type(f"{feed_class.__name__}Atom", (feed_class,), {"feed_type": XmlSafeAtom})


urlpatterns = [
    path("feeds/practices/rss/", LatestPracticesFeed(), name="feed_practices_rss"),
    path("feeds/practices/atom/", _atom(LatestPracticesFeed)(), name="feed_practices_atom"),
    path("feeds/themes/<slug:slug>/rss/", ThemeFeed(), name="feed_theme_rss"),
    path("feeds/themes/<slug:slug>/atom/", _atom(ThemeFeed)(), name="feed_theme_atom"),
    path("feeds/countries/<str:code>/rss/", CountryFeed(), name="feed_country_rss"),
    path("feeds/countries/<str:code>/atom/", _atom(CountryFeed)(), name="feed_country_atom"),
    path("feeds/search/rss/", SearchFeed(), name="feed_search_rss"),
    path("feeds/search/atom/", _atom(SearchFeed)(), name="feed_search_atom"),
]
