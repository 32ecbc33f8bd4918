from allauth.account import views as account_views
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from forums.urls import unprefixed_urlpatterns as forums_unprefixed
from home.sitemaps import SITEMAPS
from home.views import robots_txt
from newsletters.urls import unprefixed_urlpatterns as newsletters_unprefixed
from pagecache.decorators import no_page_cache


@no_page_cache
def healthz(request):
    """The cheapest answer the site gives, through every middleware and no query: for load
    balancers, and the reference of `make load`."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("", include("search.api_urls")),
    path("", include("api.urls")),
    *newsletters_unprefixed,
    *forums_unprefixed,
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("", include("members.urls")),
    path("", include("home.urls")),
    path("accounts/", include("allauth.urls")),
    # The names of the sign-in and sign-out pages before allauth, still reversed by
    # templates; allauth's patterns above answer these paths first.
    path("accounts/login/", account_views.login, name="login"),
    path("accounts/logout/", account_views.logout, name="logout"),
    path("", include("practices.urls")),
    path("", include("search.urls")),
    path("forums/", include("forums.urls")),
    path("", include("newsletters.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
