"""Sending the ledger over SMTP, safely against a worker killed at any moment.

Each message is claimed by committing its row as `sending` (a conditional UPDATE: only a
row still `queued` is taken, so two workers never take the same one) before the SMTP
transaction; the outcome (`sent` after the server's 250, or a retry, a failure) is written
by the same UPDATE as the claim of the next message: one statement, one commit a message.
A worker killed after a claim's commit leaves at most that one row in `sending` (the message
in flight, or the one just delivered whose `sent` was not yet committed); the next run finds
that its worker is gone and marks the row `uncertain`, never sending it again. Rows still
`queued` go to the next run, so nobody is sent a message twice and everybody else gets
theirs.

A batch's recipients are checked (suppressions, the registered checks of its kinds) in a few
queries when the batch is read, moments before it is sent, not once per message.

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
from django.db import connection
from django.utils import timezone
from django.utils.crypto import get_random_string

from .models import Delivery, Suppression, normalize_address
from .pipeline import recipient_refusals
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


class _AsynchronousCommits:
    """On PostgreSQL, this worker's commits while it sends are acknowledged before their WAL
    reaches the disk (`synchronous_commit` off for its session until the run ends): a
    claim costs about 1.4 ms instead of 7-9 ms with the disk flush (500 single-row updates
    each at load average 9.8; bench/README.md).

    Safe for the guarantee against a killed worker: a worker killed, even by SIGKILL, loses
    nothing the server acknowledged, so a claim it made is never undone. What it risks is a
    crash of the database server itself within a fraction of a second (up to three times
    `wal_writer_delay`) of such a commit: that last moment's writes are lost, so a row
    already claimed or sent may come back `queued` and its recipient get the message
    twice, and a suppression recorded in that moment is lost until the address bounces
    again. Rows the batch check skipped come back `queued` and are checked again."""

    def __enter__(self):
        self._set("SET synchronous_commit TO OFF")
        return self

    def __exit__(self, *exc):
        if connection.connection is not None:
            self._set("RESET synchronous_commit")

    def _set(self, statement):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(statement)


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


@dataclass
class _Candidate:
    """A due delivery read with its batch; not yet claimed."""

    pk: int
    recipient: str
    sender: str
    message: bytes
    attempts: int
    kind: str


def _candidates(result, size):
    """The next `size` due deliveries, their refused recipients (suppressed, or refused by
    a check of their kind) already committed as `skipped`."""
    rows = [
        _Candidate(pk, recipient, sender, bytes(message), attempts, kind)
        for pk, recipient, sender, message, attempts, kind in due()
        .order_by("next_attempt_at", "id")
        .values_list("pk", "recipient", "sender", "message", "attempts", "send__kind")[:size]
    ]
    by_kind = {}
    for row in rows:
        by_kind.setdefault(row.kind, set()).add(row.recipient)
    refused = {}
    for kind, addresses in by_kind.items():
        for address, reason in recipient_refusals(kind, addresses).items():
            refused[(kind, address)] = reason
    by_reason = {}
    for row in rows:
        reason = refused.get((row.kind, row.recipient))
        if reason:
            by_reason.setdefault(reason, []).append(row.pk)
    for reason, pks in by_reason.items():
        # Only rows still queued: another worker may have taken one meanwhile.
        result.skipped += due().filter(pk__in=pks).update(status=Status.SKIPPED, last_error=reason)
    return [row for row in rows if (row.kind, row.recipient) not in refused]


class _Ledger:
    """This worker's writes to the ledger while it sends. An attempt's outcome waits for the
    next claim, and both are one UPDATE committed on its own (autocommit): one statement and
    one round trip to the database per message instead of five (BEGIN, SET LOCAL, two
    UPDATEs, COMMIT): in bench/newsletters.py sending's CPU went from 27-28 s to 8-10 s and
    its PostgreSQL backend's from 12-15 s to 5-9 s for 8,186 messages (bench/README.md).

    `RETURNING` (PostgreSQL, SQLite 3.35+) tells whether the claim took its row: the count
    cannot, since the outcome's row may have changed meanwhile (an erasure skips it)."""

    # The claimed row becomes `sending` by this worker; the outcome's row takes the outcome,
    # its `sent_at` and `next_attempt_at` kept when the outcome has none (COALESCE).
    STATEMENT = """
        UPDATE {table} SET
            status = CASE WHEN id = %(claim)s THEN %(sending)s ELSE %(status)s END,
            worker = CASE WHEN id = %(claim)s THEN %(worker)s ELSE '' END,
            attempts = attempts + CASE WHEN id = %(claim)s THEN 1 ELSE 0 END,
            last_error = CASE WHEN id = %(claim)s THEN last_error ELSE %(last_error)s END,
            sent_at = CASE WHEN id = %(claim)s THEN sent_at
                ELSE COALESCE(%(sent_at)s, sent_at) END,
            next_attempt_at = CASE WHEN id = %(claim)s THEN next_attempt_at
                ELSE COALESCE(%(next_attempt_at)s, next_attempt_at) END
        WHERE (id = %(claim)s AND status = %(queued)s AND next_attempt_at <= %(now)s)
            OR (id = %(outcome)s AND status = %(sending)s AND worker = %(worker)s)
        RETURNING id"""

    def __init__(self):
        self.outcome = None
        # Addresses suppressed during this run: the batch was checked before they were.
        self.suppressed = set()

    def finish(self, delivery, *, status, last_error, sent_at=None, next_attempt_at=None):
        """Record the outcome of the attempt on `delivery`, written with the next claim."""
        self.outcome = {
            "outcome": delivery.pk,
            "status": status,
            "last_error": last_error,
            "sent_at": sent_at,
            "next_attempt_at": next_attempt_at,
        }

    def _write(self, claim):
        """Write the pending outcome and claim the row `claim` (None: only the outcome);
        whether the claim took it."""
        outcome = self.outcome or {
            "outcome": None,
            "status": "",
            "last_error": "",
            "sent_at": None,
            "next_attempt_at": None,
        }
        self.outcome = None
        adapt = connection.ops.adapt_datetimefield_value
        params = {
            **outcome,
            "sent_at": adapt(outcome["sent_at"]),
            "next_attempt_at": adapt(outcome["next_attempt_at"]),
            "claim": claim,
            "now": adapt(timezone.now()),
            "worker": worker_id(),
            "queued": Status.QUEUED,
            "sending": Status.SENDING,
        }
        with connection.cursor() as cursor:
            cursor.execute(self.STATEMENT.format(table=Delivery._meta.db_table), params)
            written = {pk for (pk,) in cursor.fetchall()}
        return claim is not None and claim in written

    def claim(self, candidate):
        """Commit the pending outcome and `candidate` as `sending` by this worker; the
        delivery, or None when another worker took it first."""
        if not self._write(candidate.pk):
            return None
        return Delivery(
            pk=candidate.pk,
            recipient=candidate.recipient,
            sender=candidate.sender,
            message=candidate.message,
            attempts=candidate.attempts + 1,
            status=Status.SENDING,
            worker=worker_id(),
        )

    def flush(self):
        if self.outcome is not None:
            self._write(None)


