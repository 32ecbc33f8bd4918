"""The admin's view of the pipeline: each send's progress, read-only, in the "Email" menu."""

import pytest
from django.core.mail import EmailMessage
from django.urls import reverse

from delivery.models import Delivery, Send
from delivery.pipeline import queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(user)
    return client


def test_the_sends_listing_shows_progress_by_status(admin_client):
    send = queue(
        "newsletter",
        [EmailMessage("Issue", "x", "news@example.org", [f"r{n}@example.org"]) for n in range(5)],
        send_label="Issue 7",
    )
    rows = list(send.deliveries.order_by("id"))
    for row, status in zip(rows, ["sent", "sent", "failed", "uncertain"], strict=False):
        Delivery.objects.filter(pk=row.pk).update(status=status)

    response = admin_client.get(reverse("delivery_sends:index"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Issue 7" in html
    assert '<progress max="5" value="4"' in html
    counts = Send.objects.with_totals().get(pk=send.pk)
    assert (counts.sent_count, counts.failed_count, counts.uncertain_count) == (2, 1, 1)
    assert counts.remaining_count == 1
    # Read-only: no way to add or edit a send.
    assert reverse("delivery_sends:add") not in html
    assert admin_client.get(reverse("delivery_sends:add")).status_code == 302
    assert admin_client.get(reverse("delivery_sends:inspect", args=[send.pk])).status_code == 200


def test_the_menu_has_the_email_entries(admin_client):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()

    assert reverse("delivery_sends:index") in html
    assert reverse("delivery_suppressions:index") in html


def test_an_editor_suppresses_an_address_by_hand(admin_client):
    from delivery.models import is_suppressed

    response = admin_client.post(
        reverse("delivery_suppressions:add"),
        {"address": "Asked@Example.org", "reason": "manual", "detail": "asked by phone"},
    )

    assert response.status_code == 302
    assert is_suppressed("asked@example.org")


def test_suppressing_an_address_twice_is_refused_with_a_message(admin_client):
    from delivery.models import Suppression

    Suppression.objects.create(address="asked@example.org", reason="manual")

    response = admin_client.post(
        reverse("delivery_suppressions:add"), {"address": "ASKED@example.org", "reason": "manual"}
    )

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Suppression.objects.count() == 1
