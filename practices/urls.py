from django.urls import path

from . import views

urlpatterns = [
    path("countries/", views.country_index, name="country_index"),
    path(
        "cite/<int:page_id>/revision/<int:revision_id>/",
        views.cite_revision,
        name="cite_revision",
    ),
    path(
        "cite/<int:page_id>/revision/<int:revision_id>/citation.<str:fmt>",
        views.cite_download,
        name="cite_download",
    ),
    path("countries/<str:code>/", views.country_detail, name="country_detail"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme_detail"),
]
