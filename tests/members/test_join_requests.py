"""Asking to join an organisation: its administrators approve or refuse, and both sides
hear of it by email through the delivery pipeline (a real SMTP server on loopback)."""

import pytest
from django.contrib.auth.models import Group

from members.factories import (
    JoinRequestFactory,
    MembershipFactory,
    OrganisationFactory,
    ProfileFactory,
    UserFactory,
)
from members.groups import ORGANISATION_MEMBERS, SITE_EDITORS
from members.models import JoinRequest, Membership
from tests.mail import link_in, mail_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(committing_client):
    return committing_client


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Municipality of Ozurgeti", slug="ozurgeti")


@pytest.fixture
def admin(organisation):
    return MembershipFactory(
        organisation=organisation,
        role=Membership.Role.ADMIN,
        user=UserFactory(username="nino", email="nino@ozurgeti.example"),
    ).user


@pytest.fixture
def asker():
    user = UserFactory(username="giorgi", email="giorgi@example.org")
    ProfileFactory(user=user, display_name="Giorgi Beridze", affiliation="Budget office")
    return user


def test_asking_to_join_emails_the_administrators(client, smtp_server, organisation, admin, asker):
    client.force_login(asker)

    response = client.post("/organisations/ozurgeti/join/", {"message": "I run the budget."})

    assert response["Location"] == "/organisations/ozurgeti/"
    join_request = JoinRequest.objects.get()
    assert (join_request.user, join_request.organisation) == (asker, organisation)
    assert join_request.status == "pending"
    assert join_request.message == "I run the budget."
    [message] = mail_to(smtp_server, "nino@ozurgeti.example")
    assert message["Subject"] == "Giorgi Beridze asks to join Municipality of Ozurgeti"
    assert "I run the budget." in message.get_content()
    assert link_in(message) == "/organisations/ozurgeti/requests/"
    assert mail_to(smtp_server, "giorgi@example.org") == []
    # The asker sees their request is waiting.
    page = client.get("/organisations/ozurgeti/").content.decode()
    assert "Your request to join is waiting for a decision." in page


def test_a_second_request_while_one_waits_is_refused(client, smtp_server, organisation, asker):
    JoinRequestFactory(user=asker, organisation=organisation)
    client.force_login(asker)

    response = client.post("/organisations/ozurgeti/join/", {"message": ""}, follow=True)

    assert JoinRequest.objects.count() == 1
    assert "Your request to join Municipality of Ozurgeti is waiting for a decision." in (
        response.content.decode()
    )
    assert smtp_server.messages == []


def test_a_member_cannot_ask_again(client, smtp_server, organisation, asker):
    MembershipFactory(user=asker, organisation=organisation)
    client.force_login(asker)

    response = client.post("/organisations/ozurgeti/join/", {"message": ""}, follow=True)

    assert not JoinRequest.objects.exists()
    assert "You are already a member of Municipality of Ozurgeti." in response.content.decode()


def test_asking_needs_an_account(client, organisation):
    response = client.post("/organisations/ozurgeti/join/", {"message": "hello"})

    assert response["Location"] == "/accounts/login/?next=/organisations/ozurgeti/join/"
    assert not JoinRequest.objects.exists()


def test_the_administrator_approves(client, smtp_server, organisation, admin, asker):
    join_request = JoinRequestFactory(user=asker, organisation=organisation)
    client.force_login(admin)

    listing = client.get("/organisations/ozurgeti/requests/").content.decode()
    assert "Giorgi Beridze" in listing and "Budget office" in listing
    response = client.post(
        f"/organisations/requests/{join_request.pk}/decide/", {"decision": "approve"}
    )

    assert response["Location"] == "/organisations/ozurgeti/requests/"
    join_request.refresh_from_db()
    assert (join_request.status, join_request.decided_by) == ("approved", admin)
    membership = Membership.objects.get(user=asker, organisation=organisation)
    assert membership.role == Membership.Role.MEMBER
    assert asker.groups.filter(name=ORGANISATION_MEMBERS).exists()
    [to_asker] = mail_to(smtp_server, "giorgi@example.org")
    assert to_asker["Subject"] == "You are now a member of Municipality of Ozurgeti"
    assert link_in(to_asker) == "/organisations/ozurgeti/"
    [to_admin] = mail_to(smtp_server, "nino@ozurgeti.example")
    assert to_admin["Subject"] == "Giorgi Beridze joined Municipality of Ozurgeti"


