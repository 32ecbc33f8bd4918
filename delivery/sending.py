"""Sending the ledger over SMTP, safely against a worker killed at any moment.

Each message is claimed by committing its row as `sending` (SELECT ... FOR UPDATE SKIP
LOCKED on PostgreSQL; SQLite has one worker) before the SMTP transaction, and committed as
`sent` right after the server's 250. A worker killed in between leaves at most that one row
in `sending`; the next run finds that its worker is gone and marks the row `uncertain`,
never sending it again. Rows still `queued` go to the next run, so nobody is sent a message
twice and everybody else gets theirs.

Whether a worker is gone: on PostgreSQL each worker holds a session advisory lock named by
its id while it runs, which the server releases when the process dies; elsewhere (SQLite,
one machine) its process id is looked up."""

import hashlib
import logging
import os
import smtplib
import socket
import threading
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from .models import Delivery, Suppression
from .pipeline import recipient_refusal
from .suppressions import record_soft_bounce, suppress

logger = logging.getLogger(__name__)

Status = Delivery.Status

_local = threading.local()


def worker_id():
    """This thread's id in the ledger: host, process id and a random part (a forked child or
    another thread is another worker)."""
    if getattr(_local, "pid", None) != os.getpid():
        _local.pid = os.getpid()
        _local.worker = f"{socket.gethostname()[:60]}:{_local.pid}:{get_random_string(12)}"
    return _local.worker


def _lock_key(worker):
    return int.from_bytes(hashlib.sha256(worker.encode()).digest()[:8], "big", signed=True)


class _Presence:
    """Holds this worker's advisory lock on PostgreSQL while it sends."""

    def __enter__(self):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [_lock_key(worker_id())])
        return self

    def __exit__(self, *exc):
        if connection.vendor == "postgresql" and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_lock_key(worker_id())])


def _worker_alive(worker):
    if worker == worker_id():
        return False  # asked before this thread sends: a row of its own was left behind
    if connection.vendor == "postgresql":
        key = _lock_key(worker)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            (free,) = cursor.fetchone()
            if free:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return not free
    host, _, rest = worker.partition(":")
    if host != socket.gethostname()[:60]:
        return True  # cannot tell; SQLite is one machine's anyway
    try:
        os.kill(int(rest.partition(":")[0]), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError):
        return True
    return True


def mark_orphans_uncertain():
    """Rows left `sending` by workers that are gone become `uncertain`. Returns how many."""
    workers = (
        Delivery.objects.filter(status=Status.SENDING)
        .order_by()
        .values_list("worker", flat=True)
        .distinct()
    )
    gone = [worker for worker in workers if not _worker_alive(worker)]
    if not gone:
        return 0
    count = Delivery.objects.filter(status=Status.SENDING, worker__in=gone).update(
        status=Status.UNCERTAIN,
        last_error="The worker stopped during the SMTP transaction: the message may or may "
        "not have been delivered, so it is not sent again.",
    )
    logger.warning("%d deliveries left in flight by a stopped worker marked uncertain.", count)
    return count


def due():
    return Delivery.objects.filter(status=Status.QUEUED, next_attempt_at__lte=timezone.now())


def retry_delay(attempts):
    """Exponential backoff after the `attempts`th attempt failed temporarily."""
    return timedelta(seconds=settings.DELIVERY_RETRY_DELAY * 2 ** (attempts - 1))


@dataclass
class Result:
    sent: int = 0
    failed: int = 0
    retried: int = 0
    skipped: int = 0
    uncertain: int = 0
    # Set when the SMTP server could not be reached: nothing was claimed.
    connection_error: str = ""
    counts: dict = field(default_factory=dict)

    @property
    def finished(self):
        """Deliveries brought to a final status."""
        return self.sent + self.failed + self.skipped + self.uncertain

    @property
    def handled(self):
        return self.finished + self.retried


class _Broken(Exception):
    """The SMTP connection is unusable; the batch stops."""


def _claim(result):
    """The next due delivery, committed as `sending` by this worker, or None. Suppressed and
    refused recipients met on the way are committed as `skipped`."""
    while True:
        with transaction.atomic():
            delivery = (
                due()
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("send")
                .order_by("next_attempt_at", "id")
                .first()
            )
            if delivery is None:
                return None
            refusal = recipient_refusal(delivery.send.kind, delivery.recipient)
            if refusal:
                delivery.status = Status.SKIPPED
                delivery.last_error = refusal
                delivery.save(update_fields=["status", "last_error"])
                result.skipped += 1
                continue
            delivery.status = Status.SENDING
            delivery.worker = worker_id()
            delivery.attempts += 1
            delivery.save(update_fields=["status", "worker", "attempts"])
            return delivery


def _finish(delivery, **changes):
    """Commit the outcome of the attempt on `delivery` (autocommit: its own transaction)."""
    changes.setdefault("worker", "")
    Delivery.objects.filter(pk=delivery.pk, status=Status.SENDING, worker=worker_id()).update(
        **changes
    )


