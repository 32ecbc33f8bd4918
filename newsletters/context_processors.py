"""<link rel="alternate"> feeds of the page being drawn, for feed readers to discover: the
latest practices everywhere, plus the theme's, the country's or the search's own."""

from django.urls import reverse
from django.utils.translation import gettext as _

FEED_TYPES = (("rss", "application/rss+xml", "RSS"), ("atom", "application/atom+xml", "Atom"))


def _links(name, kwargs, title, query_string=""):
    suffix = f"?{query_string}" if query_string else ""
    return [
        {
            "url": reverse(f"newsletters:{name}_{kind}", kwargs=kwargs) + suffix,
            "type": mime,
            "title": f"{title} ({label})",
        }
        for kind, mime, label in FEED_TYPES
    ]


def feeds(request):
    match = getattr(request, "resolver_match", None)
    name = match.url_name if match else ""
    links = []
    if name == "theme_detail":
        links += _links(
            "feed_theme", {"slug": match.kwargs["slug"]}, _("Latest practices on this theme")
        )
    elif name == "country_detail":
        links += _links(
            "feed_country",
            {"code": match.kwargs["code"].lower()},
            _("Latest practices in this country"),
        )
    elif name == "search":
        params = request.GET.copy()
        params.pop("page", None)
        links += _links("feed_search", {}, _("Results of this search"), params.urlencode())
    links += _links("feed_practices", {}, _("Latest practices"))
    return {"alternate_feeds": links}
