"""Imported practices say only what their source says: Participedia's export has no status,
so an imported case has none, shows none and counts under no status facet value; the cases
imported before with an invented "ongoing" are cleared by a migration."""

import importlib

import pytest
from django.apps import apps

from practices.factories import PracticePageFactory
from practices.importers.participedia import run_import
from practices.models import PracticePage
from tests.practices.test_import_participedia import CASES_FIXTURE, imported_cases
from tests.practices.test_listing import facet

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "practices.migrations.0003_status_blank_when_the_source_says_none"
)


def test_imported_cases_have_no_status_and_show_none(site_tree, client):
    run_import([CASES_FIXTURE], progress=False)

    assert imported_cases().count() == 6
    assert set(imported_cases().values_list("status", flat=True)) == {""}
    page = imported_cases().get(external_id="participedia:case:90101")
    html = client.get(page.url).content.decode()
    assert "Participatory Budgeting in Bologna (Italy)" in html
    assert "<dt>Status</dt>" not in html
    assert "Ongoing" not in html and "badge--" not in html
    listing = client.get("/practices/")
    # A facet lists the values its items have: none.
    assert facet(listing, "status") == {}
    assert "badge--" not in listing.content.decode()


def test_a_status_an_editor_gives_is_shown(site_tree, client):
    page = PracticePageFactory(
        parent=site_tree["en"].practices, status=PracticePage.Status.COMPLETED
    )

    html = client.get(page.url).content.decode()

    assert "<dt>Status</dt>" in html
    assert "<dd>Completed</dd>" in html


def test_the_migration_clears_only_the_status_the_importer_invented(site_tree):
    index = site_tree["en"].practices
    invented = PracticePageFactory(parent=index, external_id="participedia:case:1")
    edited = PracticePageFactory(parent=index, external_id="participedia:case:2")
    edited.save_revision()
    completed = PracticePageFactory(
        parent=index, external_id="participedia:case:3", status=PracticePage.Status.COMPLETED
    )
    seed = PracticePageFactory(parent=index, external_id="seed:002")
    assert {page.status for page in (invented, edited, seed)} == {"ongoing"}

    migration.clear_invented_status(apps, None)

    statuses = dict(PracticePage.objects.values_list("external_id", "status"))
    assert statuses == {
        "participedia:case:1": "",
        "participedia:case:2": "ongoing",
        "participedia:case:3": "completed",
        "seed:002": "ongoing",
    }
    assert completed.pk in PracticePage.objects.filter(status="completed").values_list(
        "pk", flat=True
    )
