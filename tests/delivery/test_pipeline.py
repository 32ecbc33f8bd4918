"""The sending pipeline against a real SMTP server (aiosmtpd on loopback): queued messages
are delivered once with their headers, temporary errors are retried with backoff, permanent
ones suppress the address, and suppressions and registered checks are applied at send time."""

import socket
from datetime import timedelta

import pytest
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils import timezone

from delivery import pipeline, sending
from delivery.models import Delivery, Send, Suppression, is_suppressed
from delivery.suppressions import suppress

pytestmark = pytest.mark.django_db


def message(to, subject="Hello", **kwargs):
    return EmailMessage(
        subject=subject, body="Body text\n", from_email="site@example.org", to=to, **kwargs
    )


@pytest.fixture
def send_now(django_capture_on_commit_callbacks):
    """queue(), then run the task enqueued on commit (the test settings' ImmediateBackend)."""

    def run(kind, messages, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return pipeline.queue(kind, messages, **kwargs)

    return run


def statuses(send):
    return dict(send.deliveries.values_list("recipient", "status"))


def test_each_recipient_gets_the_message_once_with_its_headers(smtp, send_now):
    email = EmailMultiAlternatives(
        subject="Monthly digest",
        body="Plain text part\n",
        from_email="Practice Commons <news@example.org>",
        to=["ana@example.org", "Bo <bo@example.org>"],
        headers={
            "Message-ID": "<digest-1@example.org>",
            "Date": "Mon, 02 Jun 2025 10:00:00 +0000",
            "List-Unsubscribe": "<https://example.org/u/1>",
        },
    )
    email.attach_alternative("<p>HTML part</p>", "text/html")

    send = send_now("digest", [email], send_label="June")

    assert sorted(smtp.recipients()) == ["ana@example.org", "bo@example.org"]
    assert statuses(send) == {"ana@example.org": "sent", "bo@example.org": "sent"}
    for received in smtp.messages:
        assert received["from"] == "news@example.org"
        parsed = received["message"]
        assert parsed["Message-ID"] == "<digest-1@example.org>"
        assert parsed["Date"] == "Mon, 02 Jun 2025 10:00:00 +0000"
        assert parsed["List-Unsubscribe"] == "<https://example.org/u/1>"
        assert parsed["To"] == "ana@example.org, Bo <bo@example.org>"
        assert [part.get_content_type() for part in parsed.iter_parts()] == [
            "text/plain",
            "text/html",
        ]
    send.refresh_from_db()
    assert (send.kind, send.label, send.total) == ("digest", "June", 2)
    assert send.totals()["sent"] == 2
    assert all(
        row.sent_at and row.message_id == "<digest-1@example.org>" for row in send.deliveries.all()
    )


def test_a_message_without_ids_gets_them_when_queued_and_keeps_them(smtp, send_now):
    send = send_now("contact", [message(["ana@example.org"])])

    row = send.deliveries.get()
    parsed = smtp.messages[0]["message"]
    assert row.message_id.startswith("<") and parsed["Message-ID"] == row.message_id
    assert parsed["Date"]


def test_a_temporary_error_is_retried_with_backoff(smtp, send_now, settings):
    settings.DELIVERY_RETRY_DELAY = 60
    smtp.rcpt_replies["ana@example.org"] = [
        "451 4.7.1 Greylisted, try later",
        "452 4.2.2 Mailbox full",
    ]

    send = send_now("contact", [message(["ana@example.org"])])

    row = send.deliveries.get()
    assert (row.status, row.attempts) == ("queued", 1)
    assert "451 4.7.1 Greylisted" in row.last_error
    assert row.next_attempt_at - timezone.now() > timedelta(seconds=55)
    assert smtp.messages == []

    # Not due yet: nothing happens.
    assert sending.deliver_due().handled == 0
    Delivery.objects.update(next_attempt_at=timezone.now())
    assert sending.deliver_due().retried == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("queued", 2)
    # The second delay doubles the first.
    assert row.next_attempt_at - timezone.now() > timedelta(seconds=115)

    Delivery.objects.update(next_attempt_at=timezone.now())
    assert sending.deliver_due().sent == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, "")
    assert smtp.recipients() == ["ana@example.org"]


def test_temporary_errors_fail_after_the_last_attempt(smtp, send_now, settings):
    settings.DELIVERY_RETRY_DELAY = 0
    settings.DELIVERY_MAX_ATTEMPTS = 3
    smtp.rcpt_replies["ana@example.org"] = ["451 4.3.0 Try later"] * 5

    send = send_now("contact", [message(["ana@example.org"])])

    row = send.deliveries.get()
    assert (row.status, row.attempts) == ("failed", 3)
    assert smtp.messages == []
    # One soft bounce counted, not yet a suppression.
    suppression = Suppression.objects.get(address="ana@example.org")
    assert (suppression.soft_bounces, suppression.reason) == (1, "")
    assert not is_suppressed("ana@example.org")