def test_the_administrator_refuses(client, smtp_server, organisation, admin, asker):
    join_request = JoinRequestFactory(user=asker, organisation=organisation)
    client.force_login(admin)

    client.post(f"/organisations/requests/{join_request.pk}/decide/", {"decision": "refuse"})

    join_request.refresh_from_db()
    assert join_request.status == "refused"
    assert not Membership.objects.filter(user=asker).exists()
    [to_asker] = mail_to(smtp_server, "giorgi@example.org")
    assert to_asker["Subject"] == "Your request to join Municipality of Ozurgeti was declined"
    [to_admin] = mail_to(smtp_server, "nino@ozurgeti.example")
    assert to_admin["Subject"] == (
        "Giorgi Beridze's request to join Municipality of Ozurgeti was declined"
    )
    # A decided request stays decided.
    again = client.post(
        f"/organisations/requests/{join_request.pk}/decide/", {"decision": "approve"}, follow=True
    )
    assert "This request was already decided." in again.content.decode()
    assert not Membership.objects.filter(user=asker).exists()


@pytest.mark.parametrize("role", [Membership.Role.MEMBER, Membership.Role.EDITOR])
def test_only_administrators_decide(client, smtp_server, organisation, admin, asker, role):
    join_request = JoinRequestFactory(user=asker, organisation=organisation)
    colleague = MembershipFactory(organisation=organisation, role=role).user
    client.force_login(colleague)

    assert client.get("/organisations/ozurgeti/requests/").status_code == 403
    response = client.post(
        f"/organisations/requests/{join_request.pk}/decide/", {"decision": "approve"}
    )

    assert response.status_code == 403
    join_request.refresh_from_db()
    assert join_request.status == "pending"
    assert not Membership.objects.filter(user=asker).exists()
    assert smtp_server.messages == []


def test_an_administrator_of_another_organisation_cannot_decide(client, organisation, asker):
    join_request = JoinRequestFactory(user=asker, organisation=organisation)
    outsider = MembershipFactory(role=Membership.Role.ADMIN).user
    client.force_login(outsider)

    response = client.post(
        f"/organisations/requests/{join_request.pk}/decide/", {"decision": "approve"}
    )

    assert response.status_code == 403
    assert JoinRequest.objects.get().status == "pending"


def test_an_unknown_decision_changes_nothing(client, organisation, admin, asker):
    join_request = JoinRequestFactory(user=asker, organisation=organisation)
    client.force_login(admin)

    response = client.post(
        f"/organisations/requests/{join_request.pk}/decide/", {"decision": "maybe"}, follow=True
    )

    assert "Choose to approve or to refuse the request." in response.content.decode()
    assert JoinRequest.objects.get().status == "pending"


def test_without_administrators_the_site_editors_decide(client, smtp_server, organisation, asker):
    editor = UserFactory(username="editor", email="editor@example.org")
    editor.groups.add(Group.objects.get(name=SITE_EDITORS))
    client.force_login(asker)

    client.post("/organisations/ozurgeti/join/", {"message": ""})

    [message] = mail_to(smtp_server, "editor@example.org")
    assert message["Subject"] == "Giorgi Beridze asks to join Municipality of Ozurgeti"
    client.force_login(editor)
    join_request = JoinRequest.objects.get()
    client.post(f"/organisations/requests/{join_request.pk}/decide/", {"decision": "approve"})
    assert Membership.objects.filter(user=asker, organisation=organisation).exists()
