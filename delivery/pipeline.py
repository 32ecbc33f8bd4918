"""The one way the site sends email: `queue()` renders messages into the delivery ledger in
the caller's transaction, and the task worker sends them (`delivery.sending`).

    from delivery.pipeline import queue
    queue("contact", [EmailMessage(...)], send_label="Practice 42")
"""

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import sanitize_address
from django.db import transaction

from .models import Delivery, Send, is_suppressed, suppressed_among

__all__ = [
    "queue",
    "PreparedMessage",
    "register_recipient_check",
    "register_recipients_check",
    "recipient_refusal",
    "recipient_refusals",
    "is_suppressed",
]

# Rows are written in chunks so that a generator of many messages is never held in memory.
CHUNK = 500

# Each check takes a set of addresses and returns those that may receive the kind.
_recipient_checks: dict[str, list[Callable[[set[str]], set[str]]]] = {}


def register_recipient_check(kind: str, check: Callable[[str], bool]) -> None:
    """Run `check(address)` at send time before every delivery of `kind`: False means do not
    send (e.g. newsletters: the subscriber is no longer confirmed or has unsubscribed).
    Call it from an AppConfig.ready(), so the worker process has it too."""
    _register(kind, _one_by_one(check))


def register_recipients_check(kind: str, check: Callable[[set[str]], set[str]]) -> None:
    """As `register_recipient_check`, for a whole batch of addresses at once (one query for
    a sender's batch instead of one per message): `check(addresses)` returns the set of
    those that may receive `kind`."""
    _register(kind, check)


def _register(kind, check):
    checks = _recipient_checks.setdefault(kind, [])
    # Registering again (a second ready()) adds nothing.
    if _origin(check) not in [_origin(known) for known in checks]:
        checks.append(check)


def _origin(check):
    return getattr(check, "__wrapped__", check)


def _one_by_one(check):
    @functools.wraps(check)
    def many(addresses):
        return {address for address in addresses if check(address)}

    return many


def recipient_refusals(kind: str, addresses) -> dict[str, str]:
    """{address: why nothing may be sent to it now} for those of `addresses` that may not
    receive `kind`: two queries for a batch (suppressions, and each registered check)."""
    addresses = set(addresses)
    refusals = dict.fromkeys(suppressed_among(addresses), "suppressed")
    remaining = addresses - set(refusals)
    for check in _recipient_checks.get(kind, ()):
        if not remaining:
            break
        allowed = check(remaining)
        for address in remaining - allowed:
            refusals[address] = f"refused by {check.__module__}.{check.__qualname__}"
        remaining &= allowed
    return refusals


def recipient_refusal(kind: str, address: str) -> str:
    """Why nothing may be sent to `address` now, or "" when it may."""
    return recipient_refusals(kind, [address]).get(address, "")


# An address with nothing to sanitize: a dot-atom local part, an ASCII domain, no display
# name. `sanitize_address` returns it unchanged after parsing it, which takes 0.36 ms: 5.9 s
# of CPU for the 16,372 addresses (sender and recipient) of bench/newsletters.py's run.
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
)


def _envelope_address(address, encoding):
    # What Django's SMTP backend would give the server: IDNA domain, no display name.
    if _PLAIN_ADDRESS.fullmatch(address):
        return address
    return _parsed_envelope_address(address, encoding)


# The senders: a few addresses with a display name, each parsed once instead of once per
# message (about 0.4 ms a parse; 8,186 parses in bench/newsletters.py's run otherwise).
@functools.lru_cache(maxsize=64)
def _parsed_envelope_address(address, encoding):
    return parseaddr(sanitize_address(address, encoding))[1]


@dataclass(frozen=True)
class PreparedMessage:
    """A message already rendered to the bytes that go over SMTP (headers included, with its
    own Message-ID and Date), for a caller that renders many alike messages faster than
    `EmailMessage.message()` would (newsletters: one MIME rendering per distinct email, only
    the recipient's links and headers replaced)."""

    from_email: str
    to: tuple[str, ...]
    data: bytes
    message_id: str

    def recipients(self):
        return list(self.to)


def _deliveries(send, message):
    if isinstance(message, PreparedMessage):
        return _prepared_deliveries(send, message)
    encoding = message.encoding or settings.DEFAULT_CHARSET
    mime = message.message()  # adds Message-ID and Date unless the message has its own
    data = mime.as_bytes(linesep="\r\n")
    sender = _envelope_address(message.from_email, encoding)
    recipients = dict.fromkeys(_envelope_address(r, encoding) for r in message.recipients())
    return [
        Delivery(
            send=send,
            recipient=recipient,
            sender=sender,
            message=data,
            message_id=mime["Message-ID"] or "",
        )
        for recipient in recipients
    ]


def _prepared_deliveries(send, message):
    encoding = settings.DEFAULT_CHARSET
    sender = _envelope_address(message.from_email, encoding)
    return [
        Delivery(
            send=send,
            recipient=recipient,
            sender=sender,
            message=message.data,
            message_id=message.message_id,
        )
        for recipient in dict.fromkeys(_envelope_address(r, encoding) for r in message.to)
    ]


def queue(
    kind: str, messages: Iterable[EmailMessage | PreparedMessage], *, send_label: str = ""
) -> Send:
    """Render each message (with its headers, attachments and alternatives) into the ledger,
    one Delivery per recipient, in the caller's transaction; the sending task is enqueued
    when that transaction commits. Returns the Send."""
    from .tasks import deliver  # tasks import the sending code, which imports this module

    with transaction.atomic():
        send = Send.objects.create(kind=kind, label=send_label[:255])
        total = 0
        pending = []
        for message in messages:
            pending.extend(_deliveries(send, message))
            if len(pending) >= CHUNK:
                Delivery.objects.bulk_create(pending)
                total += len(pending)
                pending = []
        Delivery.objects.bulk_create(pending)
        total += len(pending)
        send.total = total
        send.save(update_fields=["total"])
        if total:
            transaction.on_commit(deliver.enqueue)
    return send
