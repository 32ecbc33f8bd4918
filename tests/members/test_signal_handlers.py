import pytest
from django.contrib.auth.models import Group

from members.factories import MembershipFactory, OrganisationFactory, UserFactory
from members.groups import ORGANISATION_MEMBERS


def in_members_group(user):
    return user.groups.filter(name=ORGANISATION_MEMBERS).exists()


@pytest.mark.django_db
def test_a_membership_opens_the_admin():
    user = UserFactory()
    assert not user.has_perm("wagtailadmin.access_admin")
    MembershipFactory(user=user)
    assert in_members_group(user)
    user = type(user).objects.get(pk=user.pk)  # fresh permission cache
    assert user.has_perm("wagtailadmin.access_admin")


@pytest.mark.django_db
def test_only_the_last_membership_leaving_closes_it():
    user = UserFactory()
    first = MembershipFactory(user=user, organisation=OrganisationFactory())
    second = MembershipFactory(user=user, organisation=OrganisationFactory())
    first.delete()
    assert in_members_group(user)
    second.delete()
    assert not in_members_group(user)


@pytest.mark.django_db
def test_other_groups_are_left_alone():
    user = UserFactory()
    site_editors = Group.objects.get(name="Site editors")
    user.groups.add(site_editors)
    MembershipFactory(user=user).delete()
    assert list(user.groups.all()) == [site_editors]


@pytest.mark.django_db
def test_deleting_a_user_with_memberships_works():
    membership = MembershipFactory()
    membership.user.delete()
    assert not type(membership.user).objects.filter(pk=membership.user_id).exists()
