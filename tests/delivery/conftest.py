import pytest

from tests.conftest import SMTPMailbox, running_smtp_server


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
    with running_smtp_server(settings, ScriptedMailbox()) as mailbox:
        yield mailbox
