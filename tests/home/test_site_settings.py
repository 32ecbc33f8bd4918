"""Site settings hold only what the site shows, and the models match their migrations."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


def test_the_footer_reads_the_about_text_once_until_it_changes(
    client, content_memo, django_capture_on_commit_callbacks
):
    site = Site.objects.get(is_default_site=True)
    with django_capture_on_commit_callbacks(execute=True):
        settings = SiteSettings.for_site(site)
        settings.about = "<p>A library kept by the association of municipalities.</p>"
        settings.save()
    url = reverse("forums:index")
    assert "kept by the association" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url).content.decode()
    assert "kept by the association" in html
    assert not [query for query in captured if "home_sitesettings" in query["sql"]]
    with django_capture_on_commit_callbacks(execute=True):
        settings.about = "<p>Run by the union of cities.</p>"
        settings.save()
    html = client.get(url).content.decode()
    assert "Run by the union of cities." in html and "kept by the association" not in html