def _reply_text(code, reply):
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", "replace")
    return f"{code} {reply}".strip()


def _temporary(ledger, delivery, result, text):
    """Nothing was delivered and it may work later: retry with backoff, up to
    `DELIVERY_MAX_ATTEMPTS` attempts, after which it fails and counts as a soft bounce."""
    if delivery.attempts >= settings.DELIVERY_MAX_ATTEMPTS:
        ledger.finish(delivery, status=Status.FAILED, last_error=text)
        if record_soft_bounce(delivery.recipient, text):
            ledger.suppressed.add(normalize_address(delivery.recipient))
        result.failed += 1
        return
    ledger.finish(
        delivery,
        status=Status.QUEUED,
        last_error=text,
        next_attempt_at=timezone.now() + retry_delay(delivery.attempts),
    )
    result.retried += 1


def _refused(ledger, delivery, result, code, reply, *, stage):
    """The server answered `code` instead of accepting: nothing was delivered."""
    text = f"{stage}: {_reply_text(code, reply)}"
    if code < 500:
        _temporary(ledger, delivery, result, text)
        return
    ledger.finish(delivery, status=Status.FAILED, last_error=text)
    result.failed += 1
    # A refused recipient, or a rejection of the message naming the mailbox (5.1.x), is
    # about the address; other refusals (sender, content) are not.
    if stage == "RCPT TO" or _reply_text(code, reply).startswith(f"{code} 5.1."):
        suppress(delivery.recipient, Suppression.Reason.HARD_BOUNCE, text)
        ledger.suppressed.add(normalize_address(delivery.recipient))


