"""What the delivery pipeline asks this app at send time: may this address still receive
this kind of message? Asked when the message goes, so a subscriber who unsubscribed after a
send was queued gets nothing from it. And what it tells: an address it suppressed (bounce,
complaint) is marked so on its subscriber."""

from .models import Subscriber


def _confirmed(address):
    return Subscriber.objects.filter(
        email=Subscriber.normalise(address), status=Subscriber.Status.CONFIRMED
    ).exists()


def _may_confirm(address):
    # Asking to confirm is the one message an unconfirmed (or unsubscribed, now asking again)
    # address may receive.
    return Subscriber.objects.filter(
        email=Subscriber.normalise(address),
        status__in=[
            Subscriber.Status.PENDING,
            Subscriber.Status.UNSUBSCRIBED,
            Subscriber.Status.CONFIRMED,
        ],
    ).exists()


def mark_suppressed(sender, address, reason, **kwargs):
    from delivery.models import Suppression

    status = (
        Subscriber.Status.COMPLAINED
        if reason == Suppression.Reason.COMPLAINT
        else Subscriber.Status.BOUNCED
    )
    Subscriber.objects.filter(email=Subscriber.normalise(address)).update(status=status)


def send_first_published_issue(sender, instance, **kwargs):
    """A curated issue goes out when it is first published, by hand or at its scheduled
    time; republishing a correction does not send it again."""
    from .issues import send_issue

    send_issue(instance)


def register():
    from wagtail.signals import page_published

    from delivery.pipeline import register_recipient_check
    from delivery.signals import address_suppressed

    from .models import NewsletterIssuePage
    from .subscribing import KIND_CONFIRMATION, KIND_DIGEST, KIND_ISSUE, KIND_NOTICE

    register_recipient_check(KIND_CONFIRMATION, _may_confirm)
    for kind in (KIND_NOTICE, KIND_DIGEST, KIND_ISSUE):
        register_recipient_check(kind, _confirmed)
    address_suppressed.connect(mark_suppressed, dispatch_uid="newsletters.mark_suppressed")
    page_published.connect(
        send_first_published_issue,
        sender=NewsletterIssuePage,
        dispatch_uid="newsletters.send_first_published_issue",
    )
