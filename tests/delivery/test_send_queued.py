"""`manage.py send_queued`: the queue drained in the foreground, with a progress bar."""

from io import StringIO

import pytest
from django.core.mail import EmailMessage
from django.core.management import CommandError, call_command

from delivery.pipeline import queue

pytestmark = pytest.mark.django_db


def queue_to(*addresses):
    return queue(
        "digest", [EmailMessage("Digest", "x", "news@example.org", [a]) for a in addresses]
    )


def test_wait_drains_the_queue_through_retries_with_a_progress_bar(smtp, settings, capsys):
    settings.DELIVERY_RETRY_DELAY = 1
    smtp.rcpt_replies["slow@example.org"] = ["451 4.7.1 Greylisted"]
    send = queue_to("ana@example.org", "slow@example.org", "bo@example.org")
    out = StringIO()

    call_command("send_queued", "--wait", stdout=out)

    assert "Sent 3, failed 0, uncertain 0, skipped 0; 0 remain queued." in out.getvalue()
    assert "3/3" in capsys.readouterr().err  # tqdm's bar
    assert sorted(smtp.recipients()) == ["ana@example.org", "bo@example.org", "slow@example.org"]
    assert set(send.deliveries.values_list("status", flat=True)) == {"sent"}


def test_without_wait_a_retry_not_yet_due_stays_queued(smtp, settings):
    settings.DELIVERY_RETRY_DELAY = 600
    smtp.rcpt_replies["slow@example.org"] = ["451 4.7.1 Greylisted"]
    queue_to("ana@example.org", "slow@example.org")
    out = StringIO()

    call_command("send_queued", stdout=out, verbosity=1)

    assert "Sent 1, failed 0, uncertain 0, skipped 0; 1 remain queued." in out.getvalue()
    assert smtp.recipients() == ["ana@example.org"]


def test_an_unreachable_server_is_a_clear_error(settings, closed_port):
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    queue_to("ana@example.org")

    with pytest.raises(CommandError, match="cannot be reached.*1 deliveries remain queued"):
        call_command("send_queued", verbosity=0)
