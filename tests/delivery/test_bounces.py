"""`manage.py process_bounces MAILBOX`: delivery status notifications (RFC 3464) and feedback
reports (RFC 5965) written by hand into a real mbox file and a real Maildir."""

import mailbox

import pytest
from django.core.management import CommandError, call_command

from delivery.models import Suppression, is_suppressed
from delivery.pipeline import queue
from delivery.sending import deliver_due

pytestmark = pytest.mark.django_db


def dsn(recipient, action, status, diagnostic):
    return f"""\
From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: bounces@example.org
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-{recipient}-{action}@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain

Your message could not be delivered.

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Arrival-Date: Mon, 2 Jun 2025 10:00:00 +0000

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822; {recipient}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; {diagnostic}

--BOUNDARY
Content-Type: text/rfc822-headers

From: news@example.org
To: {recipient}
Subject: Issue 1

--BOUNDARY--
"""


def arf(recipient, feedback_type="abuse", with_original_rcpt_to=True):
    original = f"Original-Rcpt-To: {recipient}\n" if with_original_rcpt_to else ""
    return f"""\
From: feedback@isp.example.net
To: abuse@example.org
Subject: FW: Issue 1
Message-ID: <arf-{recipient}@isp.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="PART"

--PART
Content-Type: text/plain; charset="US-ASCII"

This is an email abuse report for an email message received from IP 192.0.2.1.

--PART
Content-Type: message/feedback-report

Feedback-Type: {feedback_type}
User-Agent: SomeGenerator/1.0
Version: 1
{original}Arrival-Date: Mon, 2 Jun 2025 10:00:00 +0000
Reported-Domain: example.org

--PART
Content-Type: message/rfc822
Content-Disposition: inline

From: news@example.org
To: {recipient}
Subject: Issue 1
Message-ID: <issue-1@example.org>

The newsletter.
--PART--
"""


def write_mbox(path, messages):
    box = mailbox.mbox(path)
    for text in messages:
        box.add(text.encode())
    box.close()
    return path


def write_maildir(path, messages):
    box = mailbox.Maildir(path, create=True)
    for text in messages:
        box.add(text.encode())
    box.close()
    return path


def run(path):
    from io import StringIO

    out = StringIO()
    call_command("process_bounces", str(path), stdout=out)
    return out.getvalue()


def test_an_mbox_of_hard_bounces_and_complaints_suppresses_those_addresses(tmp_path):
    path = write_mbox(
        tmp_path / "bounces.mbox",
        [
            dsn("gone@example.com", "failed", "5.1.1", "550 5.1.1 User unknown"),
            arf("angry@example.com"),
            "From: someone@example.com\nSubject: Out of office\n\nI am away.\n",
        ],
    )

    output = run(path)

    assert "3 messages: 1 hard bounces, 0 soft bounces, 1 complaints, 1 not recognised" in output
    assert is_suppressed("gone@example.com")
    assert is_suppressed("angry@example.com")
    assert Suppression.objects.get(address="gone@example.com").reason == "hard_bounce"
    assert Suppression.objects.get(address="angry@example.com").reason == "complaint"
    assert Suppression.objects.filter(reason__gt="").count() == 2


def test_a_maildir_of_reports_is_read_too(tmp_path):
    path = write_maildir(
        tmp_path / "Maildir",
        [
            dsn("nobody@example.com", "failed", "5.1.1", "550 No such user"),
            # No Original-Rcpt-To: the address comes from the returned message.
            arf("spam-clicker@example.com", with_original_rcpt_to=False),
            # Not a complaint: nothing is suppressed for it.
            arf("happy@example.com", feedback_type="not-spam"),
        ],
    )

    output = run(path)

    assert "1 hard bounces, 0 soft bounces, 1 complaints, 1 not recognised" in output
    assert is_suppressed("nobody@example.com")
    assert is_suppressed("spam-clicker@example.com")
    assert not is_suppressed("happy@example.com")


def test_soft_bounces_suppress_only_at_the_limit(tmp_path, settings):
    settings.DELIVERY_SOFT_BOUNCE_LIMIT = 3
    delayed = dsn("full@example.com", "delayed", "4.2.2", "452 4.2.2 Mailbox full")

    run(write_mbox(tmp_path / "one.mbox", [delayed, delayed]))
    assert not is_suppressed("full@example.com")
    assert Suppression.objects.get(address="full@example.com").soft_bounces == 2

    output = run(write_mbox(tmp_path / "two.mbox", [delayed]))
    assert "suppressed full@example.com" in output
    suppression = Suppression.objects.get(address="full@example.com")
    assert (suppression.soft_bounces, suppression.reason) == (3, "soft_bounces")


def test_a_bounced_address_gets_nothing_from_a_later_send(tmp_path, smtp):
    from django.core.mail import EmailMessage

    run(write_mbox(tmp_path / "b.mbox", [dsn("gone@example.com", "failed", "5.1.1", "550")]))
    send = queue(
        "newsletter",
        [
            EmailMessage("Issue 2", "News\n", "news@example.org", [to])
            for to in ("gone@example.com", "ana@example.com")
        ],
    )

    deliver_due()

    assert dict(send.deliveries.values_list("recipient", "status")) == {
        "gone@example.com": "skipped",
        "ana@example.com": "sent",
    }
    assert smtp.recipients() == ["ana@example.com"]


def test_a_missing_mailbox_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No mbox file or Maildir"):
        run(tmp_path / "nothing-here")
