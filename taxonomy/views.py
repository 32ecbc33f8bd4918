"""A page per country and per theme: what the library holds for it, in the visitor's locale."""

from django.shortcuts import get_object_or_404, render

from .models import Country, Theme


def country_detail(request, code):
    country = get_object_or_404(Country, code=code.upper())
    return render(request, "taxonomy/country_detail.html", {"country": country})


def theme_detail(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    return render(request, "taxonomy/theme_detail.html", {"theme": theme})