def _reply_text(code, reply):
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", "replace")
    return f"{code} {reply}".strip()


def _temporary(delivery, result, text):
    """Nothing was delivered and it may work later: retry with backoff, up to
    `DELIVERY_MAX_ATTEMPTS` attempts, after which it fails and counts as a soft bounce."""
    if delivery.attempts >= settings.DELIVERY_MAX_ATTEMPTS:
        _finish(delivery, status=Status.FAILED, last_error=text)
        record_soft_bounce(delivery.recipient, text)
        result.failed += 1
        return
    _finish(
        delivery,
        status=Status.QUEUED,
        last_error=text,
        next_attempt_at=timezone.now() + retry_delay(delivery.attempts),
    )
    result.retried += 1


def _refused(delivery, result, code, reply, *, stage):
    """The server answered `code` instead of accepting: nothing was delivered."""
    text = f"{stage}: {_reply_text(code, reply)}"
    if code < 500:
        _temporary(delivery, result, text)
        return
    _finish(delivery, status=Status.FAILED, last_error=text)
    result.failed += 1
    # A refused recipient, or a rejection of the message naming the mailbox (5.1.x), is
    # about the address; other refusals (sender, content) are not.
    if stage == "RCPT TO" or _reply_text(code, reply).startswith(f"{code} 5.1."):
        suppress(delivery.recipient, Suppression.Reason.HARD_BOUNCE, text)


def _reset(smtp, code):
    # 421: the server is closing the connection.
    if code == 421:
        raise _Broken("421 from the server")
    try:
        smtp.rset()
    except (smtplib.SMTPException, OSError) as error:
        raise _Broken(str(error)) from error


def _transmit(smtp, delivery, result):
    """One SMTP transaction for `delivery`, already committed as `sending`. Raises _Broken
    when the connection cannot carry the next one."""
    in_data = False
    try:
        smtp.ehlo_or_helo_if_needed()
        code, reply = smtp.mail(delivery.sender)
        if code != 250:
            _refused(delivery, result, code, reply, stage="MAIL FROM")
            _reset(smtp, code)
            return
        code, reply = smtp.rcpt(delivery.recipient)
        if code not in (250, 251):
            _refused(delivery, result, code, reply, stage="RCPT TO")
            _reset(smtp, code)
            return
        in_data = True
        code, reply = smtp.data(bytes(delivery.message))
    except smtplib.SMTPDataError as error:
        # The DATA command was refused, before any of the message went.
        _refused(delivery, result, error.smtp_code, error.smtp_error, stage="DATA")
        _reset(smtp, error.smtp_code)
        return
    except (smtplib.SMTPException, OSError) as error:
        text = f"{type(error).__name__}: {error}"
        if in_data:
            # The message may have reached the server before the connection failed.
            _finish(delivery, status=Status.UNCERTAIN, last_error=text)
            result.uncertain += 1
        else:
            _temporary(delivery, result, text)
        raise _Broken(text) from error
    if code == 250:
        _finish(delivery, status=Status.SENT, sent_at=timezone.now(), last_error="")
        result.sent += 1
        return
    _refused(delivery, result, code, reply, stage="end of DATA")
    _reset(smtp, code)


def _open():
    # Not EMAIL_BACKEND: that is the ledger itself (delivery.backends). This one must be an
    # SMTP backend: its `connection` (an smtplib.SMTP) carries each transaction.
    backend = get_connection(settings.DELIVERY_SMTP_BACKEND, fail_silently=False)
    backend.open()
    return backend


def deliver_due(*, deadline=None, progress=None):
    """Send due deliveries in batches of `DELIVERY_BATCH_SIZE`, one SMTP connection per
    batch, until none is due or `deadline` (a datetime) has passed. `progress(n)` is called
    with the deliveries brought to a final status after each claim. Returns a Result."""
    result = Result()
    with _Presence():
        mark_orphans_uncertain()
        while (deadline is None or timezone.now() < deadline) and due().exists():
            try:
                backend = _open()
            except (smtplib.SMTPException, OSError) as error:
                result.connection_error = f"{type(error).__name__}: {error}"
                logger.warning("SMTP server unreachable: %s", result.connection_error)
                break
            try:
                for _ in range(settings.DELIVERY_BATCH_SIZE):
                    before = result.finished
                    delivery = _claim(result)
                    try:
                        if delivery is not None:
                            _transmit(backend.connection, delivery, result)
                    finally:
                        if progress is not None:
                            progress(result.finished - before)
                    if delivery is None:
                        break
                    if deadline is not None and timezone.now() >= deadline:
                        break
            except _Broken as error:
                logger.warning("SMTP connection lost: %s", error)
            finally:
                try:
                    backend.close()
                except (smtplib.SMTPException, OSError) as error:
                    logger.info("Closing the SMTP connection failed: %s", error)
    return result


def next_retry_at():
    """When the earliest queued delivery is due, or None when nothing is queued."""
    return (
        Delivery.objects.filter(status=Status.QUEUED)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
