"""The groups and workflow created by the migration members.0002."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
)

from members.groups import ORGANISATION_MEMBERS, SITE_EDITORS, ensure_groups_and_workflow


def page_permissions(group):
    root = Page.get_first_root_node()
    return set(
        GroupPagePermission.objects.filter(group=group, page=root).values_list(
            "permission__codename", flat=True
        )
    )


def collection_permissions(group):
    return set(
        GroupCollectionPermission.objects.filter(group=group).values_list(
            "permission__codename", flat=True
        )
    )


@pytest.mark.django_db
def test_wagtails_default_groups_are_taken_over():
    names = set(Group.objects.values_list("name", flat=True))
    assert {SITE_EDITORS, ORGANISATION_MEMBERS} <= names
    assert not names & {"Moderators", "Editors"}


@pytest.mark.django_db
def test_site_editors_publish_everywhere_and_manage_the_library():
    group = Group.objects.get(name=SITE_EDITORS)
    assert page_permissions(group) == {
        "add_page", "change_page", "publish_page", "lock_page", "unlock_page",
    }  # fmt: skip
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {
        "access_admin", "add_theme", "change_theme", "delete_theme", "view_country",
        "add_organisation", "change_organisation", "delete_organisation",
        "add_membership", "change_membership", "delete_membership",
    } <= codenames  # fmt: skip
    assert {"change_image", "delete_document"} <= collection_permissions(group)


@pytest.mark.django_db
def test_organisation_members_only_add_pages_and_files():
    group = Group.objects.get(name=ORGANISATION_MEMBERS)
    assert page_permissions(group) == {"add_page"}
    assert set(group.permissions.values_list("codename", flat=True)) == {
        "access_admin", "add_image", "choose_image", "add_document", "choose_document",
    }  # fmt: skip
    assert collection_permissions(group) == {
        "add_image", "choose_image", "add_document", "choose_document",
    }  # fmt: skip


@pytest.mark.django_db
def test_every_page_goes_to_the_site_editors_for_approval(site_tree):
    root = Page.get_first_root_node()
    workflow = WorkflowPage.objects.get(page=root).workflow
    assert workflow.name == "Site editors approval"
    assert workflow.active
    [task] = [task.specific for task in workflow.tasks.all()]
    assert isinstance(task, GroupApprovalTask)
    assert list(task.groups.values_list("name", flat=True)) == [SITE_EDITORS]
    for tree in site_tree.values():
        assert tree.practices.get_workflow() == workflow
        assert tree.guides.get_workflow() == workflow


@pytest.mark.django_db
def test_running_the_setup_again_changes_nothing():
    before = (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        Workflow.objects.count(),
        GroupApprovalTask.objects.count(),
        WorkflowPage.objects.count(),
    )
    ensure_groups_and_workflow(apps)
    ensure_groups_and_workflow(apps)
    after = (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        Workflow.objects.count(),
        GroupApprovalTask.objects.count(),
        WorkflowPage.objects.count(),
    )
    assert after == before


@pytest.mark.django_db
def test_the_setup_repairs_a_members_group_given_too_much():
    group = Group.objects.get(name=ORGANISATION_MEMBERS)
    root = Page.get_first_root_node()
    GroupPagePermission.objects.create(group=group, page=root, permission_type="publish")
    assert "publish_page" in page_permissions(group)
    ensure_groups_and_workflow(apps)
    assert page_permissions(group) == {"add_page"}
