"""An email shared by many subscribers is turned into MIME once; each copy, with its own
address, links, Message-ID and Date, reads exactly as the message rendered whole for it."""

from email import message_from_bytes
from email.policy import default

import pytest

from delivery.pipeline import PreparedMessage
from newsletters.emails import render_email
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
