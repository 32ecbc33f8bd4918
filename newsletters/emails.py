"""Building the site's newsletter emails: text and HTML parts (CSS inlined, right to left in
Arabic, readable with images off) and the headers every one of them carries (RFC 8058
one-click unsubscribe, Content-Language, Message-ID, Date: `delivery.composing`).

A body is rendered once per language and content, with placeholders where the subscriber's
own links go (`RenderedEmail.for_subscriber`): a digest shared by many subscribers is
rendered and inlined once."""

import secrets
from dataclasses import dataclass, field
from functools import cache

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from delivery.composing import list_email, new_date, new_message_id
from delivery.pipeline import PreparedMessage
from editorial.languages import is_rtl

from . import links

PREFERENCES_URL = "https://newsletters.invalid/preferences"
UNSUBSCRIBE_PAGE_URL = "https://newsletters.invalid/unsubscribe"
CONFIRM_URL = "https://newsletters.invalid/confirm"


@cache
def _inliner():
    # Remote stylesheets are never fetched: every style the emails use is in the template.
    return css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False)


@cache
def _stylesheet():
    return render_to_string("newsletters/email/styles.css")


def inline_fragment(html):
    """A piece of an email's HTML with the emails' stylesheet inlined into it."""
    return css_inline.inline_fragment(html, _stylesheet())


@dataclass
class _Personal:
    """What differs between two subscribers' copies of one email."""

    to: str
    preferences: str
    unsubscribe: str
    mailto: str
    message_id: str
    date: str
    confirm: str = ""


@dataclass
class _MimeTemplate:
    """An email rendered to its bytes once, placeholders where each copy's own values go."""

    data: bytes
    placeholders: _Personal


# RFC 5322's limit on a line; a copy whose values would make a longer one is rendered whole.
LINE_LIMIT = 998
# An HTML line longer than this many bytes is broken between the attributes of its tags:
# a body with a line over LINE_LIMIT would go quoted-printable, whose soft line breaks can
# split a placeholder (`RenderedEmail.prepared_for`).
HTML_LINE_BYTES = 900
# Text never holds these with a bare quote (templates escape it): only tags do.
_ATTRIBUTE_STARTS = (' style="', ' href="', ' class="')


def _short_lines(html):
    """`html` with each too long line broken before the attributes of its tags, where a
    line break is the space it replaces: what the email shows does not change."""
    lines = html.split("\n")
    for index, line in enumerate(lines):
        if len(line.encode()) > HTML_LINE_BYTES:
            for start in _ATTRIBUTE_STARTS:
                line = line.replace(start, "\n" + start[1:])
            lines[index] = line
    return "\n".join(lines)


@dataclass
class RenderedEmail:
    language: str
    subject: str
    text: str
    html: str
    # The MIME rendering shared by every copy (`prepared_for`): None until first needed,
    # False when this email cannot be shared that way.
    _mime: object = field(default=None, repr=False, compare=False)

    def _personal(self, subscriber, confirm_url=""):
        token = links.manage_token(subscriber)
        return _Personal(
            to=subscriber.email,
            preferences=links.preferences_url(subscriber, token),
            unsubscribe=links.unsubscribe_url(subscriber, token),
            mailto=links.unsubscribe_mailto(subscriber, token),
            message_id=new_message_id(settings.NEWSLETTERS_BASE_URL),
            date=new_date(),
            confirm=confirm_url,
        )

    def _message(self, personal) -> EmailMultiAlternatives:
        replacements = {
            PREFERENCES_URL: personal.preferences,
            UNSUBSCRIBE_PAGE_URL: personal.unsubscribe,
            CONFIRM_URL: personal.confirm,
        }
        text, html = self.text, self.html
        for placeholder, url in replacements.items():
            text = text.replace(placeholder, url)
            html = html.replace(placeholder, url)
        return list_email(
            subject=self.subject,
            text=text,
            html=_short_lines(html),
            to=personal.to,
            language=self.language,
            unsubscribe_url=personal.unsubscribe,
            unsubscribe_mailto=personal.mailto,
            message_id=personal.message_id,
            date=personal.date,
        )

    def for_subscriber(self, subscriber, confirm_url="") -> EmailMultiAlternatives:
        return self._message(self._personal(subscriber, confirm_url))

    def prepared_for(self, subscriber) -> PreparedMessage | EmailMultiAlternatives:
        """`for_subscriber`'s message already rendered to its bytes: the email's MIME
        rendering, made once for all its copies, with this subscriber's address, links,
        Message-ID and Date put in its placeholders (about 2 ms less per message than
        `EmailMessage.message()`; see bench/README.md). The whole message when a copy
        cannot be made so (a non-ASCII address, a body not sent as 8 bit)."""
        template = self._template()
        if not template or not subscriber.email.isascii():
            return self.for_subscriber(subscriber)
        personal = self._personal(subscriber)
        data = template.data
        for name in ("to", "preferences", "unsubscribe", "mailto", "message_id", "date"):
            value = getattr(personal, name)
            if not value.isascii():
                return self.for_subscriber(subscriber)
            data = data.replace(getattr(template.placeholders, name).encode(), value.encode())
        if max(map(len, data.split(b"\r\n"))) > LINE_LIMIT:
            return self.for_subscriber(subscriber)
        return PreparedMessage(
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=(subscriber.email,),
            data=data,
            message_id=personal.message_id,
        )

    def _template(self):
        if self._mime is None:
            self._mime = self._make_template() or False
        return self._mime

    def _make_template(self):
        # Random, so that no text of the email can be taken for one of them.
        mark = "pcph" + secrets.token_hex(8)
        placeholders = _Personal(
            to=f"{mark}to@example.invalid",
            preferences=f"https://{mark}preferences.invalid/",
            unsubscribe=f"https://{mark}unsubscribe.invalid/",
            mailto=f"mailto:{mark}mailto@example.invalid",
            message_id=f"<{mark}id@example.invalid>",
            date=f"{mark}date",
        )
        data = self._message(placeholders).message().as_bytes(linesep="\r\n")
        # Bodies in quoted-printable or base64 would not carry the values as they are.
        if b"Content-Transfer-Encoding: quoted-printable" in data or b"base64" in data:
            return None
        # Each header placeholder once, unfolded; the links wherever the bodies have them.
        for name in ("to", "mailto", "message_id", "date"):
            if data.count(getattr(placeholders, name).encode()) != 1:
                return None
        return _MimeTemplate(data=data, placeholders=placeholders)


def render_email(language, template, subject, context) -> RenderedEmail:
    """`template`.txt and `template`.html rendered in `language`; links to the subscriber's
    preference centre and unsubscribe page are placeholders until `for_subscriber`."""
    with translation.override(language):
        context = {
            **context,
            "language": language,
            "direction": "rtl" if is_rtl(language) else "ltr",
            "subject": str(subject),
            "preferences_url": PREFERENCES_URL,
            "unsubscribe_url": UNSUBSCRIBE_PAGE_URL,
            "confirm_url": CONFIRM_URL,
            "site_url": settings.NEWSLETTERS_BASE_URL.rstrip("/") + "/",
        }
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return RenderedEmail(
        language=language, subject=str(subject), text=text, html=_inliner().inline(html)
    )
