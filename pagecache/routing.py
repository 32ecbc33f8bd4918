"""Wagtail's routing of a URL to its page, remembered per process and content generation.

Wagtail finds a request's page by reading its site, the site's root page, that page in the
request's language, then each child down the path and its specific row: five queries for the
practice list, 7.9 ms of its 45 ms of CPU (bench/request_cpu.py), the same on every request.
With CONTENT_MEMO on, the site and the route's page are remembered (`pagecache.memo`) by
host, port, language and path until the content changes (`pagecache.generation`:
publishing, moving or unpublishing a page moves it on), and each request reads its page
afresh by primary key, one query. A RoutablePageMixin page (a practice) is remembered at its
own address (its index route); its sub-pages (a practice's contact form) are left to
Wagtail every time. For every other view that the page cache serves (forums, countries,
organisations) the site is remembered, which Wagtail would read for the first link to a
page (`Site.find_for_request`): one query.

A remembered route also holds the page's view restrictions as Wagtail finds them (its own and
its ancestors', through aliases): Wagtail's `before_serve_page` check read them with two
queries on every request, and now gets the remembered ones (none: no query). Saving or
deleting a restriction, or moving a page, moves the generation on."""

from functools import partial

from django.conf import settings
from django.http.request import split_domain_port
from django.utils.translation import get_language
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.views import serve

from . import generation, memo

SITE_FIELDS = ("id", "hostname", "port", "site_name", "root_page_id", "is_default_site")
KEY_PREFIX = "route:"
SITE_KEY_PREFIX = "site:"


class RememberedRoutesMiddleware:
    """Fills in what Wagtail's `serve` view reads first (`request._wagtail_site` and
    `request._wagtail_route_for_request`) from the remembered route."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(settings, "CONTENT_MEMO", False):
            return None
        hostname = split_domain_port(request._get_raw_host())[0]
        current = generation.current()
        if view_func is not serve:
            if not getattr(view_func, "page_cache_exempt", False):
                _remembered_site(request, hostname, current)
            return None
        path = view_kwargs.get("path", view_args[0] if view_args else "")
        key = f"{KEY_PREFIX}{hostname}:{request.get_port()}:{get_language()}:{path}"
        found = memo.recall(key, current)
        if found is not memo.MISSING:
            site_values, model, page_id, restriction_ids = found
            page = model.objects.select_related("locale").filter(pk=page_id).first()
            if page is not None:
                _remember_restrictions(page, restriction_ids)
                request._wagtail_site = Site(**site_values)
                request._wagtail_route_for_request = (page, _own_route(request, page), {})
            return None
        result = Page.route_for_request(request, path)
        site = getattr(request, "_wagtail_site", None)
        if result is None or site is None:
            return None
        page, args, kwargs = result
        if (args or kwargs) and not _at_own_address(request, page):
            return None
        restriction_ids = list(page.get_view_restrictions().values_list("pk", flat=True))
        _remember_restrictions(page, restriction_ids)
        memo.remember(key, current, (_site_values(site), type(page), page.pk, restriction_ids))
        return None


def _remember_restrictions(page, restriction_ids):
    """Let Wagtail's view restriction check read the page's restrictions from the route: two
    queries on every Wagtail page (its ancestors' aliases, then the restrictions): the
    practice list 9 → 7 queries, the practice page 19 → 17 (bench/request_cpu.py), none
    when it has no restriction."""
    page.get_view_restrictions = partial(_view_restrictions, restriction_ids)


def _view_restrictions(restriction_ids):
    if not restriction_ids:
        return PageViewRestriction.objects.none()
    return PageViewRestriction.objects.filter(pk__in=restriction_ids)


def _site_values(site):
    return {name: getattr(site, name) for name in SITE_FIELDS}


def _at_own_address(request, page):
    """Whether Wagtail routed to a RoutablePageMixin page's own address (its index route,
    with no arguments) rather than to one of its sub-pages."""
    match = getattr(request, "routable_resolver_match", None)
    return (
        isinstance(page, RoutablePageMixin)
        and match is not None
        and match.route == ""
        and not match.args
        and not match.kwargs
    )


def _own_route(request, page):
    """The arguments Wagtail's routing gives a page at its own address: for a
    RoutablePageMixin page its index route, as `RoutablePageMixin.route` sets it (the
    practice page: 7 of its 33 queries were routing, now 1, bench/pages.py at 100,000
    practices)."""
    if not isinstance(page, RoutablePageMixin):
        return ()
    match = request.routable_resolver_match = page.resolve_subpage("/")
    return (match.func, match.args, match.kwargs)


def _remembered_site(request, hostname, current):
    key = f"{SITE_KEY_PREFIX}{hostname}:{request.get_port()}"
    site_values = memo.recall(key, current)
    if site_values is not memo.MISSING:
        request._wagtail_site = Site(**site_values)
        return
    site = Site.find_for_request(request)
    if site is not None:
        memo.remember(key, current, _site_values(site))
