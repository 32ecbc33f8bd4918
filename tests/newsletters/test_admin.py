"""GDPR requests in the Wagtail admin: everything about one subscriber as JSON, and erasing
one subscriber with their subscriptions and consent records."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from newsletters.factories import SubscriptionFactory
from newsletters.models import ConsentRecord, Subscriber, Subscription, hash_network_address

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription():
    subscription = SubscriptionFactory(
        subscriber__email="ana@example.org",
        themes=["participatory-budgeting"],
        countries=["GE"],
        words="water",
    )
    ConsentRecord.objects.create(
        subscriber=subscription.subscriber,
        action=ConsentRecord.Action.SUBSCRIBE,
        agreed_to="I agree to receive the emails chosen above.",
        wording_version="2026-12-01",
        source_url="https://testserver/search/?theme=participatory-budgeting",
        network_address_hash=hash_network_address("203.0.113.7"),
    )
    SubscriptionFactory(subscriber__email="other@example.org")
    return subscription


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("gdpr-admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


def test_the_listing_offers_export_and_erasure(admin_client, subscription):
    response = admin_client.get(reverse("newsletter_subscribers:index"))

    html = response.content.decode()
    pk = subscription.subscriber.pk
    assert response.status_code == 200
    assert "ana@example.org" in html
    assert reverse("newsletter_subscribers:export", args=[pk]) in html
    assert reverse("newsletter_subscribers:erase", args=[pk]) in html


def test_export_gives_everything_about_one_subscriber_as_json(admin_client, subscription):
    response = admin_client.get(
        reverse("newsletter_subscribers:export", args=[subscription.subscriber.pk])
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["email"] == "ana@example.org"
    assert data["status"] == "confirmed"
    assert [(s["themes"], s["countries"], s["words"]) for s in data["subscriptions"]] == [
        (["participatory-budgeting"], ["GE"], "water")
    ]
    (consent,) = data["consents"]
    assert consent["agreed_to"] == "I agree to receive the emails chosen above."
    assert consent["wording_version"] == "2026-12-01"
    assert consent["page"] == "https://testserver/search/?theme=participatory-budgeting"
    assert consent["network_address_hash"] == hash_network_address("203.0.113.7")
    assert "other@example.org" not in response.content.decode()


def test_erasure_asks_then_deletes_the_subscriber_and_all_they_agreed_to(
    admin_client, subscription
):
    url = reverse("newsletter_subscribers:erase", args=[subscription.subscriber.pk])

    page = admin_client.get(url)
    assert Subscriber.objects.filter(email="ana@example.org").exists()
    response = admin_client.post(url)

    assert page.status_code == 200
    assert "Erase this subscriber" in page.content.decode()
    assert response.status_code == 302
    assert not Subscriber.objects.filter(email="ana@example.org").exists()
    assert not ConsentRecord.objects.exists()
    assert list(Subscription.objects.values_list("subscriber__email", flat=True)) == [
        "other@example.org"
    ]


def test_people_without_the_permission_can_neither_export_nor_erase(client, subscription):
    user = get_user_model().objects.create_user("visitor", "v@example.org", "pw")
    client.force_login(user)
    pk = subscription.subscriber.pk

    export = client.get(reverse("newsletter_subscribers:export", args=[pk]))
    erase = client.post(reverse("newsletter_subscribers:erase", args=[pk]))

    assert export.status_code == 302  # to the admin's sign-in: not an admin user
    assert erase.status_code == 302
    assert Subscriber.objects.filter(pk=pk).exists()
