"""Site settings hold only what the site shows, and the models match their migrations."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Site

from home.models import SiteSettings

pytestmark = pytest.mark.django_db


def test_the_models_match_their_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_site_settings_hold_only_the_about_text_the_footer_shows(client):
    assert [field.name for field in SiteSettings._meta.get_fields() if field.concrete] == [
        "id",
        "site",
        "about",
    ]
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.about = "<p>A library kept by the association of municipalities.</p>"
    settings.save()

    html = client.get(reverse("forums:index")).content.decode()

    assert "A library kept by the association of municipalities." in html
