from django.urls import path

from . import views

urlpatterns = [
    path("countries/", views.country_index, name="country_index"),
    path("countries/<str:code>/", views.country_detail, name="country_detail"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme_detail"),
]
