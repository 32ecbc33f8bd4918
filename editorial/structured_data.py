"""What every schema.org item of the site shares: the publisher and absolute addresses.

Models describe themselves with a `structured_data(request)` method; the `json_ld` template
tag (editorial.templatetags.page_metadata) writes what it returns into the page."""

from django.conf import settings

SCHEMA_CONTEXT = "https://schema.org"


def absolute_url(request, path):
    """`path` as an absolute URL: from the request, else from WAGTAILADMIN_BASE_URL."""
    if not path or "://" in path:
        return path
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def site_publisher(request):
    """The site itself, publisher of everything on it."""
    return {
        "@type": "Organization",
        "name": settings.WAGTAIL_SITE_NAME,
        "url": absolute_url(request, "/"),
    }


def iso_datetime(value):
    return value.isoformat() if value else None


def without_empty(data):
    """`data` minus the keys whose value is empty (None, "", [], {})."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}
