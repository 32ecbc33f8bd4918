import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import translation

from forums.factories import ForumFactory
from members.factories import OrganisationFactory, UserFactory
from members.groups import SITE_EDITORS
from practices.factories import PracticePageFactory
from taxonomy.models import Theme

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def default_language():
    """URLs reversed by a test carry no language prefix, whichever language the previous
    test's last request activated."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def forum(db):
    return ForumFactory(name="Participatory budgeting", slug="participatory-budgeting", theme=None)


@pytest.fixture
def member(db):
    return UserFactory(username="ana", first_name="Ana", last_name="Popescu")


@pytest.fixture
def other_member(db):
    return UserFactory(username="tomasz", first_name="Tomasz", last_name="Nowak")


@pytest.fixture
def moderator(db):
    user = UserFactory(username="moderator", first_name="Mira", last_name="Editor")
    user.groups.add(Group.objects.get(name=SITE_EDITORS))
    return user


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


# A question asked from a practice page ("ask the implementers").


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Municipality of Ozurgeti")


@pytest.fixture
def practice(site_tree, organisation):
    return PracticePageFactory(
        parent=site_tree["en"].practices,
        title="Budget hearings in Guria",
        lead_organisation=organisation,
        themes=["participatory-budgeting"],
    )


@pytest.fixture
def pb_forum(db):
    return ForumFactory(
        name="Participatory budgeting",
        slug="participatory-budgeting",
        theme=Theme.objects.get(slug="participatory-budgeting"),
    )