def test_a_permanent_error_suppresses_the_address(smtp, send_now):
    smtp.rcpt_replies["gone@example.org"] = ["550 5.1.1 No such user"]

    send = send_now("contact", [message(["gone@example.org", "ana@example.org"])])

    assert statuses(send) == {"gone@example.org": "failed", "ana@example.org": "sent"}
    assert "550 5.1.1 No such user" in send.deliveries.get(recipient="gone@example.org").last_error
    assert smtp.recipients() == ["ana@example.org"]
    assert is_suppressed("GONE@example.org")
    assert Suppression.objects.get(address="gone@example.org").reason == "hard_bounce"


def test_a_suppressed_address_gets_nothing_from_a_later_send(smtp, send_now):
    smtp.rcpt_replies["gone@example.org"] = ["550 5.1.1 No such user"]
    send_now("newsletter", [message(["gone@example.org"])])

    later = send_now("digest", [message(["gone@example.org"]), message(["ana@example.org"])])

    assert statuses(later) == {"gone@example.org": "skipped", "ana@example.org": "sent"}
    assert later.deliveries.get(recipient="gone@example.org").last_error == "suppressed"
    assert smtp.recipients() == ["ana@example.org"]


def test_suppression_is_checked_at_send_time_not_only_at_queue_time(smtp):
    send = pipeline.queue("newsletter", [message(["ana@example.org", "bo@example.org"])])
    suppress("Bo@Example.org", Suppression.Reason.COMPLAINT)

    sending.deliver_due()

    assert statuses(send) == {"ana@example.org": "sent", "bo@example.org": "skipped"}
    assert smtp.recipients() == ["ana@example.org"]


def test_a_registered_check_refusing_at_send_time_skips_the_recipient(smtp, monkeypatch):
    monkeypatch.setattr(pipeline, "_recipient_checks", {})
    confirmed = {"ana@example.org", "bo@example.org"}
    pipeline.register_recipient_check("newsletter", lambda address: address in confirmed)
    send = pipeline.queue("newsletter", [message(["ana@example.org"]), message(["bo@example.org"])])
    other = pipeline.queue("contact", [message(["cy@example.org"])])
    # Bo unsubscribes after the issue was queued.
    confirmed.discard("bo@example.org")

    sending.deliver_due()

    assert statuses(send) == {"ana@example.org": "sent", "bo@example.org": "skipped"}
    assert "refused by" in send.deliveries.get(recipient="bo@example.org").last_error
    # The check is the newsletter's: other kinds are not asked.
    assert statuses(other) == {"cy@example.org": "sent"}
    assert sorted(smtp.recipients()) == ["ana@example.org", "cy@example.org"]


def test_queue_writes_in_the_callers_transaction(smtp):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        pipeline.queue("contact", [message(["ana@example.org"])])
        raise RuntimeError("the caller fails after queueing")

    assert not Send.objects.exists()
    assert not Delivery.objects.exists()


def test_an_unreachable_server_leaves_everything_queued(settings, closed_port):
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    send = pipeline.queue("contact", [message(["ana@example.org"])])

    result = sending.deliver_due()

    assert "ConnectionRefusedError" in result.connection_error
    assert statuses(send) == {"ana@example.org": "queued"}
    assert send.deliveries.get().attempts == 0


def test_a_row_left_sending_by_a_dead_worker_becomes_uncertain_and_is_not_resent(smtp):
    send = pipeline.queue("contact", [message(["ana@example.org", "bo@example.org"])])
    # A worker on this machine whose process is gone left Ana's row in flight (on PostgreSQL
    # nobody holds its advisory lock either).
    dead = f"{socket.gethostname()[:60]}:999999999:abcdef"
    Delivery.objects.filter(recipient="ana@example.org").update(status="sending", worker=dead)

    sending.deliver_due()

    assert statuses(send) == {"ana@example.org": "uncertain", "bo@example.org": "sent"}
    assert smtp.recipients() == ["bo@example.org"]


@pytest.mark.parametrize(
    "address",
    [
        "reader7@bench.example",
        "First.Last+tag@Example.ORG",
        "o'brien@example.org",
        "a..b@example.org",
        "Reader <reader@example.org>",
        "reader@bücher.example",
        "ré@example.org",
        " reader@example.org",
    ],
)
def test_envelope_addresses_are_what_django_would_give_the_server(address):
    from email.utils import parseaddr

    from django.core.mail.message import sanitize_address

    expected = parseaddr(sanitize_address(address, "utf-8"))[1]
    assert pipeline._envelope_address(address, "utf-8") == expected
