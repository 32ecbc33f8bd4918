"""Carrying outbox rows to Elasticsearch: the latest change per key, in batches, with
retries and exponential backoff.

`drain` takes the backend as a parameter (anything with `index_documents` and
`delete_documents` raising `SearchUnavailable` when the cluster cannot be reached), so the
task, the `search_index drain` command and the tests share it."""

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Max, Min
from django.utils import timezone

from .backends.base import SearchUnavailable
from .models import OutboxEntry, SearchDocument

logger = logging.getLogger("search")

BATCH_SIZE = 500
RETRY_BASE = timedelta(seconds=30)
RETRY_MAX = timedelta(hours=1)


def backoff(attempts):
    """Wait before retry number `attempts` (1, 2, 3...): 30 s, 1 min, 2 min... at most 1 h."""
    return min(RETRY_BASE * (2 ** max(attempts - 1, 0)), RETRY_MAX)


@dataclass
class DrainResult:
    indexed: int = 0
    deleted: int = 0
    failed: int = 0  # rows put back for a later retry
    error: str = ""

    @property
    def remaining(self):
        return OutboxEntry.objects.count()

    @staticmethod
    def next_attempt_at():
        return OutboxEntry.objects.aggregate(next=Min("available_at"))["next"]


def drain(backend, batch_size=BATCH_SIZE, now=None, due_only=True) -> DrainResult:
    """Send every due row to `backend` (every row, waiting ones too, when `due_only` is
    false: an operator draining by hand after an outage wants it all now). Stops at the first
    failed batch: its rows get one more attempt recorded and wait `backoff(attempts)`. Rows
    are never dropped: a row is deleted only once Elasticsearch has accepted its change."""
    result = DrainResult()
    while True:
        now_ = now or timezone.now()
        pending = OutboxEntry.objects.order_by("id")
        if due_only:
            pending = pending.filter(available_at__lte=now_)
        rows = list(pending[:batch_size])
        if not rows:
            return result
        # The database is the source of truth: a key whose document exists is indexed, any
        # other key is deleted, whatever the order its rows were written or retried in.
        keys = list(dict.fromkeys(row.key for row in rows))
        documents = list(SearchDocument.objects.filter(key__in=keys))
        delete_keys = sorted(set(keys) - {document.key for document in documents})
        try:
            if documents:
                result.indexed += backend.index_documents(documents)
            if delete_keys:
                result.deleted += backend.delete_documents(delete_keys)
        except Exception as error:
            _postpone(rows, error, now_)
            result.failed += len(rows)
            result.error = f"{type(error).__name__}: {error}"
            if isinstance(error, SearchUnavailable):
                logger.warning(
                    "search: Elasticsearch unavailable, %d outbox rows wait: %s",
                    len(rows),
                    error,
                )
                return result
            logger.exception("search: Elasticsearch refused %d outbox rows", len(rows))
            raise
        _acknowledge(rows)


def queue_everything(batch_size=2000) -> int:
    """An upsert row for every search document, due now: after a rebuild whose engine part
    failed (the engine died), the drain brings the engine to the database's state once it is
    back. Returns how many rows were written."""
    now = timezone.now()
    written = 0
    batch = []
    for key in SearchDocument.objects.order_by("id").values_list("key", flat=True).iterator():
        batch.append(OutboxEntry(key=key, action=OutboxEntry.Action.UPSERT, available_at=now))
        if len(batch) >= batch_size:
            written += len(OutboxEntry.objects.bulk_create(batch))
            batch = []
    if batch:
        written += len(OutboxEntry.objects.bulk_create(batch))
    return written


def _acknowledge(rows):
    """Delete the rows sent and any older rows for the same keys. A row written for one of
    the keys while the batch was in flight has a higher id and stays for the next round."""
    highest = max(row.pk for row in rows)
    OutboxEntry.objects.filter(key__in={row.key for row in rows}, pk__lte=highest).delete()


def _postpone(rows, error, now):
    message = f"{type(error).__name__}: {error}"[:2000]
    for row in rows:
        row.attempts += 1
        row.last_error = message
        row.available_at = now + backoff(row.attempts)
    OutboxEntry.objects.bulk_update(rows, ["attempts", "last_error", "available_at"])


def fingerprint(versions) -> tuple[int, str]:
    """(count, checksum) of (key, updated_at) pairs, in any order: equal for the database's
    documents and the engine's when the engine holds every document, in its current
    version, and nothing else."""
    lines = sorted(f"{key}@{_instant(updated_at)}" for key, updated_at in versions)
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    return len(lines), digest[:16]


def database_fingerprint():
    return fingerprint(SearchDocument.objects.values_list("key", "updated_at").iterator())


def _instant(value):
    """An updated_at as the same text whether it comes from the database (a datetime) or
    from the engine's JSON (ISO 8601 text)."""
    if value is None:
        return "-"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def summary():
    """Counts for `search_index status`."""
    aggregate = OutboxEntry.objects.aggregate(
        oldest=Min("created_at"), most_attempts=Max("attempts")
    )
    return {
        "rows": OutboxEntry.objects.count(),
        "due": OutboxEntry.objects.filter(available_at__lte=timezone.now()).count(),
        **aggregate,
    }
