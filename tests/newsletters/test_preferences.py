"""The preference centre behind a signed link, the RFC 8058 one-click unsubscribe, and the
headers and parts every email carries (read from a real SMTP server on loopback)."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from newsletters import links
from newsletters.emails import render_email
from newsletters.factories import SubscriberFactory, SubscriptionFactory
from newsletters.models import Subscriber, Subscription
from newsletters.subscribing import KIND_DIGEST, confirmation_message

pytestmark = pytest.mark.django_db


def path_of(url):
    return url.removeprefix("https://testserver")


@pytest.fixture
def subscription():
    return SubscriptionFactory(
        subscriber__email="ana@example.org",
        themes=["participatory-budgeting"],
        countries=["GE"],
    )


def test_the_preference_centre_opens_with_the_signed_link_only(client, subscription):
    url = path_of(links.preferences_url(subscription.subscriber))

    good = client.get(url)
    forged = client.get(url[:-3] + "abc/")

    assert good.status_code == 200
    html = good.content.decode()
    assert "ana@example.org" in html
    assert "Participatory budgeting · Georgia" in html
    assert forged.status_code == 400
    assert "ana@example.org" not in forged.content.decode()


def test_changing_the_topics_and_frequency_of_an_alert(client, subscription):
    url = path_of(links.preferences_url(subscription.subscriber))
    prefix = f"s{subscription.pk}"

    response = client.post(
        url,
        {
            "action": f"update:{subscription.pk}",
            f"{prefix}-theme": ["green-transition"],
            f"{prefix}-country": ["RO", "PL"],
            f"{prefix}-type": ["guide", "thread"],
            f"{prefix}-language": ["ro"],
            f"{prefix}-q": "energy",
            f"{prefix}-frequency": "monthly",
        },
    )

    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.themes == ["green-transition"]
    assert subscription.countries == ["RO", "PL"]
    assert subscription.types == ["guide", "thread"]
    assert subscription.languages == ["ro"]
    assert subscription.words == "energy"
    assert subscription.frequency == Subscription.Frequency.MONTHLY
    assert subscription.subscriber.consents.get().action == "change"


def test_a_bad_change_gets_a_message_and_changes_nothing(client, subscription):
    url = path_of(links.preferences_url(subscription.subscriber))
    prefix = f"s{subscription.pk}"

    response = client.post(
        url,
        {
            "action": f"update:{subscription.pk}",
            f"{prefix}-country": ["XX"],
            f"{prefix}-frequency": "weekly",
        },
    )

    assert response.status_code == 400
    assert "Select a valid choice. XX is not one of the available choices." in (
        response.content.decode()
    )
    subscription.refresh_from_db()
    assert subscription.countries == ["GE"]


def test_changing_the_language_adding_and_removing_alerts(client, subscription):
    subscriber = subscription.subscriber
    url = path_of(links.preferences_url(subscriber))

    client.post(url, {"action": "language", "subscriber-language": "ar"})
    client.post(url, {"action": "add", "new-country": ["JO"], "new-frequency": "monthly"})
    client.post(url, {"action": f"delete:{subscription.pk}"})

    subscriber.refresh_from_db()
    assert subscriber.language == "ar"
    (added,) = subscriber.subscriptions.all()
    assert added.countries == ["JO"]
    assert added.frequency == "monthly"
    assert added.confirmed_at is not None


def test_unsubscribing_from_everything_in_the_preference_centre(client, subscription):
    url = path_of(links.preferences_url(subscription.subscriber))

    response = client.post(url, {"action": "unsubscribe"})

    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert not subscriber.subscriptions.exists()


def test_one_post_to_the_list_unsubscribe_url_unsubscribes_at_once(client, subscription):
    url = path_of(links.unsubscribe_url(subscription.subscriber))

    # A mail client's RFC 8058 request: no cookie, no CSRF token, no page wanted.
    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert response.content == b""
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.consents.get().agreed_to == "Unsubscribed from everything"


def test_following_the_unsubscribe_link_asks_first(client, subscription):
    url = path_of(links.unsubscribe_url(subscription.subscriber))

    page = client.get(url)
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED
    done = client.post(url)

    assert page.status_code == 200
    assert "Unsubscribe from everything" in page.content.decode()
    assert "You are unsubscribed" in done.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_every_email_carries_the_unsubscribe_and_identity_headers(sent, subscription):
    from delivery.pipeline import queue

    subscriber = subscription.subscriber
    message = confirmation_message(subscriber, [subscription], "newsletters.notice")

    (delivered,) = sent(queue, "newsletters.notice", [message])

    email = delivered["message"]
    token = links.manage_token(subscriber)
    # Long headers arrive folded; a mail client unfolds them.
    assert " ".join(email["List-Unsubscribe"].split()) == (
        f"<https://testserver/newsletters/unsubscribe/{token}/>, "
        f"<mailto:unsubscribe@localhost?subject={quote('unsubscribe ' + token)}>"
    )
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email["Content-Language"] == "en"
    assert email["Message-ID"].startswith("<") and email["Message-ID"].endswith("@testserver>")
    assert email["Date"].datetime is not None
    assert email.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in email.iter_parts()]
    assert parts == ["text/plain", "text/html"]


def test_html_is_inlined_readable_without_images_and_right_to_left_in_arabic(subscription):
    rendered = render_email(
        "ar",
        "newsletters/email/confirm",
        "اشتراك",
        {"subscriptions": [{"description": "x", "frequency_label": "y"}], "max_age_days": 3},
    )

    assert '<html lang="ar" dir="rtl">' in rendered.html
    assert "<style" not in rendered.html
    assert 'style="' in rendered.html
    assert "<img" not in rendered.html
    assert 'class="button" href="https://newsletters.invalid/confirm"' in rendered.html


def test_a_confirmed_then_unsubscribed_address_gets_nothing(client, sent, subscription):
    from delivery.pipeline import queue

    subscriber = subscription.subscriber
    message = render_email("en", "newsletters/email/confirm", "Digest", {}).for_subscriber(
        subscriber
    )
    client.post(path_of(links.unsubscribe_url(subscriber)), {"List-Unsubscribe": "One-Click"})

    assert sent(queue, KIND_DIGEST, [message]) == []


def test_an_unconfirmed_address_gets_no_digest(sent):
    from delivery.pipeline import queue

    subscriber = SubscriberFactory(status=Subscriber.Status.PENDING, confirmed_at=None)
    message = render_email("en", "newsletters/email/confirm", "Digest", {}).for_subscriber(
        subscriber
    )

    assert sent(queue, KIND_DIGEST, [message]) == []


def test_the_unsubscribe_url_is_outside_the_language_prefix(subscription):
    subscription.subscriber.language = "ar"

    assert links.unsubscribe_url(subscription.subscriber).startswith(
        "https://testserver/newsletters/unsubscribe/"
    )
    assert links.preferences_url(subscription.subscriber).startswith(
        "https://testserver/ar/newsletters/preferences/"
    )
    assert reverse("newsletters_one_click", kwargs={"token": "t"}) == (
        "/newsletters/unsubscribe/t/"
    )


def test_a_suppressed_address_is_marked_on_its_subscriber_and_gets_nothing(sent, subscription):
    from delivery.models import Suppression
    from delivery.pipeline import queue
    from delivery.suppressions import suppress

    subscriber = subscription.subscriber
    sent(suppress, "ANA@example.org", Suppression.Reason.COMPLAINT, "abuse report")
    message = render_email("en", "newsletters/email/confirm", "Digest", {}).for_subscriber(
        subscriber
    )

    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.COMPLAINED
    assert sent(queue, KIND_DIGEST, [message]) == []


def test_a_mail_to_the_list_unsubscribe_mailto_unsubscribes(tmp_path, subscription):
    import mailbox
    from email.message import EmailMessage

    from django.core.management import call_command

    box = mailbox.mbox(tmp_path / "unsubscribe.mbox")
    for subject in (f"unsubscribe {links.manage_token(subscription.subscriber)}", "hello"):
        message = EmailMessage()
        message["Subject"] = subject
        message["From"] = "ana@example.org"
        box.add(message)
    box.flush()

    call_command("process_unsubscribe_mail", str(tmp_path / "unsubscribe.mbox"))

    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_the_preference_centre_costs_the_same_queries_for_one_alert_or_five(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    one = SubscriptionFactory(subscriber__email="one@example.org")
    five = SubscriptionFactory(subscriber__email="five@example.org")
    for _ in range(4):
        SubscriptionFactory(subscriber=five.subscriber, themes=["health"], countries=["PL"])
    # The first request of a test reads what Wagtail caches (sites, locales).
    client.get(path_of(links.preferences_url(one.subscriber)))
    counts = []
    for subscriber in (one.subscriber, five.subscriber):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path_of(links.preferences_url(subscriber)))
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
