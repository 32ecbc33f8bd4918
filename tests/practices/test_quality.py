"""The quality label: site editors review a practice against the published criteria through
the admin; the label shows on the page with the review's date and the reviewer's
organisation, and "revised since review" once a substantive change is published."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from members.factories import MembershipFactory, OrganisationFactory, UserFactory
from members.groups import SITE_EDITORS
from practices.factories import PracticePageFactory
from practices.models import QualityCriteriaPage, QualityReview

pytestmark = pytest.mark.django_db

ADD_URL = "wagtailsnippets_practices_qualityreview:add"


@pytest.fixture
def site_editor(db):
    user = UserFactory(username="quality-editor")
    user.groups.add(Group.objects.get(name=SITE_EDITORS))
    return user


@pytest.fixture
def reviewer_organisation(db):
    return OrganisationFactory(name="Institute of Local Governance")


@pytest.fixture
def criteria(site_tree):
    page = QualityCriteriaPage(
        title="Quality criteria",
        slug="quality-criteria",
        introduction="What a practice needs to hold the label.",
        body=[("paragraph", "<p>Results are measured and dated.</p>")],
    )
    site_tree["en"].home.add_child(instance=page)
    page.save_revision().publish()
    return page


def publish(page, **changes):
    for name, value in changes.items():
        setattr(page, name, value)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    return revision


@pytest.fixture
def practice(site_tree):
    page = PracticePageFactory(parent=site_tree["en"].practices, title="Street budget")
    publish(page, body=[("paragraph", "<p>Residents voted.</p>")])
    return page


def review_data(practice, organisation, **fields):
    return {
        "practice": practice.pk,
        "reviewer_organisation": organisation.pk,
        "reviewed_on": "2026-05-04",
        "notes": "Meets every criterion.",
        **fields,
    }


def test_a_site_editor_awards_the_label_and_the_page_shows_it(
    client, site_editor, reviewer_organisation, criteria, practice
):
    client.force_login(site_editor)
    response = client.post(reverse(ADD_URL), review_data(practice, reviewer_organisation))
    assert response.status_code == 302
    review = QualityReview.objects.get()
    assert review.reviewer == site_editor
    assert review.revision_id == practice.live_revision_id
    assert review.reviewed_on == datetime.date(2026, 5, 4)

    content = client.get(practice.url).content.decode()
    assert '<strong class="badge badge--quality">Quality label</strong>' in content
    assert "Reviewed on May 4, 2026 by Institute of Local Governance" in content
    assert f'against the <a href="{criteria.url}">published criteria</a>' in content
    assert "Revised since review" not in content
    criteria_page = client.get(criteria.url).content.decode()
    assert "Results are measured and dated." in criteria_page


def test_only_site_editors_review(client, reviewer_organisation, practice):
    member = UserFactory(username="member-only")
    MembershipFactory(user=member, organisation=reviewer_organisation, role="admin")
    client.force_login(member)
    response = client.post(reverse(ADD_URL), review_data(practice, reviewer_organisation))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert not QualityReview.objects.exists()
    assert b"Quality label" not in client.get(practice.url).content


def test_a_practice_published_without_a_revision_cannot_be_reviewed(
    client, site_tree, site_editor, reviewer_organisation
):
    imported = PracticePageFactory(parent=site_tree["en"].practices, title="Imported")
    client.force_login(site_editor)
    response = client.post(reverse(ADD_URL), review_data(imported, reviewer_organisation))
    assert response.status_code == 200
    assert "Only a practice published from the admin can be reviewed" in response.content.decode()
    assert not QualityReview.objects.exists()


def award(practice, organisation, editor):
    review = QualityReview(
        practice=practice,
        reviewer=editor,
        reviewer_organisation=organisation,
        reviewed_on=datetime.date(2026, 5, 4),
    )
    review.full_clean()
    review.save()
    return review


@pytest.mark.parametrize(
    ("changes", "revised"),
    [
        ({}, False),  # republished as it was
        ({"places": "Tbilisi"}, False),  # not the substance
        ({"title": "Street budget, second round"}, True),
        ({"summary": "A new summary."}, True),
        ({"body": [("paragraph", "<p>Residents voted twice.</p>")]}, True),
    ],
)
def test_a_substantive_revision_after_the_review_marks_it_revised(
    client, practice, reviewer_organisation, site_editor, changes, revised
):
    award(practice, reviewer_organisation, site_editor)
    publish(practice, **changes)
    content = client.get(practice.url).content.decode()
    assert "Quality label" in content
    assert ("Revised since review" in content) is revised


def test_a_saved_draft_does_not_mark_it_revised(
    client, practice, reviewer_organisation, site_editor
):
    award(practice, reviewer_organisation, site_editor)
    practice.title = "Draft title"
    practice.save_revision()
    assert "Revised since review" not in client.get(practice.url).content.decode()


def document_label(practice):
    from search.models import SearchDocument

    return SearchDocument.objects.get(object_type="practice", object_id=practice.pk).label


def test_the_search_document_carries_the_label(
    practice, reviewer_organisation, site_editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(practice)
    assert document_label(practice) == ""
    with django_capture_on_commit_callbacks(execute=True):
        review = award(practice, reviewer_organisation, site_editor)
    assert document_label(practice) == "reviewed"
    with django_capture_on_commit_callbacks(execute=True):
        publish(practice, summary="Changed after the review.")
    assert document_label(practice) == "revised"
    with django_capture_on_commit_callbacks(execute=True):
        review.delete()
    assert document_label(practice) == ""


def test_building_documents_asks_nothing_more_of_unreviewed_practices(
    site_tree, practice, reviewer_organisation, site_editor, django_assert_max_num_queries
):
    from search.indexing import build_documents, builders

    for number in range(5):
        PracticePageFactory(parent=site_tree["en"].practices, title=f"Unreviewed {number}")
    award(practice, reviewer_organisation, site_editor)
    with django_assert_max_num_queries(20):
        documents = {doc.title: doc.label for doc in build_documents(builders["practice"])}
    assert documents["Street budget"] == "reviewed"
    assert {documents[f"Unreviewed {number}"] for number in range(5)} == {""}


def test_the_label_is_a_search_facet(
    client,
    site_tree,
    practice,
    reviewer_organisation,
    site_editor,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        PracticePageFactory(parent=site_tree["en"].practices, title="Never reviewed")
        publish(practice)
        award(practice, reviewer_organisation, site_editor)
    response = client.get("/api/search/", {"label": "reviewed", "type": "practice"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert [hit["title"] for hit in data["results"]] == ["Street budget"]
    assert {"value": "reviewed", "label": "Quality label", "count": 1} in [
        {key: value[key] for key in ("value", "label", "count")}
        for value in data["facets"]["label"]
    ]
    listing = client.get(site_tree["en"].practices.url, {"label": "reviewed"})
    assert listing.status_code == 200
    assert b"Street budget" in listing.content and b"Never reviewed" not in listing.content
    refused = client.get("/api/search/", {"label": "gold"})
    assert refused.status_code == 400
    assert refused.json()["parameter"] == "label"
    guides = client.get(site_tree["en"].guides.url, {"label": "reviewed"})
    assert guides.status_code == 400
