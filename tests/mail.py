"""Reading what the `smtp_server` fixture (aiosmtpd on loopback) received."""

import re


def mail_to(smtp_server, address):
    """The messages the SMTP server received for `address`."""
    return [m["message"] for m in smtp_server.messages if address in m["to"]]


def link_in(message):
    """The path of the (only) link to the test server in a received message."""
    links = re.findall(r"https?://testserver(/\S+)", message.get_content())
    assert len(links) == 1, links
    return links[0]