def _reset(smtp, code):
    # 421: the server is closing the connection.
    if code == 421:
        raise _Broken("421 from the server")
    try:
        smtp.rset()
    except (smtplib.SMTPException, OSError) as error:
        raise _Broken(str(error)) from error


def _transmit(smtp, ledger, delivery, result):
    """One SMTP transaction for `delivery`, already committed as `sending`. Raises _Broken
    when the connection cannot carry the next one."""
    in_data = False
    try:
        smtp.ehlo_or_helo_if_needed()
        code, reply = smtp.mail(delivery.sender)
        if code != 250:
            _refused(ledger, delivery, result, code, reply, stage="MAIL FROM")
            _reset(smtp, code)
            return
        code, reply = smtp.rcpt(delivery.recipient)
        if code not in (250, 251):
            _refused(ledger, delivery, result, code, reply, stage="RCPT TO")
            _reset(smtp, code)
            return
        in_data = True
        code, reply = smtp.data(bytes(delivery.message))
    except smtplib.SMTPDataError as error:
        # The DATA command was refused, before any of the message went.
        _refused(ledger, delivery, result, error.smtp_code, error.smtp_error, stage="DATA")
        _reset(smtp, error.smtp_code)
        return
    except (smtplib.SMTPException, OSError) as error:
        text = f"{type(error).__name__}: {error}"
        if in_data:
            # The message may have reached the server before the connection failed.
            ledger.finish(delivery, status=Status.UNCERTAIN, last_error=text)
            result.uncertain += 1
        else:
            _temporary(ledger, delivery, result, text)
        raise _Broken(text) from error
    if code == 250:
        ledger.finish(delivery, status=Status.SENT, sent_at=timezone.now(), last_error="")
        result.sent += 1
        return
    _refused(ledger, delivery, result, code, reply, stage="end of DATA")
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
    with the deliveries brought to a final status after each message. Returns a Result."""
    result = Result()
    ledger = _Ledger()

    def report(before):
        if progress is not None:
            progress(result.finished - before)

    with _Presence(), _AsynchronousCommits():
        mark_orphans_uncertain()
        while deadline is None or timezone.now() < deadline:
            before = result.finished
            batch = _candidates(result, settings.DELIVERY_BATCH_SIZE)
            report(before)
            if not batch:
                if due().exists():
                    continue  # the whole batch was refused
                break
            try:
                backend = _open()
            except (smtplib.SMTPException, OSError) as error:
                result.connection_error = f"{type(error).__name__}: {error}"
                logger.warning("SMTP server unreachable: %s", result.connection_error)
                break
            try:
                _send_batch(backend.connection, ledger, batch, result, deadline, report)
            except _Broken as error:
                logger.warning("SMTP connection lost: %s", error)
            finally:
                ledger.flush()
                try:
                    backend.close()
                except (smtplib.SMTPException, OSError) as error:
                    logger.info("Closing the SMTP connection failed: %s", error)
    return result


def _send_batch(smtp, ledger, batch, result, deadline, report):
    for candidate in batch:
        before = result.finished
        if normalize_address(candidate.recipient) in ledger.suppressed:
            ledger.flush()
            result.skipped += (
                due().filter(pk=candidate.pk).update(status=Status.SKIPPED, last_error="suppressed")
            )
            report(before)
            continue
        delivery = ledger.claim(candidate)
        try:
            if delivery is not None:
                _transmit(smtp, ledger, delivery, result)
        finally:
            report(before)
        if deadline is not None and timezone.now() >= deadline:
            return


def next_retry_at():
    """When the earliest queued delivery is due, or None when nothing is queued."""
    return (
        Delivery.objects.filter(status=Status.QUEUED)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
