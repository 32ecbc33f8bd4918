"""Building the site's newsletter emails: text and HTML parts (CSS inlined, right to left in
Arabic, readable with images off) and the headers every one of them carries (RFC 8058
one-click unsubscribe, Content-Language, Message-ID, Date).

A body is rendered once per language and content, with placeholders where the subscriber's
own links go (`RenderedEmail.for_subscriber`): a digest shared by many subscribers is
rendered and inlined once."""

from dataclasses import dataclass
from email.utils import formatdate, make_msgid
from functools import cache
from urllib.parse import urlsplit

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

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


def _domain():
    return urlsplit(settings.NEWSLETTERS_BASE_URL).hostname or "localhost"


@dataclass
class RenderedEmail:
    language: str
    subject: str
    text: str
    html: str

    def for_subscriber(self, subscriber, confirm_url="") -> EmailMultiAlternatives:
        token = links.manage_token(subscriber)
        preferences = links.preferences_url(subscriber, token)
        unsubscribe = links.unsubscribe_url(subscriber, token)
        replacements = {
            PREFERENCES_URL: preferences,
            UNSUBSCRIBE_PAGE_URL: unsubscribe,
            CONFIRM_URL: confirm_url,
        }
        text, html = self.text, self.html
        for placeholder, url in replacements.items():
            text = text.replace(placeholder, url)
            html = html.replace(placeholder, url)
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[subscriber.email],
            headers={
                "List-Unsubscribe": (
                    f"<{unsubscribe}>, <{links.unsubscribe_mailto(subscriber, token)}>"
                ),
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Content-Language": self.language,
                "Message-ID": make_msgid(domain=_domain()),
                "Date": formatdate(usegmt=True),
            },
        )
        message.attach_alternative(html, "text/html")
        return message


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
