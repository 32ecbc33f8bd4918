import pytest
from django.contrib.auth.models import Group

from members.factories import MembershipFactory, OrganisationFactory, UserFactory
from members.groups import ORGANISATION_MEMBERS, SITE_EDITORS
from members.models import Membership
from practices.factories import PracticePageFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def own_organisation(db):
    return OrganisationFactory(name="Municipality of Tetovo")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Municipality of Ohrid")


@pytest.fixture
def make_user(db, own_organisation):
    """A user in one of the roles of the permission matrix: member, editor or admin of
    `own_organisation`; a site editor; or an outsider, who is let into the admin (the
    "Organisation members" group, as if added by hand) but belongs to no organisation, so
    that only the page permission tester stands in their way."""

    def make(role):
        user = UserFactory(username=f"{role}-user")
        if role in Membership.Role.values:
            MembershipFactory(user=user, organisation=own_organisation, role=role)
        elif role == "site_editor":
            user.groups.add(Group.objects.get(name=SITE_EDITORS))
        elif role == "outsider":
            user.groups.add(Group.objects.get(name=ORGANISATION_MEMBERS))
        else:
            raise ValueError(role)
        return user

    return make


@pytest.fixture
def practice_for(site_tree):
    """A practice of the English library led by `organisation`."""

    def make(organisation, *, live, **kwargs):
        return PracticePageFactory(
            parent=site_tree["en"].practices,
            lead_organisation=organisation,
            live=live,
            **kwargs,
        )

    return make
