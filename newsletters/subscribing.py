"""Subscribing, confirming, changing and unsubscribing: what the views do, kept out of them
so the admin, commands and tests do the same."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from delivery.pipeline import queue

from . import links
from .describe import SearchDescriber
from .emails import render_email
from .models import ConsentRecord, Subscriber, Subscription, hash_network_address

KIND_CONFIRMATION = "newsletters.confirmation"
KIND_NOTICE = "newsletters.notice"
KIND_DIGEST = "newsletters.digest"
KIND_ISSUE = "newsletters.issue"


def _summaries(subscriber, subscriptions):
    with translation.override(subscriber.language):
        describe = SearchDescriber()
        return [
            {
                "description": describe(subscription),
                "frequency_label": str(subscription.get_frequency_display()),
            }
            for subscription in subscriptions
        ]


def _consent(subscriber, action, agreed_to, source_url="", network_address=""):
    return ConsentRecord.objects.create(
        subscriber=subscriber,
        action=action,
        agreed_to=agreed_to,
        wording_version=settings.NEWSLETTERS_CONSENT_WORDING_VERSION,
        source_url=source_url[:500],
        network_address_hash=hash_network_address(network_address),
    )


def confirmation_message(subscriber, subscriptions, kind):
    """The message asking `subscriber` to confirm `subscriptions` (a new address), or telling
    them they are subscribed already and how to add these (a confirmed one)."""
    template = "confirm" if kind == KIND_CONFIRMATION else "already_subscribed"
    with translation.override(subscriber.language):
        subject = (
            _("Confirm your subscription to Practice Commons")
            if kind == KIND_CONFIRMATION
            else _("You are already subscribed to Practice Commons")
        )
    rendered = render_email(
        subscriber.language,
        f"newsletters/email/{template}",
        subject,
        {
            "subscriptions": _summaries(subscriber, subscriptions),
            "max_age_days": max(1, settings.NEWSLETTERS_CONFIRMATION_MAX_AGE // 86400),
        },
    )
    confirm_url = links.confirmation_url(subscriber, [s.pk for s in subscriptions])
    return rendered.for_subscriber(subscriber, confirm_url=confirm_url)


def request_subscription(form, *, source_url="", network_address="", user=None):
    """Record what a valid `SubscribeForm` asks for and send the one message it calls for.
    The caller's page says the same whatever happened here. A signed-in `user` subscribing
    their own account's address has the subscriber linked to their account."""
    email = form.cleaned_data["email"]
    own_address = (
        user is not None
        and user.is_authenticated
        and Subscriber.normalise(user.email or "") == email
    )
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
            email=email, defaults={"language": form.cleaned_data["email_language"]}
        )
        if own_address and subscriber.user_id is None:
            subscriber.user = user
            subscriber.save(update_fields=["user"])
        if subscriber.status in (Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED):
            # Mail to it bounced or was reported as spam: a form on the web cannot undo that.
            return
        subscription = form.apply_to(Subscription(subscriber=subscriber))
        subscription.save()
        describe = SearchDescriber()
        _consent(
            subscriber,
            ConsentRecord.Action.SUBSCRIBE,
            f"{form.consent_wording()}\n{subscription.get_frequency_display()}: "
            f"{describe(subscription)} [{subscription.query_string()}]",
            source_url,
            network_address,
        )
        if subscriber.is_confirmed:
            kind, pending = KIND_NOTICE, [subscription]
        else:
            kind = KIND_CONFIRMATION
            pending = list(subscriber.subscriptions.filter(confirmed_at__isnull=True))
        message = confirmation_message(subscriber, pending, kind)
        queue(kind, [message], send_label=kind)


def confirm(token, *, network_address=""):
    """Confirm what a confirmation link names; returns the subscriber. Raises
    `links.InvalidLink` for a link that is bad, expired or of an erased subscriber."""
    subscriber_token, subscription_ids = links.read_confirmation_token(token)
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(token=subscriber_token).first()
        if subscriber is None:
            raise links.InvalidLink()
        if not subscriber.is_confirmed:
            subscriber.status = Subscriber.Status.CONFIRMED
            subscriber.confirmed_at = now
            subscriber.unsubscribed_at = None
            subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
        confirmed = subscriber.subscriptions.filter(
            pk__in=subscription_ids, confirmed_at__isnull=True
        )
        names = [str(s) for s in confirmed]
        confirmed.update(confirmed_at=now, last_digest_at=now)
        _consent(
            subscriber,
            ConsentRecord.Action.CONFIRM,
            "\n".join(names) or _("(already confirmed)"),
            network_address=network_address,
        )
    return subscriber


def unsubscribe_everything(subscriber, *, source="", network_address=""):
    with transaction.atomic():
        subscriber.subscriptions.all().delete()
        if subscriber.status in (Subscriber.Status.PENDING, Subscriber.Status.CONFIRMED):
            subscriber.unsubscribe()
        _consent(
            subscriber,
            ConsentRecord.Action.UNSUBSCRIBE,
            _("Unsubscribed from everything"),
            source,
            network_address,
        )


def record_change(subscriber, description, *, network_address=""):
    _consent(subscriber, ConsentRecord.Action.CHANGE, description, network_address=network_address)
