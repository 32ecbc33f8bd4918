"""Wagtail's view restrictions remembered per content generation (pagecache/restrictions.py):
with CONTENT_MEMO on, `public()` reads them once, and a restriction added or removed shows at
the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from pagecache.restrictions import public
from practices.models import PracticePage
from tests.search.conftest import publish_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content_memo")]


def public_titles():
    return sorted(public(PracticePage.objects.live()).values_list("title", flat=True))


def test_public_leaves_out_restricted_sections_as_wagtail_does(site_tree, commit):
    with commit():
        publish_page(site_tree, title="Open budget")
        hidden = publish_page(site_tree, title="Closed budget")
        PageViewRestriction.objects.create(
            page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
    assert public_titles() == ["Open budget"]
    expected = PracticePage.objects.live().public().values_list("title", flat=True)
    assert public_titles() == sorted(expected)
    # A restriction on a section covers every page under it.
    with commit():
        PageViewRestriction.objects.create(
            page=site_tree["en"].practices,
            restriction_type=PageViewRestriction.PASSWORD,
            password="secret",
        )
    assert public_titles() == []


def test_restrictions_are_read_once_per_generation(site_tree, commit):
    with commit():
        publish_page(site_tree, title="Open budget")
    public_titles()
    with CaptureQueriesContext(connection) as captured:
        assert public_titles() == ["Open budget"]
    assert len(captured) == 1  # the pages; no read of the restrictions
    with commit():
        restriction = PageViewRestriction.objects.create(
            page=site_tree["en"].practices,
            restriction_type=PageViewRestriction.PASSWORD,
            password="secret",
        )
    assert public_titles() == []
    with commit():
        restriction.delete()
    assert public_titles() == ["Open budget"]


def test_the_home_page_leaves_out_a_newly_restricted_practice(client, site_tree, commit):
    with commit():
        practice = publish_page(site_tree, title="Budget assemblies in Telavi")
    assert "Budget assemblies in Telavi" in client.get("/").content.decode()
    with commit():
        PageViewRestriction.objects.create(
            page=practice, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
    assert "Budget assemblies in Telavi" not in client.get("/").content.decode()
