"""What every list email the site sends carries, whichever app sends it: a text and an HTML
part, the RFC 8058 one-click unsubscribe headers, Content-Language, Message-ID and Date; and
the request a mail client sends to unsubscribe in one click.

A list's unsubscribe URL is its own app's view; that view tells a mail client's POST
(`is_one_click`) from a person following the link, who gets a page with one button (a GET
never unsubscribes: link checkers follow links)."""

from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

# The body a mail client POSTs to the List-Unsubscribe URL (RFC 8058 section 3.1).
ONE_CLICK = "List-Unsubscribe=One-Click"


def list_unsubscribe_headers(url, mailto=""):
    """The headers that let a mail client offer "unsubscribe" and do it with one POST."""
    targets = f"<{url}>" + (f", <{mailto}>" if mailto else "")
    return {"List-Unsubscribe": targets, "List-Unsubscribe-Post": ONE_CLICK}


def is_one_click(request):
    """Whether `request` is a mail client's one-click unsubscribe (RFC 8058)."""
    return request.method == "POST" and "List-Unsubscribe" in request.POST


def new_message_id(base_url=""):
    """A fresh Message-ID in the domain of `base_url` (the site's address)."""
    return make_msgid(domain=urlsplit(base_url).hostname or "localhost")


def new_date():
    """The Date header of a message made now."""
    return formatdate(usegmt=True)


def list_email(
    *,
    subject,
    text,
    html,
    to,
    language,
    unsubscribe_url,
    unsubscribe_mailto="",
    base_url="",
    message_id="",
    date="",
):
    """A list email to `to` with both parts and the headers above. `base_url` names the
    domain of its Message-ID, unless the caller made the Message-ID (and Date) itself."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            **list_unsubscribe_headers(unsubscribe_url, unsubscribe_mailto),
            "Content-Language": language,
            "Message-ID": message_id or new_message_id(base_url),
            "Date": date or new_date(),
        },
    )
    message.attach_alternative(html, "text/html")
    return message
