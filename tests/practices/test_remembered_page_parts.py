"""What a practice or guide page shows beside its own fields (its breadcrumb, attachments,
resources, related practices, lineage, quality label, questions) is remembered per content
generation (pagecache.memo): read once, and read again as soon as the content changes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail_factories import DocumentFactory

from forums.factories import ThreadFactory
from members.factories import OrganisationFactory
from practices.factories import PracticePageFactory
from practices.models import (
    GuidePage,
    GuideRelatedPractice,
    GuideResource,
    PracticeAdaptation,
    PracticeAttachment,
    QualityReview,
)

pytestmark = pytest.mark.django_db


def test_a_practice_page_reads_its_parts_once_and_shows_a_change_at_once(
    client, site_tree, content_memo, commit
):
    practice = PracticePageFactory(parent=site_tree["en"].practices, title="Street budget")
    practice.save_revision().publish()
    first = client.get(practice.url).content.decode()
    with CaptureQueriesContext(connection) as captured:
        again = client.get(practice.url).content.decode()
    assert again == first
    read = " ".join(query["sql"] for query in captured)
    for table in ("practiceattachment", "practiceadaptation", "qualityreview", "forums_thread"):
        assert table not in read

    with commit():
        PracticeAttachment.objects.create(
            page=practice, document=DocumentFactory(title="Budget sheet"), title=""
        )
    assert "Budget sheet" in client.get(practice.url).content.decode()

    with commit():
        source = PracticePageFactory(parent=site_tree["en"].practices, title="Village budget")
        PracticeAdaptation.objects.create(
            page=practice, source=source, what_changed="Streets.", why="A city."
        )
    html = client.get(practice.url).content.decode()
    assert 'id="lineage"' in html and "Village budget" in html

    with commit():
        QualityReview.objects.create(
            practice=practice,
            reviewer_organisation=OrganisationFactory(name="Institute of Governance"),
            reviewed_on=datetime.date(2026, 5, 4),
        )
    assert "Institute of Governance" in client.get(practice.url).content.decode()

    with commit():
        ThreadFactory(title="How did you count votes?", about_page=practice)
    assert "How did you count votes?" in client.get(practice.url).content.decode()

    with commit():
        index = site_tree["en"].practices
        index.title = "Renamed practices"
        index.save_revision().publish()
    breadcrumb = client.get(practice.url).content.decode().split('class="breadcrumb"')[1]
    assert "Renamed practices" in breadcrumb.split("</nav>")[0]


def test_a_guide_page_shows_a_new_resource_and_related_practice_at_once(
    client, site_tree, content_memo, commit
):
    practice = PracticePageFactory(parent=site_tree["en"].practices, title="Street budget")
    guide = GuidePage(title="Budgeting guide", slug="budgeting-guide", summary="How to.")
    site_tree["en"].guides.add_child(instance=guide)
    guide.save_revision().publish()
    first = client.get(guide.url).content.decode()
    assert client.get(guide.url).content.decode() == first
    assert "Street budget" not in first

    with commit():
        GuideRelatedPractice.objects.create(page=guide, practice=practice)
        GuideResource.objects.create(page=guide, title="Checklist", url="https://example.org/c")
    html = client.get(guide.url).content.decode()
    assert "Street budget" in html and "Checklist" in html


def test_a_preview_shows_its_own_attachments_not_the_remembered_ones(
    client, site_tree, content_memo
):
    practice = PracticePageFactory(parent=site_tree["en"].practices, title="Street budget")
    practice.save_revision().publish()
    client.get(practice.url)
    practice.attachments = [
        PracticeAttachment(document=DocumentFactory(title="Draft sheet"), title="")
    ]
    response = practice.make_preview_request()
    assert "Draft sheet" in response.content.decode()
    assert "Draft sheet" not in client.get(practice.url).content.decode()
