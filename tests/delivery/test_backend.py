"""EMAIL_BACKEND is the delivery ledger: Django's own mail API (what allauth, password
resets and Wagtail's notifications call) is sent through the one pipeline."""

import pytest
from django.core.mail import send_mail

from delivery.models import Delivery, Send

pytestmark = pytest.mark.django_db


def test_send_mail_leaves_a_ledger_row_and_arrives(smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        count = send_mail(
            "Welcome", "Hello Ana\n", "site@example.org", ["ana@example.org", "bo@example.org"]
        )

    assert count == 1
    send = Send.objects.get()
    assert (send.kind, send.label, send.total) == ("site", "Welcome", 2)
    assert dict(Delivery.objects.values_list("recipient", "status")) == {
        "ana@example.org": "sent",
        "bo@example.org": "sent",
    }
    assert sorted(message["to"][0] for message in smtp_server.messages) == [
        "ana@example.org",
        "bo@example.org",
    ]
    received = smtp_server.messages[0]["message"]
    assert received["Subject"] == "Welcome"
    assert received.get_content().splitlines() == ["Hello Ana"]


def test_nothing_is_sent_before_the_callers_transaction_commits(smtp_server):
    # Without the commit (the test's transaction is rolled back), the row waits in the ledger.
    send_mail("Later", "x\n", "site@example.org", ["ana@example.org"])

    assert Delivery.objects.get().status == "queued"
    assert smtp_server.messages == []


def test_an_empty_batch_queues_nothing(smtp_server):
    from django.core.mail import get_connection

    assert get_connection().send_messages([]) == 0
    assert not Send.objects.exists()
