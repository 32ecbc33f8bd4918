import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import translation

from forums.factories import ForumFactory
from members.factories import UserFactory
from members.groups import SITE_EDITORS

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
