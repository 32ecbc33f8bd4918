"""Background work for practices, run by the django-tasks worker (`manage.py db_worker`)."""

import logging
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_practice_contact_message(practice_id, sender_name, sender_email, message):
    """Email a visitor's message to the lead organisation of a practice, with Reply-To set to
    the visitor so that the organisation answers them directly.

    The address is looked up here, not passed in, so that it never sits in the queue and a
    change made after the message was written is respected. Returns the number of messages
    sent (0 when the practice or the address has gone in the meantime)."""
    from .contact import contact_recipient
    from .models import PracticePage

    practice = (
        PracticePage.objects.select_related("lead_organisation", "locale")
        .filter(pk=practice_id)
        .first()
    )
    if practice is None:
        logger.warning("Contact message for practice %s dropped: the page is gone.", practice_id)
        return 0
    recipient = contact_recipient(practice)
    if not recipient:
        logger.warning(
            "Contact message for practice %s dropped: it has no organisation address any more.",
            practice_id,
        )
        return 0

    # The organisation most likely reads the language its practice is written in.
    with translation.override(practice.locale.language_code):
        subject = _("Message about “%(title)s” from Practice Commons") % {"title": practice.title}
        introduction = _(
            "%(name)s wrote to you through the contact form of your practice “%(title)s” on "
            "Practice Commons (%(url)s). Reply to this email to answer them at %(email)s."
        ) % {
            "name": sender_name,
            "title": practice.title,
            "url": practice.full_url,
            "email": sender_email,
        }
    email = EmailMessage(
        subject=subject,
        body=f"{introduction}\n\n{message}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient],
        reply_to=[formataddr((sender_name, sender_email))],
    )
    return email.send(fail_silently=False)
