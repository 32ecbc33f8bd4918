"""Subscribing with double opt-in, against a real SMTP server on loopback: the confirmation
email and its signed, expiring link; an existing address is told, never revealed; the rate
limits; the consent ledger."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from newsletters.factories import SubscriberFactory, SubscriptionFactory
from newsletters.models import ConsentRecord, Subscriber, Subscription, hash_network_address

pytestmark = pytest.mark.django_db

VALID = {
    "email": "Ana.Petreska@Example.org",
    "email_language": "en",
    "theme": ["participatory-budgeting"],
    "country": ["GE", "MK"],
    "type": ["practice"],
    "frequency": "weekly",
    "consent": "on",
    "website": "",
}


def subscribe(client, **changes):
    return client.post(
        reverse("newsletters:subscribe"), {**VALID, **changes}, REMOTE_ADDR="203.0.113.7"
    )


def link_in(message, marker):
    text = message["message"].get_body(preferencelist=("plain",)).get_content()
    return next(word for word in text.split() if marker in word)


def test_a_new_address_gets_one_confirmation_email_and_nothing_else(client, sent):
    messages = sent(subscribe, client)

    assert sent.result.status_code == 302
    assert sent.result["Location"] == reverse("newsletters:subscribe_sent")
    assert len(messages) == 1
    assert messages[0]["to"] == ["ana.petreska@example.org"]
    email = messages[0]["message"]
    assert email["Subject"] == "Confirm your subscription to Practice Commons"
    text = email.get_body(preferencelist=("plain",)).get_content()
    assert "Participatory budgeting · Georgia, North Macedonia · Practices" in text
    assert "https://testserver/newsletters/confirm/" in text

    subscriber = Subscriber.objects.get()
    assert subscriber.email == "ana.petreska@example.org"
    assert subscriber.status == Subscriber.Status.PENDING
    subscription = subscriber.subscriptions.get()
    assert subscription.confirmed_at is None
    assert (subscription.themes, subscription.countries, subscription.types) == (
        ["participatory-budgeting"],
        ["GE", "MK"],
        ["practice"],
    )


def test_the_consent_ledger_keeps_the_wording_and_only_a_keyed_hash_of_the_address(client, sent):
    sent(subscribe, client, source="https://testserver/search/?theme=participatory-budgeting")

    consent = ConsentRecord.objects.get()
    assert consent.action == ConsentRecord.Action.SUBSCRIBE
    assert consent.agreed_to.startswith("I agree to receive the emails chosen above")
    assert "Weekly digest: Participatory budgeting · Georgia, North Macedonia" in consent.agreed_to
    assert consent.wording_version == "2026-12-01"
    assert consent.source_url == "https://testserver/search/?theme=participatory-budgeting"
    assert consent.network_address_hash == hash_network_address("203.0.113.7")
    assert len(consent.network_address_hash) == 64
    assert "203.0.113.7" not in consent.network_address_hash


def test_following_the_link_confirms_the_address_and_its_subscription(client, sent):
    (message,) = sent(subscribe, client)
    url = link_in(message, "/newsletters/confirm/")

    response = client.get(url.removeprefix("https://testserver"))

    assert response.status_code == 200
    assert "You are subscribed" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None
    subscription = subscriber.subscriptions.get()
    assert subscription.confirmed_at is not None
    assert subscription.last_digest_at == subscription.confirmed_at
    assert [c.action for c in subscriber.consents.all()] == ["subscribe", "confirm"]


def test_an_expired_link_confirms_nothing_and_says_so(client, sent, settings):
    (message,) = sent(subscribe, client)
    url = link_in(message, "/newsletters/confirm/")
    expired = timezone.now() + timedelta(seconds=settings.NEWSLETTERS_CONFIRMATION_MAX_AGE + 1)

    with time_machine.travel(expired):
        response = client.get(url.removeprefix("https://testserver"))

    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    assert Subscription.objects.get().confirmed_at is None


def test_a_tampered_link_confirms_nothing(client, sent):
    (message,) = sent(subscribe, client)
    url = link_in(message, "/newsletters/confirm/").removeprefix("https://testserver")

    response = client.get(url.replace("/confirm/", "/confirm/x"))

    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_an_existing_address_is_told_by_email_and_the_page_says_the_same(client, sent):
    SubscriptionFactory(subscriber__email="ana.petreska@example.org")
    new_address = sent(subscribe, client, email="someone.new@example.org")
    page_for_new = client.get(sent.result["Location"]).content

    existing = sent(subscribe, client)
    page_for_existing = client.get(sent.result["Location"]).content

    assert sent.result["Location"] == reverse("newsletters:subscribe_sent")
    assert page_for_existing == page_for_new
    assert new_address[0]["message"]["Subject"] == "Confirm your subscription to Practice Commons"
    (message,) = existing
    assert message["to"] == ["ana.petreska@example.org"]
    assert message["message"]["Subject"] == "You are already subscribed to Practice Commons"
    text = message["message"].get_body(preferencelist=("plain",)).get_content()
    assert "https://testserver/newsletters/preferences/" in text
    # The new alert waits for the owner of the address to add it.
    subscriber = Subscriber.objects.get(email="ana.petreska@example.org")
    assert subscriber.subscriptions.filter(confirmed_at__isnull=True).count() == 1
    client.get(link_in(message, "/newsletters/confirm/").removeprefix("https://testserver"))
    assert subscriber.subscriptions.filter(confirmed_at__isnull=True).count() == 0


def test_a_complained_address_gets_nothing_and_the_page_says_the_same(client, sent):
    SubscriberFactory(email="ana.petreska@example.org", status=Subscriber.Status.COMPLAINED)

    messages = sent(subscribe, client)

    assert sent.result["Location"] == reverse("newsletters:subscribe_sent")
    assert messages == []


def test_a_robot_filling_the_honeypot_is_thanked_and_nothing_is_saved(client, sent):
    messages = sent(subscribe, client, website="http://spam.example")

    assert sent.result["Location"] == reverse("newsletters:subscribe_sent")
    assert messages == []
    assert not Subscriber.objects.exists()


def test_too_many_requests_for_one_address_are_refused_with_the_reason_and_the_form_kept(
    client, sent, settings
):
    settings.NEWSLETTERS_SUBSCRIBE_RATE_PER_EMAIL = "2/h"
    for _ in range(2):
        assert len(sent(subscribe, client)) == 1

    messages = sent(subscribe, client)

    response = sent.result
    html = response.content.decode()
    assert response.status_code == 429
    assert "This address has been sent several subscription emails" in html
    assert 'value="Ana.Petreska@Example.org"' in html
    assert messages == []
    assert Subscription.objects.count() == 2


def test_too_many_requests_from_one_network_address_are_refused(client, sent, settings):
    settings.NEWSLETTERS_SUBSCRIBE_RATE_PER_NETWORK = "2/h"
    sent(subscribe, client, email="one@example.org")
    sent(subscribe, client, email="two@example.org")

    messages = sent(subscribe, client, email="three@example.org")

    assert sent.result.status_code == 429
    assert "Too many subscription requests came from your network" in sent.result.content.decode()
    assert messages == []
    assert not Subscriber.objects.filter(email="three@example.org").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not an address"}, "Enter a valid email address."),
        ({"consent": ""}, "Tick the box to agree"),
        ({"theme": ["no-such-theme"]}, "Select a valid choice."),
        ({"q": "x" * 201}, "Ensure this value has at most 200 characters"),
        ({"frequency": "hourly"}, "Select a valid choice."),
    ],
)
def test_bad_input_gets_a_message_and_nothing_is_saved_or_sent(client, sent, changes, message):
    messages = sent(subscribe, client, **changes)

    assert sent.result.status_code == 400
    assert message in sent.result.content.decode()
    assert messages == []
    assert not Subscriber.objects.exists()


def test_the_form_starts_from_the_search_page_parameters(client):
    response = client.get(
        reverse("newsletters:subscribe")
        + "?q=water&theme=participatory-budgeting&country=ge&type=guide&language=ro&page=3"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="q" value="water"' in html
    form = response.context["form"]
    assert form.initial["theme"] == ["participatory-budgeting"]
    assert form.initial["country"] == ["GE"]
    assert form.initial["type"] == ["guide"]
    assert form.initial["language"] == ["ro"]


def test_the_search_page_links_to_alerts_for_its_search(client):
    response = client.get("/search/?q=water&theme=participatory-budgeting&country=GE&page=1")

    html = response.content.decode()
    assert (
        'href="/newsletters/subscribe/?q=water&amp;theme=participatory-budgeting&amp;country=GE"'
        in html
    )
    assert "Get alerts for this search" in html


def test_a_signed_in_member_subscribing_their_own_address_is_linked_to_their_account(client, sent):
    from django.contrib.auth import get_user_model

    member = get_user_model().objects.create_user("ana", "ana.petreska@example.org", "pw")
    client.force_login(member)

    sent(subscribe, client)
    sent(subscribe, client, email="someone.else@example.org")

    assert Subscriber.objects.get(email="ana.petreska@example.org").user == member
    assert Subscriber.objects.get(email="someone.else@example.org").user is None
