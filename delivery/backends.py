"""The site's Django email backend (`EMAIL_BACKEND`): every message sent with Django's mail
API (allauth's confirmations, password resets, Wagtail's notifications, `send_mail`) goes
into the delivery ledger through `queue()`, so that it is sent, retried and suppressed like
any other. The worker sends over `DELIVERY_SMTP_BACKEND` (see `delivery.sending`)."""

from django.core.mail.backends.base import BaseEmailBackend

from .pipeline import queue

KIND = "site"


class LedgerBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        messages = list(email_messages)
        if not messages:
            return 0
        # The first subject names the send in the admin's Email menu.
        queue(KIND, messages, send_label=str(messages[0].subject or ""))
        return len(messages)
