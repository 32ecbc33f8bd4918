"""Public pages served from Django's cache to anonymous visitors.

A request is answered from the cache when it is a GET or HEAD with no session cookie (so
nobody signed in, and no message waiting in a session) and no message cookie, to a view that
does not opt out (`pagecache.decorators.no_page_cache`), outside the admins. Its key holds
the scheme, host, language and full path; its entry holds the content generation
(`pagecache.generation`) it was rendered under and is served only while that is still the
current one, so a change to the content shows at the next request. A hit costs one small
read of the shared cache (the generation): each process keeps the pages it served lately in
its own memory too (the "pages_local" cache), checked against that generation.

A response is stored when it is a 200 that sets no cookie, is not marked private or
no-store, and did not take the visitor's CSRF token itself. Forms on cached pages are
rendered with a placeholder instead of the token (`pagecache.context_processors.csrf`); the
placeholder is replaced by the visitor's own token each time the page is served, so the
contact form of a cached practice page works and nobody receives another's token."""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from . import generation
from .placeholder import CSRF_PLACEHOLDER

EXCLUDED_PREFIXES = ("/admin/", "/django-admin/", "/documents/")
RENDERING = "_page_cache_rendering"
# Headers the view set that a served copy carries; the outer middleware add their own.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition")


def _timeout():
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)


def cacheable_request(request):
    if _timeout() <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    if request.path_info.startswith(EXCLUDED_PREFIXES):
        return False
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    return not _exempt_view(urlconf, request.path_info, get_language())


@functools.lru_cache(maxsize=4096)
def _exempt_view(urlconf, path, language):
    """Whether the view `path` resolves to opts out of the page cache. A process's URLs never
    change, so the answer is kept per path (and language: the prefixes depend on it): the
    cache is looked up before Django resolves the URL (`PageCacheMiddleware`)."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return False
    return getattr(match.func, "page_cache_exempt", False)


def cache_key(request):
    identity = "\n".join(
        [
            request.scheme,
            request.get_host(),
            get_language() or settings.LANGUAGE_CODE,
            request.get_full_path(),
        ]
    )
    return "pagecache:page:" + hashlib.sha256(identity.encode()).hexdigest()


def _cached_entry(key, current):
    """(headers, content) of the page stored under `key` for the `current` generation."""
    local = caches["pages_local"]
    entry = local.get(key)
    if entry is None or entry[0] != current:
        entry = cache.get(key)
        if entry is None or entry[0] != current:
            return None
        local.set(key, entry, _timeout())
    return entry[1], entry[2]


def _cacheable_response(request, response, token_taken_before):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    # The page holds a real CSRF token of this visitor (something called get_token()).
    return token_taken_before or not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")


def _with_visitor_token(request, response):
    """The response with the CSRF placeholder replaced by this visitor's token."""
    placeholder = CSRF_PLACEHOLDER.encode()
    if placeholder in response.content:
        response.content = response.content.replace(placeholder, get_token(request).encode())
    patch_vary_headers(response, ("Cookie",))
    return response


class PageCacheMiddleware:
    """Last in MIDDLEWARE: the request has its language and user; every other middleware
    still treats a cached response as it treats a fresh one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request):
            return self.get_response(request)
        # Looked up before Django resolves the URL (each path's view is resolved once per
        # process, `_exempt_view`): resolving a page's URL through the language prefixes
        # to Wagtail's catch-all was a sixth of a hit's CPU (25 of 138 ms in a profile of 20
        # hits on the practice list, bench/request_cpu.py --profile).
        key = cache_key(request)
        current = generation.current()
        entry = _cached_entry(key, current)
        if entry is not None:
            return _served(request, *entry)
        request._page_cache_key = key
        token_taken_before = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        response = self.get_response(request)
        if not getattr(request, RENDERING, False):  # no view ran (the URL resolved to none)
            return response
        if _cacheable_response(request, response, token_taken_before):
            headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
            # The generation read before the view ran: were the content changed meanwhile,
            # the entry is already out of date and never served.
            entry = (current, headers, response.content)
            cache.set(key, entry, _timeout())
            caches["pages_local"].set(key, entry, _timeout())
            response["X-Page-Cache"] = "miss"
        return _with_visitor_token(request, response)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(request, "_page_cache_key", None) is not None:
            setattr(request, RENDERING, True)
        return None


def _served(request, headers, content):
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return _with_visitor_token(request, response)
