"""`editorial.permissions.is_site_editor`: the one answer to "is this person a site editor?"
that page permissions, memberships, the page form and forum moderation all ask."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from editorial.permissions import is_site_editor
from members.factories import MembershipFactory, OrganisationFactory, UserFactory
from members.groups import ORGANISATION_MEMBERS, SITE_EDITORS

pytestmark = pytest.mark.django_db


def test_the_site_editors_group_and_superusers_are_site_editors():
    editor = UserFactory(username="editor")
    editor.groups.add(Group.objects.get(name=SITE_EDITORS))
    assert is_site_editor(editor)
    assert is_site_editor(UserFactory(username="root", is_superuser=True))


def test_organisation_roles_and_visitors_are_not():
    admin = UserFactory(username="org-admin")
    admin.groups.add(Group.objects.get(name=ORGANISATION_MEMBERS))
    MembershipFactory(user=admin, organisation=OrganisationFactory(), role="admin")
    assert not is_site_editor(admin)
    assert not is_site_editor(AnonymousUser())


def test_a_deactivated_site_editor_is_not():
    editor = UserFactory(username="former-editor", is_superuser=True, is_active=False)
    editor.groups.add(Group.objects.get(name=SITE_EDITORS))
    assert not is_site_editor(editor)
