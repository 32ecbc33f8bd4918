"""robots.txt: what crawlers may visit, and where the sitemap is."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

# Work areas, not content: the admins, the sign-in page, forms and the feeds of searches.
DISALLOWED = ("/admin/", "/django-admin/", "/accounts/", "/*/accounts/", "/api/")


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED)]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
