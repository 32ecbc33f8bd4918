"""Suppressing addresses: hard bounces and complaints at once, soft bounces after
`DELIVERY_SOFT_BOUNCE_LIMIT` of them."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Suppression, address_hash, normalize_address
from .signals import address_suppressed


def suppress(address, reason, detail=""):
    """Suppress `address` for `reason`. Returns whether it was not suppressed before."""
    address = normalize_address(address)
    with transaction.atomic():
        row, _created = Suppression.objects.select_for_update().get_or_create(
            address_hash=address_hash(address), defaults={"address": address}
        )
        if row.reason:
            return False
        row.reason = reason
        row.detail = detail[:2000]
        row.suppressed_at = timezone.now()
        row.save()
        transaction.on_commit(
            lambda: address_suppressed.send(
                sender=Suppression, address=address, reason=reason, detail=detail
            )
        )
    return True


def record_soft_bounce(address, detail=""):
    """Count a soft bounce of `address`; the `DELIVERY_SOFT_BOUNCE_LIMIT`th suppresses it.
    Returns whether this one suppressed it."""
    address = normalize_address(address)
    with transaction.atomic():
        row, _created = Suppression.objects.select_for_update().get_or_create(
            address_hash=address_hash(address), defaults={"address": address}
        )
        row.soft_bounces += 1
        row.save(update_fields=["soft_bounces"])
        if row.reason or row.soft_bounces < settings.DELIVERY_SOFT_BOUNCE_LIMIT:
            return False
    return suppress(address, Suppression.Reason.SOFT_BOUNCES, detail)
