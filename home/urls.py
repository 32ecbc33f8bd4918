"""The public organisation and member pages, under each language prefix (config/urls.py)."""

from django.urls import path

from . import views

app_name = "home"

urlpatterns = [
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("people/<int:pk>/", views.person_detail, name="person"),
]
