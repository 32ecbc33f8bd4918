"""Wagtail's routing of a URL to its page, remembered per process and content generation.

Wagtail finds a request's page by reading its site, the site's root page, that page in the
request's language, then each child down the path and its specific row: five queries for the
practice list, 7.9 ms of its 45 ms of CPU (bench/request_cpu.py), the same on every request.
With CONTENT_MEMO on, the site and the route's page are remembered (`pagecache.memo`) by
host, port, language and path until the content changes (`pagecache.generation`:
publishing, moving or unpublishing a page moves it on), and each request reads its page
afresh by primary key, one query. Routes that carry arguments (a RoutablePageMixin's
sub-pages) are left to Wagtail every time."""

from django.conf import settings
from django.http.request import split_domain_port
from django.utils.translation import get_language
from wagtail.models import Page, Site
from wagtail.views import serve

from . import generation, memo

SITE_FIELDS = ("id", "hostname", "port", "site_name", "root_page_id", "is_default_site")
KEY_PREFIX = "route:"


class RememberedRoutesMiddleware:
    """Fills in what Wagtail's `serve` view reads first (`request._wagtail_site` and
    `request._wagtail_route_for_request`) from the remembered route."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not serve or not getattr(settings, "CONTENT_MEMO", False):
            return None
        path = view_kwargs.get("path", view_args[0] if view_args else "")
        hostname = split_domain_port(request._get_raw_host())[0]
        key = f"{KEY_PREFIX}{hostname}:{request.get_port()}:{get_language()}:{path}"
        current = generation.current()
        found = memo.recall(key, current)
        if found is not memo.MISSING:
            site_values, model, page_id = found
            page = model.objects.select_related("locale").filter(pk=page_id).first()
            if page is not None:
                request._wagtail_site = Site(**site_values)
                request._wagtail_route_for_request = (page, (), {})
            return None
        result = Page.route_for_request(request, path)
        site = getattr(request, "_wagtail_site", None)
        if result is None or site is None:
            return None
        page, args, kwargs = result
        if args or kwargs:
            return None
        site_values = {name: getattr(site, name) for name in SITE_FIELDS}
        memo.remember(key, current, (site_values, type(page), page.pk))
        return None
