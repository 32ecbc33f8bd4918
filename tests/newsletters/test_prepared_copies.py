"""An email shared by many subscribers is turned into MIME once; each copy, with its own
address, links, Message-ID and Date, reads exactly as the message rendered whole for it."""

import re
from email import message_from_bytes
from email.policy import default

import pytest

from delivery.pipeline import PreparedMessage
from newsletters.emails import RenderedEmail, render_email
from newsletters.factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def parsed(message):
    if isinstance(message, PreparedMessage):
        return message_from_bytes(message.data, policy=default)
    # As the pipeline renders a whole message into the ledger.
    data = message.message().as_bytes(linesep="\r\n")
    return message_from_bytes(data, policy=default)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_prepared_copy_reads_as_the_whole_message(language):
    rendered = render_email(
        language,
        "newsletters/email/digest",
        "Practice Commons: 3 new items",
        {
            "heading": "3 new items — ٣ عناصر جديدة",
            "sections": "<h2>Budgets</h2><p>Ozurgeti: citizens wrote the budget.</p>",
            "frequency_label": "Weekly digest",
        },
    )
    ana = SubscriberFactory(email="ana@example.org", language=language)
    bo = SubscriberFactory(email="bo@example.org", language=language)

    copies = [rendered.prepared_for(ana), rendered.prepared_for(bo)]
    whole = parsed(rendered.for_subscriber(ana))

    assert all(isinstance(copy, PreparedMessage) for copy in copies)
    first, second = (parsed(copy) for copy in copies)
    assert first["To"] == "ana@example.org" and second["To"] == "bo@example.org"
    assert copies[0].to == ("ana@example.org",)
    assert first["Message-ID"] == copies[0].message_id != copies[1].message_id
    assert first["Date"].datetime is not None
    for header in (
        "Subject",
        "From",
        "List-Unsubscribe",
        "List-Unsubscribe-Post",
        "Content-Language",
    ):
        # (the whole message folds a long header after its colon: the same value)
        assert first[header].strip() == whole[header].strip(), header
    assert first["List-Unsubscribe"] != second["List-Unsubscribe"]
    for part in ("plain", "html"):
        assert (
            first.get_body(preferencelist=(part,)).get_content()
            == whole.get_body(preferencelist=(part,)).get_content()
        )
    assert "ana@" not in second.as_string()


def test_a_non_ascii_address_gets_the_message_rendered_whole():
    rendered = render_email(
        "en",
        "newsletters/email/digest",
        "Digest",
        {
            "heading": "1 new item",
            "sections": "<p>One.</p>",
            "frequency_label": "Weekly digest",
        },
    )
    subscriber = SubscriberFactory(email="zoë@example.org")

    message = rendered.prepared_for(subscriber)

    assert not isinstance(message, PreparedMessage)
    assert message.to == ["zoë@example.org"]


def _without_boundaries(data):
    # Each rendering draws its own random MIME boundary.
    boundary = re.search(rb'boundary="([^"]+)"', data).group(1)
    return data.replace(boundary, b"BOUNDARY")


@pytest.mark.parametrize(
    ("language", "subject", "text", "html"),
    [
        ("en", "Practice Commons: 2 new items", "Two items\n\nBudgets\n", "<p>Budgets</p>\n"),
        ("ar", "Practice Commons: عنصران جديدان", "عنصران\r\nجديدان\n", "<p>عنصران</p>"),
        ("en", "Digest", "ASCII text\rwith a lone CR", "<p>Zoë’s “budget”</p>\n\n"),
        ("ka", "ახალი " * 30, "ტექსტი\n" * 50, '<p style="color: red">ტექსტი</p>\n' * 50),
    ],
)
def test_bodies_put_into_the_shared_rendering_give_the_whole_rendering(
    language, subject, text, html
):
    rendered = RenderedEmail(language=language, subject=subject, text=text, html=html)

    template = rendered._template()
    whole = rendered._message(template.placeholders).message().as_bytes(linesep="\r\n")

    assert _without_boundaries(template.data) == _without_boundaries(whole)


def test_a_body_line_too_long_for_8_bit_gets_the_message_rendered_whole():
    rendered = RenderedEmail(language="en", subject="Digest", text="x" * 1200, html="<p>1</p>")
    subscriber = SubscriberFactory(email="ana@example.org")

    message = rendered.prepared_for(subscriber)

    assert not isinstance(message, PreparedMessage)
    assert "quoted-printable" in message.message().as_string()
