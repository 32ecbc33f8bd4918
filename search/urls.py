"""The search page, its feed, its exports and their codebook, under each language prefix
(see config/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/feed/", views.search_feed, name="search_feed"),
    path("search/export.csv", views.search_export_csv, name="search_export_csv"),
    path("search/export.json", views.search_export_json, name="search_export_json"),
    path("search/codebook/", views.codebook_page, name="search_codebook"),
    path("search/codebook.json", views.codebook_json, name="search_codebook_json"),
    path("search/codebook.csv", views.codebook_csv, name="search_codebook_csv"),
]
