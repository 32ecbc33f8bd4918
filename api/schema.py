"""What the OpenAPI schema describes: the read API, not the other DRF views installed apps
bring (Wagtail's admin API)."""


def only_the_read_api(endpoints, **kwargs):
    """drf-spectacular preprocessing hook."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
