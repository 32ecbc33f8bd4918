"""The contact form on practice pages: a visitor writes to the practice's lead organisation.

The organisation's address never reaches the page; the message goes through the site's
delivery pipeline (`delivery.pipeline.queue`), which the task worker sends."""

from email.utils import formataddr

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage

from delivery.pipeline import queue
from editorial.characters import RefuseUncarriableTextMixin
from editorial.client import client_address

NAME_MAX_LENGTH = 100
MESSAGE_MIN_LENGTH = 20
MESSAGE_MAX_LENGTH = 5000
# A person writes to a few organisations in an hour; a robot or a grudge writes to many.
SENDING_GROUP = "practices.contact"


def contact_recipient(practice):
    """The address messages about `practice` go to, or "" when nobody can receive them."""
    organisation = practice.lead_organisation
    if organisation is None:
        return ""
    return organisation.contact_email


def contact_unavailable_reason(practice):
    """Why the form is not offered on `practice`, in words for the visitor ("" if it is)."""
    if practice.lead_organisation is None:
        return _(
            "This practice has no lead organisation on Practice Commons, so there is "
            "nobody to send a message to."
        )
    if not practice.lead_organisation.contact_email:
        return _(
            "%(organisation)s has not given Practice Commons an address for messages yet. "
            "The source and links on this page may help you reach them."
        ) % {"organisation": practice.lead_organisation.name}
    return ""


def _single_line(value):
    # The name ends up in the Reply-To header: a line break there would be header injection.
    if any(character in value for character in "\r\n\x00"):
        raise ValidationError(_("Write your name on one line."), code="multiline")


class ContactForm(RefuseUncarriableTextMixin, forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX_LENGTH,
        validators=[_single_line],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("The organisation will answer you at this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    message = forms.CharField(
        label=_("Message"),
        min_length=MESSAGE_MIN_LENGTH,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    # A honeypot: hidden from people (and from assistive technology) by the template; form
    # robots fill in every field they find. A filled-in form is accepted but never sent.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("website"))


def _address_key(group, request):
    return client_address(request)


def _email_key(email):
    # django-ratelimit keeps only a hash of the key in its cache key, never the address.
    def key(group, request):
        return email.casefold()

    return key


def check_sending_rate(request, form):
    """Count the message of a valid `form`, or add an error to it when its sender (by
    network address or by email address) has sent `CONTACT_MESSAGES_PER_HOUR` messages in
    the hour's window (django-ratelimit on the shared cache). Returns whether the message
    may go."""
    rate = f"{settings.CONTACT_MESSAGES_PER_HOUR}/h"
    keys = [_address_key, _email_key(form.cleaned_data["email"])]
    for key in keys:
        usage = get_usage(request, group=SENDING_GROUP, key=key, rate=rate, increment=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            form.add_error(
                None,
                ValidationError(
                    _(
                        "You have sent as many messages in the last hour as the site takes "
                        "from one person. Please write again later."
                    ),
                    code="rate",
                ),
            )
            return False
    for key in keys:
        get_usage(request, group=SENDING_GROUP, key=key, rate=rate, increment=True)
    return True


def send_contact_message(practice, sender_name, sender_email, message):
    """Queue a visitor's message to the lead organisation of `practice`, with Reply-To set to
    the visitor so that the organisation answers them directly. Returns the delivery Send."""
    # The organisation most likely reads the language its practice is written in.
    with translation.override(practice.locale.language_code):
        subject = gettext("Message about “%(title)s” from Practice Commons") % {
            "title": practice.title
        }
        introduction = gettext(
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
        to=[contact_recipient(practice)],
        reply_to=[formataddr((sender_name, sender_email))],
    )
    return queue("contact", [email], send_label=f"practice {practice.pk}")
