"""The admin's "Library" menu gathers the viewsets that taxonomy and members add to it, and
shows each person only what they may reach."""

import pytest
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.utils import translation

from editorial.library_menu import library_menu
from members.factories import MembershipFactory, OrganisationFactory, UserFactory
from members.groups import SITE_EDITORS

pytestmark = pytest.mark.django_db


def labels(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    items = sorted(library_menu.menu_items_for_request(request), key=lambda item: item.order)
    with translation.override("en"):
        return [str(item.label) for item in items]


def test_site_editors_see_every_library_item_in_order():
    editor = UserFactory(username="site-editor")
    editor.groups.add(Group.objects.get(name=SITE_EDITORS))
    assert labels(editor) == [
        "Themes",
        "Countries",
        "Organisations",
        "Memberships",
        "Quality reviews",
    ]


def test_an_organisation_admin_sees_only_organisations_and_memberships():
    admin = UserFactory(username="tetovo-admin")
    MembershipFactory(user=admin, organisation=OrganisationFactory(), role="admin")
    assert labels(admin) == ["Organisations", "Memberships"]


def test_someone_without_a_role_sees_no_library():
    assert labels(UserFactory(username="visitor")) == []


def test_the_library_submenu_is_in_the_admin_sidebar(client):
    editor = UserFactory(username="site-editor")
    editor.groups.add(Group.objects.get(name=SITE_EDITORS))
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    sidebar = response.content.decode()
    for label in ("Library", "Themes", "Countries", "Organisations", "Memberships"):
        assert f'"{label}"' in sidebar
