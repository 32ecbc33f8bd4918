"""Building the site's newsletter emails: text and HTML parts (CSS inlined, right to left in
Arabic, readable with images off) and the headers every one of them carries (RFC 8058
one-click unsubscribe, Content-Language, Message-ID, Date: `delivery.composing`).

A body is rendered once per language and content, with placeholders where the subscriber's
own links go (`RenderedEmail.for_subscriber`): a digest shared by many subscribers is
rendered and inlined once."""

import re
import secrets
from dataclasses import dataclass, field
from functools import cache, lru_cache

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

    def _bodies(self, personal):
        """(text, HTML) with `personal`'s links."""
        replacements = {
            PREFERENCES_URL: personal.preferences,
            UNSUBSCRIBE_PAGE_URL: personal.unsubscribe,
            CONFIRM_URL: personal.confirm,
        }
        text, html = self.text, self.html
        for placeholder, url in replacements.items():
            text = text.replace(placeholder, url)
            html = html.replace(placeholder, url)
        return text, _short_lines(html)

    def _message(self, personal) -> EmailMultiAlternatives:
        text, html = self._bodies(personal)
        return _list_email(self.language, self.subject, text, html, personal)

    def for_subscriber(self, subscriber, confirm_url="") -> EmailMultiAlternatives:
        return self._message(self._personal(subscriber, confirm_url))

    def prepared_for(self, subscriber) -> PreparedMessage | EmailMultiAlternatives:
        """`for_subscriber`'s message already rendered to its bytes: the email's MIME
        rendering, made once for all its copies (its bodies put into the rendering of its
        language and subject, `_skeleton`), with this subscriber's address, links,
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
        # The bodies go into the MIME rendering of their language and subject, made once
        # for all the emails that share them (`_skeleton`), as the generator would write
        # them: 8 bit, lines ended by CRLF.
        skeleton = _skeleton(
            settings.DEFAULT_FROM_EMAIL,
            self.language,
            self.subject,
            self.text.isascii(),
            self.html.isascii(),
        )
        # (An empty text body would be left out of the whole message.)
        if skeleton is None or not self.text:
            return None
        text, html = (_eight_bit(body) for body in self._bodies(skeleton.placeholders))
        if skeleton.boundary in text or skeleton.boundary in html:
            return None
        data = b"".join((skeleton.head, text, skeleton.middle, html, skeleton.tail))
        # Each header placeholder once, unfolded; the links wherever the bodies have them.
        for name in ("to", "mailto", "message_id", "date"):
            if data.count(getattr(skeleton.placeholders, name).encode()) != 1:
                return None
        return _MimeTemplate(data=data, placeholders=skeleton.placeholders)


def _list_email(language, subject, text, html, personal):
    return list_email(
        subject=subject,
        text=text,
        html=html,
        to=personal.to,
        language=language,
        unsubscribe_url=personal.unsubscribe,
        unsubscribe_mailto=personal.mailto,
        message_id=personal.message_id,
        date=personal.date,
    )


def _eight_bit(body):
    """`body` as the MIME generator writes an 8 bit (or 7 bit) part: UTF-8, CRLF lines."""
    return "\r\n".join(_NEWLINES.split(body)).encode()


_NEWLINES = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class _Skeleton:
    """A list email rendered to bytes with placeholder bodies, split where they go."""

    head: bytes
    middle: bytes
    tail: bytes
    boundary: bytes
    placeholders: _Personal


# Enough for every language and subject of a digest run (the subject counts the items).
@lru_cache(maxsize=1024)
def _skeleton(from_email, language, subject, text_ascii, html_ascii):
    """The MIME rendering of an email in `language` with `subject`, its bodies left out
    (None when its bodies could not be put in as they are). One per language, subject and
    bodies' ASCII-ness (which picks 7 or 8 bit) instead of one per distinct email: 3 ms
    of CPU each: 538 renderings in bench/newsletters.py's run instead of 5,113 (with the
    plain addresses of delivery.pipeline, the build's CPU 28-29 s -> 16-17 s; bench/README.md).
    `from_email` (a setting) is in the key so that a changed setting is not missed."""
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
    # A non-ASCII body is sent 8 bit, an ASCII one 7 bit: the placeholders say which.
    text = f"{mark}text" + ("" if text_ascii else "\u00e9")
    html = f"{mark}html" + ("" if html_ascii else "\u00e9")
    data = (
        _list_email(language, subject, text, html, placeholders).message().as_bytes(linesep="\r\n")
    )
    # Bodies in quoted-printable or base64 would not carry the values as they are.
    if b"Content-Transfer-Encoding: quoted-printable" in data or b"base64" in data:
        return None
    boundary = re.search(rb'boundary="([^"]+)"', data)
    text, html = text.encode(), html.encode()
    if boundary is None or data.count(text) != 1 or data.count(html) != 1:
        return None
    head, _text, rest = data.partition(text)
    middle, _html, tail = rest.partition(html)
    if not _html:
        return None
    return _Skeleton(head, middle, tail, boundary.group(1), placeholders)


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
