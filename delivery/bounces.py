"""Reading bounces and complaints from a mailbox: delivery status notifications (RFC 3464)
through flufl.bounce, which also knows the non-standard formats of common MTAs, and
feedback reports (RFC 5965, ARF), which it does not read, through the email package."""

import mailbox
from dataclasses import dataclass, field
from email.parser import HeaderParser
from email.utils import getaddresses, parseaddr
from pathlib import Path

from flufl.bounce import all_failures

from .models import Suppression
from .suppressions import record_soft_bounce, suppress


@dataclass
class Report:
    messages: int = 0
    hard_bounces: int = 0
    soft_bounces: int = 0
    complaints: int = 0
    unrecognised: int = 0
    suppressed: list = field(default_factory=list)


def open_mailbox(path):
    """The messages of an mbox file or a Maildir directory."""
    path = Path(path)
    if path.is_dir():
        return mailbox.Maildir(path, factory=None, create=False)
    if path.is_file():
        return mailbox.mbox(path, create=False)
    raise FileNotFoundError(f"No mbox file or Maildir at {path}")


def _feedback_fields(message):
    """The fields of the message/feedback-report part of an ARF report, or None."""
    if message.get_content_type() != "multipart/report":
        return None
    if (message.get_param("report-type") or "").lower() != "feedback-report":
        return None
    for part in message.walk():
        if part.get_content_type() == "message/feedback-report":
            payload = part.get_payload()
            if isinstance(payload, list):  # the parser reads it as one header block
                return payload[0] if payload else None
            return HeaderParser().parsestr(payload)
    return None


def _complained_addresses(message, fields):
    addresses = [parseaddr(value)[1] for value in fields.get_all("Original-Rcpt-To", [])]
    if not addresses:
        # Without Original-Rcpt-To, the To of the returned message or its headers.
        for part in message.walk():
            if part.get_content_type() in ("message/rfc822", "text/rfc822-headers"):
                payload = part.get_payload()
                headers = (
                    payload[0] if isinstance(payload, list) else HeaderParser().parsestr(payload)
                )
                addresses = [address for _, address in getaddresses(headers.get_all("To", []))]
                break
    return [address for address in addresses if "@" in address]


def process_message(message, report):
    """Suppress or count what one bounce or complaint reports."""
    report.messages += 1
    fields = _feedback_fields(message)
    if fields is not None:
        feedback_type = (fields.get("Feedback-Type") or "").strip().lower()
        addresses = _complained_addresses(message, fields)
        if feedback_type != "abuse" or not addresses:
            report.unrecognised += 1
            return
        for address in addresses:
            report.complaints += 1
            detail = f"Complaint (ARF {feedback_type}) from {fields.get('User-Agent', '?')}"
            if suppress(address, Suppression.Reason.COMPLAINT, detail):
                report.suppressed.append(address)
        return
    temporary, permanent = all_failures(message)
    if not temporary and not permanent:
        report.unrecognised += 1
        return
    detail = f"Bounce: {message.get('Subject', '')}".strip()
    for raw in sorted(permanent):
        report.hard_bounces += 1
        address = raw.decode("ascii")
        if suppress(address, Suppression.Reason.HARD_BOUNCE, detail):
            report.suppressed.append(address)
    for raw in sorted(temporary - permanent):
        report.soft_bounces += 1
        address = raw.decode("ascii")
        if record_soft_bounce(address, detail):
            report.suppressed.append(address)


def process_mailbox(path):
    """Process every message of the mbox or Maildir at `path`. Returns a Report."""
    report = Report()
    box = open_mailbox(path)
    try:
        for message in box:
            process_message(message, report)
    finally:
        box.close()
    return report
