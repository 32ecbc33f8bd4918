"""Who is asking: the network address of a request's client, for rate limits."""

from django.conf import settings


def client_address(request):
    """The visitor's network address: REMOTE_ADDR, or behind `TRUSTED_PROXY_COUNT`
    proxies the address the outermost one saw. Each proxy appends to X-Forwarded-For what
    it saw, so only that many entries from the end are not the client's own say."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
