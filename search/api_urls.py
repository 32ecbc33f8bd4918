"""The JSON API, outside the language prefixes: the UI language is a parameter."""

from django.urls import path

from . import views

urlpatterns = [
    path("api/search/", views.api_search, name="search_api"),
    path("api/search/suggest/", views.api_suggest, name="search_suggest"),
]
