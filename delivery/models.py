"""The delivery ledger: every email the site sends, one row per recipient, from the moment it
is queued to the SMTP server's last word on it; and the addresses nothing is sent to."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


def normalize_address(address):
    """The form addresses are compared in: suppressions hold this form."""
    return address.strip().lower()


def address_hash(address):
    """A keyed hash of `address` in its compared form. Suppressions are looked up by it, so
    that an address erased at its owner's request (GDPR) is still never emailed again
    while the site keeps nothing that tells which address it was. The key is
    `DELIVERY_SUPPRESSION_KEY` (the SECRET_KEY unless set): changing it forgets every
    erased suppression."""
    return salted_hmac(
        "delivery.suppression",
        normalize_address(address),
        secret=settings.DELIVERY_SUPPRESSION_KEY or None,
        algorithm="sha256",
    ).hexdigest()


class SendQuerySet(models.QuerySet):
    def with_totals(self):
        """Each send with its deliveries counted by status, in one query."""

        def count(*statuses):
            return Count("deliveries", filter=Q(deliveries__status__in=statuses))

        return self.annotate(
            sent_count=count(Delivery.Status.SENT),
            failed_count=count(Delivery.Status.FAILED),
            uncertain_count=count(Delivery.Status.UNCERTAIN),
            skipped_count=count(Delivery.Status.SKIPPED),
            remaining_count=count(Delivery.Status.QUEUED, Delivery.Status.SENDING),
        )


class Send(models.Model):
    """One batch of messages queued together: a newsletter issue, a digest run, one contact
    message."""

    kind = models.CharField(_("kind"), max_length=50, db_index=True)
    label = models.CharField(_("label"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    total = models.PositiveIntegerField(_("recipients"), default=0)

    objects = SendQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("send")
        verbose_name_plural = _("sends")

    def __str__(self):
        return f"{self.kind}: {self.label}" if self.label else f"{self.kind} #{self.pk}"

    def totals(self):
        """{status: count} of this send's deliveries, every status present."""
        counts = dict.fromkeys(Delivery.Status.values, 0)
        rows = self.deliveries.values_list("status").annotate(n=Count("id")).order_by()
        counts.update(dict(rows))
        return counts


class Delivery(models.Model):
    """One message to one recipient. A row goes `queued` → `sending` (committed before the
    SMTP DATA) → `sent` (committed right after), or back to `queued` with a later
    `next_attempt_at` on a temporary error, or to `failed`, `skipped` or `uncertain`."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        # The worker stopped while the SMTP transaction was in flight: the message may or
        # may not have arrived, so it is never sent again.
        UNCERTAIN = "uncertain", _("uncertain")
        # Suppressed address, or a check of its kind refused it at send time.
        SKIPPED = "skipped", _("skipped")

    send = models.ForeignKey(
        Send, verbose_name=_("send"), on_delete=models.CASCADE, related_name="deliveries"
    )
    recipient = models.CharField(_("recipient"), max_length=254)
    sender = models.CharField(_("envelope sender"), max_length=254)
    message = models.BinaryField(_("message"))
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # Which worker process holds the row while it is `sending` (see delivery.sending).
    worker = models.CharField(_("worker"), max_length=100, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["status", "next_attempt_at", "id"], name="delivery_due"),
            models.Index(fields=["send", "status"], name="delivery_send_status"),
            # One address's rows, as erasure and export find them (`recipient__iexact`).
            models.Index(Upper("recipient"), name="delivery_recipient_upper"),
        ]

    def __str__(self):
        return f"{self.recipient} ({self.get_status_display()})"


class Suppression(models.Model):
    """An address nothing is sent to, or (with no reason yet) one whose soft bounces are
    being counted towards `DELIVERY_SOFT_BOUNCE_LIMIT`. Found by the keyed hash of its
    address; an erased one keeps only that hash and its reason (`delivery.erasure`)."""

    class Reason(models.TextChoices):
        HARD_BOUNCE = "hard_bounce", _("hard bounce")
        SOFT_BOUNCES = "soft_bounces", _("repeated soft bounces")
        COMPLAINT = "complaint", _("complaint")
        MANUAL = "manual", _("added by hand")

    # Empty once erased: the hash alone then keeps the address from being emailed.
    address = models.CharField(_("address"), max_length=254, blank=True)
    address_hash = models.CharField(_("address (keyed hash)"), max_length=64, unique=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    soft_bounces = models.PositiveIntegerField(_("soft bounces"), default=0)
    detail = models.TextField(_("detail"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    suppressed_at = models.DateTimeField(_("suppressed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self):
        return self.address or _("(erased address)")

    def save(self, *args, **kwargs):
        if self.address:
            self.address = normalize_address(self.address)
            self.address_hash = address_hash(self.address)
        if self.reason and self.suppressed_at is None:
            self.suppressed_at = timezone.now()
        super().save(*args, **kwargs)

    def clean(self):
        # The admin's form: the address is required there, and a case variant, or an
        # address whose suppression was erased, is refused as already present.
        if not self.address.strip():
            raise ValidationError({"address": _("Enter the address to suppress.")})
        self.address = normalize_address(self.address)
        self.address_hash = address_hash(self.address)
        if Suppression.objects.filter(address_hash=self.address_hash).exclude(pk=self.pk).exists():
            raise ValidationError({"address": _("A suppression of this address already exists.")})

    @property
    def is_active(self):
        return bool(self.reason)


def is_suppressed(address):
    """Whether nothing may be sent to `address` (bounced, complained, or added by hand)."""
    return (
        Suppression.objects.filter(address_hash=address_hash(address)).exclude(reason="").exists()
    )


def suppressed_among(addresses):
    """Those of `addresses` nothing may be sent to, in one query."""
    by_hash = {}
    for address in addresses:
        by_hash.setdefault(address_hash(address), []).append(address)
    rows = (
        Suppression.objects.filter(address_hash__in=list(by_hash))
        .exclude(reason="")
        .values_list("address_hash", flat=True)
    )
    return {address for digest in rows for address in by_hash[digest]}
