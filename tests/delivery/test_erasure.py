"""Erasing one address from the ledger (GDPR): what stays is anonymous, and a suppressed
address stays suppressed through a keyed hash alone."""

import pytest
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.urls import reverse

from delivery.erasure import erase_address, export_address
from delivery.models import Suppression, address_hash, is_suppressed
from delivery.pipeline import queue
from delivery.suppressions import record_soft_bounce, suppress

pytestmark = pytest.mark.django_db


def test_a_soft_bounce_count_without_suppression_is_deleted_a_suppression_keeps_its_hash():
    record_soft_bounce("soft@example.org", "452 mailbox full")
    suppress("hard@example.org", Suppression.Reason.HARD_BOUNCE, "550 5.1.1 hard@example.org")

    erase_address("soft@example.org")
    erase_address("HARD@example.org")

    (row,) = Suppression.objects.all()
    assert (row.address, row.detail, row.reason) == ("", "", "hard_bounce")
    assert is_suppressed("hard@example.org")
    assert not is_suppressed("soft@example.org")
    assert export_address("hard@example.org")["suppression"]["reason"] == "hard_bounce"


def test_erasure_counts_the_rows_it_anonymised_and_leaves_other_addresses():
    queue("site", [EmailMessage("A", "x", "n@example.org", ["ana@example.org", "bo@example.org"])])

    assert erase_address("Ana@Example.org") == 1
    assert export_address("ana@example.org")["deliveries"] == []
    assert [d["status"] for d in export_address("bo@example.org")["deliveries"]] == ["queued"]


def test_the_admin_refuses_to_add_again_an_erased_suppressed_address(client):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(admin)
    suppress("gone@example.org", Suppression.Reason.COMPLAINT)
    erase_address("gone@example.org")

    response = client.post(
        reverse("delivery_suppressions:add"),
        {"address": "Gone@example.org", "reason": "manual", "detail": ""},
    )

    assert response.status_code == 200
    assert "A suppression of this address already exists." in response.content.decode()
    assert Suppression.objects.get().address_hash == address_hash("gone@example.org")
