"""What the ledger holds about one address, for the GDPR requests an app answers about its
people (newsletters: a subscriber's export and erasure)."""

from django.db import transaction

from .models import Delivery, Suppression, address_hash, normalize_address

ERASED = "erased"


def _deliveries(address):
    # Recipients are stored as the envelope gave them; compared case-insensitively.
    return Delivery.objects.filter(recipient__iexact=normalize_address(address))


def export_address(address):
    """The ledger's rows about `address`, as JSON-ready data: each message sent or to be
    sent to it (without its body, which the export of its sender describes) and its
    suppression."""
    deliveries = [
        {
            "send": str(delivery.send),
            "queued_at": delivery.send.created_at,
            "status": delivery.status,
            "attempts": delivery.attempts,
            "sent_at": delivery.sent_at,
            "message_id": delivery.message_id,
            "last_error": delivery.last_error,
        }
        for delivery in _deliveries(address).select_related("send").order_by("id")
    ]
    suppression = Suppression.objects.filter(address_hash=address_hash(address)).first()
    return {
        "deliveries": deliveries,
        "suppression": None
        if suppression is None
        else {
            "reason": suppression.reason,
            "soft_bounces": suppression.soft_bounces,
            "detail": suppression.detail,
            "suppressed_at": suppression.suppressed_at,
        },
    }


def erase_address(address):
    """Erase `address` from the ledger. Its deliveries stay as anonymous rows (a send's
    counts and progress stay true) without recipient, message, Message-ID or error text;
    one not yet sent is never sent. Its suppression, if any, keeps only the keyed hash of
    the address, the reason and the time: enough to never email a bounced or complaining
    address again, nothing that tells which it was. A row only counting soft bounces, with
    no suppression yet, is deleted. Returns the number of deliveries erased."""
    with transaction.atomic():
        deliveries = _deliveries(address)
        deliveries.filter(status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]).update(
            status=Delivery.Status.SKIPPED
        )
        count = deliveries.update(
            recipient="", message=b"", message_id="", last_error=ERASED, worker=""
        )
        suppressions = Suppression.objects.filter(address_hash=address_hash(address))
        suppressions.filter(reason="").delete()
        suppressions.update(address="", detail="")
    return count
