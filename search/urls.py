"""The search page and its feed, under each language prefix (see config/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/feed/", views.search_feed, name="search_feed"),
]
