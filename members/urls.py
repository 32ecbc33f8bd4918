"""The person's profile and join requests, under each
language prefix (see config/urls.py)."""

from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("accounts/profile/", views.profile_edit, name="profile"),
    path("organisations/<slug:slug>/join/", views.join, name="join"),
    path("organisations/<slug:slug>/requests/", views.join_requests, name="join_requests"),
    path(
        "organisations/requests/<int:pk>/decide/",
        views.join_request_decide,
        name="join_request_decide",
    ),
]
