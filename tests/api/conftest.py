"""A small library shared by the API tests of a module: items of every kind, and what must
stay out of sight."""

import pytest
from wagtail.models import PageViewRestriction

from forums.factories import PostFactory, ThreadFactory
from members.factories import OrganisationFactory
from tests.search.conftest import publish_page, shared_data


def build_library(trees):
    lead = OrganisationFactory(
        name="Ozurgeti Water Office",
        city="Ozurgeti",
        description="Runs the town's wells.\x07",
    )
    practices = [
        publish_page(
            trees,
            "en",
            title=f"Well repair {number}",
            summary=f"Residents of village {number} repair wells together.",
            themes=["participatory-budgeting"],
            countries=["GE" if number % 2 else "PL"],
            year=2020 + number % 3,
            lead_organisation=lead,
        )
        for number in range(5)
    ]
    georgian = publish_page(
        trees,
        "ka",
        title="ჭის შეკეთება",
        summary="სოფლის ჭები\x1b",
        countries=["GE"],
        year=2024,
        lead_organisation=lead,
    )
    guide = publish_page(
        trees, "en", kind="guide", title="Well repair guide", audience="Village councils"
    )
    thread = ThreadFactory(title="Well repair questions", countries=["GE"])
    PostFactory(thread=thread, body="<p>Which pumps last?</p>")
    hidden = publish_page(trees, "en", title="Well repair behind a password")
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    withdrawn = publish_page(trees, "en", title="Well repair withdrawn")
    withdrawn.unpublish()
    return {
        "lead": lead,
        "practices": practices,
        "georgian": georgian,
        "guide": guide,
        "thread": thread,
        "hidden": hidden,
        "withdrawn": withdrawn,
        "unopened": ThreadFactory(title="Well repair unopened", first_post=False),
    }


@pytest.fixture(scope="module")
def library(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker) as trees:
        yield build_library(trees)
