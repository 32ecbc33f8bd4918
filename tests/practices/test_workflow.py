"""Submit → review → publish, through the real admin endpoints: a municipality member writes a
practice and submits it; a site editor approves it (it goes live) or requests changes with a
comment (it stays a draft and goes back to its author)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from members.factories import MembershipFactory, OrganisationFactory, UserFactory
from members.groups import SITE_EDITORS
from practices.models import PracticePage
from taxonomy.models import Country, Theme
from tests.members.admin_forms import practice_form_data


@pytest.fixture
def municipality(db):
    return OrganisationFactory(name="Municipality of Kumanovo")


@pytest.fixture
def member(municipality):
    user = UserFactory(username="kumanovo-staff", email="staff@kumanovo.example")
    MembershipFactory(user=user, organisation=municipality, role="member")
    return user


@pytest.fixture
def site_editor(db):
    user = UserFactory(username="site-editor", email="editor@practice-commons.example")
    user.groups.add(Group.objects.get(name=SITE_EDITORS))
    return user


@pytest.fixture
def themes(db):
    return list(Theme.objects.filter(slug__in=["participatory-budgeting", "youth"]))


@pytest.fixture
def countries(db):
    return list(Country.objects.filter(code__in=["MK", "AL"]))


def submit_practice(client, site_tree, member, municipality, themes, countries, title):
    client.force_login(member)
    index = site_tree["en"].practices
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("practices", "practicepage", index.pk)),
        practice_form_data(
            title=title,
            themes=themes,
            countries=countries,
            lead_organisation=municipality,
            **{"action-submit": "1"},
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=(index.pk,))
    practice = PracticePage.objects.get(title=title)
    assert practice.owner == member
    assert not practice.live
    assert practice.workflow_in_progress
    assert set(practice.themes.all()) == set(themes)
    assert set(practice.countries.all()) == set(countries)
    return practice


def workflow_action(client, practice, action, comment=""):
    task_state = practice.current_workflow_task_state
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(practice.pk, action, task_state.pk)),
        {"comment": comment},
    )


@pytest.mark.django_db
def test_a_submitted_practice_goes_live_when_a_site_editor_approves_it(
    client, site_tree, member, municipality, site_editor, themes, countries, mailoutbox
):
    practice = submit_practice(
        client, site_tree, member, municipality, themes, countries, "Participatory budgeting"
    )
    assert themes and len(countries) == 2
    task = practice.current_workflow_task
    assert task.name == "Site editors approval"
    assert site_editor.email in {address for message in mailoutbox for address in message.to}

    # The member may not approve their own work.
    response = workflow_action(client, practice, "approve")
    assert response["Location"] == reverse("wagtailadmin_home")
    practice.refresh_from_db()
    assert not practice.live

    client.force_login(site_editor)
    response = workflow_action(client, practice, "approve", comment="Clear and complete.")
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.live
    assert not practice.workflow_in_progress
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(practice.pk))
    assert state.status == WorkflowState.STATUS_APPROVED
    task_state = TaskState.objects.get(workflow_state=state)
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.finished_by == site_editor

    # The public sees it.
    client.logout()
    assert client.get(practice.url).status_code == 200


@pytest.mark.django_db
def test_requesting_changes_sends_the_practice_back_with_the_comment(
    client, site_tree, member, municipality, site_editor, themes, countries, mailoutbox
):
    practice = submit_practice(
        client, site_tree, member, municipality, themes, countries, "Youth council"
    )

    # While under review the page is locked for its author.
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(practice.pk,)),
        practice_form_data(
            practice, title="Youth council (edited)", themes=themes, countries=countries,
            lead_organisation=municipality,
        ),
    )  # fmt: skip
    assert response.status_code == 200
    assert PracticePage.objects.get(pk=practice.pk).title == "Youth council"

    client.force_login(site_editor)
    comment = "Please add the budget and the number of young people reached."
    response = workflow_action(client, practice, "reject", comment=comment)
    assert response.status_code == 302

    practice.refresh_from_db()
    assert not practice.live
    assert not practice.workflow_in_progress
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(practice.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.requested_by == member
    task_state = TaskState.objects.get(workflow_state=state)
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.comment == comment
    assert task_state.finished_by == site_editor
    assert member.email in {address for message in mailoutbox for address in message.to}

    # Back with the member: they can edit it again and resubmit.
    client.force_login(member)
    response = client.get(reverse("wagtailadmin_pages:edit", args=(practice.pk,)))
    assert response.status_code == 200
    assert comment in response.content.decode()
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(practice.pk,)),
        practice_form_data(
            practice,
            title="Youth council",
            themes=themes,
            countries=countries,
            lead_organisation=municipality,
            budget_amount="12000",
            budget_currency="EUR",
            **{"action-restart-workflow": "1"},
        ),
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.workflow_in_progress
    assert not practice.live
    assert practice.get_latest_revision().as_object().budget_amount == 12000
