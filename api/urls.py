"""/api/: the read API, its OpenAPI schema and its documentation, outside the language
prefixes (items carry their language)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI from the installed sidecar, its set-up script a file of its own: the
    page has no inline script or style."""

    template_name = "api/swagger_ui.html"


urlpatterns = [
    path("api/practices/", views.PracticeList.as_view(), name="practice-list"),
    path("api/practices/<int:pk>/", views.PracticeDetail.as_view(), name="practice-detail"),
    path("api/guides/", views.GuideList.as_view(), name="guide-list"),
    path("api/guides/<int:pk>/", views.GuideDetail.as_view(), name="guide-detail"),
    path("api/organisations/", views.OrganisationList.as_view(), name="organisation-list"),
    path(
        "api/organisations/<int:pk>/",
        views.OrganisationDetail.as_view(),
        name="organisation-detail",
    ),
    path("api/threads/", views.ThreadList.as_view(), name="thread-list"),
    path("api/threads/<int:pk>/", views.ThreadDetail.as_view(), name="thread-detail"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
]
