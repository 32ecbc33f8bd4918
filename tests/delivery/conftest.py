import pytest
from aiosmtpd.controller import Controller

from tests.conftest import SMTPMailbox, _free_port


class ScriptedMailbox(SMTPMailbox):
    """A mailbox whose RCPT answers can be scripted per recipient: `rcpt_replies[address]`
    is a list of replies given to the next attempts, in order; then it accepts."""

    def __init__(self):
        super().__init__()
        self.rcpt_replies = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        replies = self.rcpt_replies.get(address)
        if replies:
            return replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def recipients(self):
        return [address for message in self.messages for address in message["to"]]


@pytest.fixture
def smtp(settings):
    """A real SMTP server (aiosmtpd on loopback) with scriptable answers."""
    mailbox = ScriptedMailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    # Django's test set-up swaps EMAIL_BACKEND for its in-memory outbox: put the ledger back,
    # and point the worker's SMTP backend at this server.
    settings.EMAIL_BACKEND = "delivery.backends.LedgerBackend"
    settings.DELIVERY_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    try:
        yield mailbox
    finally:
        controller.stop()
