from django.urls import path

from . import views

urlpatterns = [
    path("countries/<str:code>/", views.country_detail, name="country_detail"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme_detail"),
]
