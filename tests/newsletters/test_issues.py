"""Curated issues: written in Wagtail, emailed once to the confirmed readers of their
language whose alerts share their themes and countries, previewed as the email, sent as a
test to the editor, and kept in a public archive."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page

from newsletters.factories import SubscriptionFactory
from newsletters.models import (
    IssueSending,
    NewsletterArchivePage,
    NewsletterIssuePage,
    Subscriber,
)
from taxonomy.models import Country, Theme
from tests.search.conftest import publish_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(site_tree):
    home = Page.objects.get(pk=site_tree["en"].practices.get_parent().pk)
    archive = NewsletterArchivePage(title="Newsletter", slug="newsletter")
    home.add_child(instance=archive)
    archive.save_revision().publish()
    return archive


def make_issue(archive, site_tree, **audience):
    practice = publish_page(site_tree, title="Budget vote in Ozurgeti", summary="How it went.")
    issue = NewsletterIssuePage(
        title="Issue 1: budgets that citizens write",
        slug="issue-1",
        introduction="<p>This month: <b>participatory budgets</b>.</p>",
        picks=[("pick", {"page": practice, "note": "A first in Guria."})],
        sections=[("section", {"heading": "Events", "body": "<p>A webinar on 12 January.</p>"})],
    )
    archive.add_child(instance=issue)
    issue.audience_themes.set(Theme.objects.filter(slug__in=audience.get("themes", [])))
    issue.audience_countries.set(Country.objects.filter(code__in=audience.get("countries", [])))
    issue.save_revision()
    return NewsletterIssuePage.objects.get(pk=issue.pk)


def test_publishing_sends_the_issue_once_to_its_audience(archive, site_tree, sent):
    SubscriptionFactory(subscriber__email="budget@example.org", themes=["citizen-participation"])
    SubscriptionFactory(subscriber__email="everything@example.org")
    SubscriptionFactory(subscriber__email="georgia@example.org", countries=["GE"])
    SubscriptionFactory(subscriber__email="health@example.org", themes=["health"])
    SubscriptionFactory(subscriber__email="poland@example.org", countries=["PL"])
    SubscriptionFactory(subscriber__email="arabic@example.org", subscriber__language="ar")
    SubscriptionFactory(
        subscriber__email="gone@example.org",
        subscriber__status=Subscriber.Status.UNSUBSCRIBED,
    )
    issue = make_issue(archive, site_tree, themes=["participatory-budgeting"], countries=["GE"])

    first = sent(lambda: issue.get_latest_revision().publish())
    again = sent(lambda: issue.get_latest_revision().publish())

    assert sorted(address for m in first for address in m["to"]) == [
        "budget@example.org",
        "everything@example.org",
        "georgia@example.org",
    ]
    assert again == []
    assert IssueSending.objects.get().recipients == 3
    email = first[0]["message"]
    assert email["Subject"] == "Issue 1: budgets that citizens write"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = email.get_body(preferencelist=("plain",)).get_content()
    assert "Budget vote in Ozurgeti" in text
    assert "A first in Guria." in text
    assert "A webinar on 12 January." in text
    assert "https://testserver/newsletter/issue-1/" in text
    html = email.get_body(preferencelist=("html",)).get_content()
    assert "<b>participatory budgets</b>" in html
    assert 'style="' in html


def test_the_archive_lists_published_issues_at_their_permalinks(client, archive, site_tree):
    issue = make_issue(archive, site_tree)
    issue.get_latest_revision().publish()

    listing = client.get("/newsletter/")
    page = client.get("/newsletter/issue-1/")

    assert 'href="/newsletter/issue-1/"' in listing.content.decode()
    html = page.content.decode()
    assert page.status_code == 200
    assert "Issue 1: budgets that citizens write" in html
    assert "A first in Guria." in html


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("issue-editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def test_an_editor_previews_the_email_and_sends_a_test_to_themselves(
    editor_client, archive, site_tree, sent
):
    issue = make_issue(archive, site_tree)

    preview = editor_client.get(reverse("newsletters_issue_preview_email", args=[issue.pk]))
    messages = sent(editor_client.post, reverse("newsletters_issue_send_test", args=[issue.pk]))

    assert preview.status_code == 200
    assert "Budget vote in Ozurgeti" in preview.content.decode()
    assert [m["to"] for m in messages] == [["editor@example.org"]]
    assert messages[0]["message"]["Subject"] == "Issue 1: budgets that citizens write"
    # A test is not the issue: it is still to be sent to its readers.
    assert not IssueSending.objects.exists()
