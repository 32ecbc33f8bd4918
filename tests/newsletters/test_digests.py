"""Digests against a real SMTP server on loopback: each subscriber receives what their saved
searches find among the items published since their last digest, in their language where a
translation exists; nobody receives anything when nothing is new."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Locale

from newsletters.factories import SubscriptionFactory
from newsletters.models import Subscriber, Subscription
from newsletters.tasks import send_digests
from tests.search.conftest import publish_page

pytestmark = pytest.mark.django_db


def body(delivered, kind="plain"):
    return delivered["message"].get_body(preferencelist=(kind,)).get_content()


def by_recipient(messages):
    result = {}
    for delivered in messages:
        (address,) = delivered["to"]
        assert address not in result, f"{address} received two digests"
        result[address] = delivered
    return result


def subscribe(email, language="en", **search):
    return SubscriptionFactory(
        subscriber__email=email,
        subscriber__language=language,
        last_digest_at=timezone.now(),
        **search,
    )


@pytest.fixture
def library(site_tree):
    """An item published before the subscriptions' last digest, then new ones."""
    old = publish_page(
        site_tree, title="Old budgeting in Batumi", themes=["participatory-budgeting"]
    )
    return {"old": old}


def publish_new(site_tree):
    georgia = publish_page(
        site_tree,
        title="Participatory budgeting in Ozurgeti",
        themes=["participatory-budgeting"],
        countries=["GE"],
    )
    romanian = georgia.copy_for_translation(Locale.objects.get(language_code="ro"))
    romanian.title = "Bugetare participativă în Ozurgeti"
    romanian.summary = "Cetățenii din Ozurgeti au decis bugetul."
    romanian.save_revision().publish()
    solar = publish_page(
        site_tree,
        kind="guide",
        title="Solar roofs for schools",
        themes=["green-transition"],
        countries=["RO"],
    )
    return georgia, romanian, solar


def test_each_subscriber_gets_what_their_searches_find_since_their_last_digest(
    site_tree, library, sent
):
    subscribe("budget@example.org", themes=["participatory-budgeting"], countries=["GE"])
    subscribe("guides@example.org", types=["guide"])
    subscribe("romanian@example.org", language="ro", themes=["citizen-participation"])
    subscribe("words@example.org", words="solar roofs")
    subscribe("nothing@example.org", themes=["health"])
    monthly = subscribe("monthly@example.org", themes=["participatory-budgeting"])
    monthly.frequency = Subscription.Frequency.MONTHLY
    monthly.save()
    publish_new(site_tree)

    messages = by_recipient(
        sent(call_command, "send_digests", "--frequency", "weekly", "--no-progress")
    )

    assert set(messages) == {
        "budget@example.org",
        "guides@example.org",
        "romanian@example.org",
        "words@example.org",
    }
    budget = body(messages["budget@example.org"])
    assert "Participatory budgeting in Ozurgeti" in budget
    assert "Participatory budgeting · Georgia" in budget
    assert "Old budgeting in Batumi" not in budget
    assert "Solar roofs" not in budget
    assert messages["budget@example.org"]["message"]["Subject"] == (
        "Practice Commons: 1 new item on your alerts"
    )

    guides = body(messages["guides@example.org"])
    assert "Solar roofs for schools" in guides
    assert "Ozurgeti" not in guides

    # In Romanian: the practice's Romanian translation, once, with its own link.
    romanian = messages["romanian@example.org"]
    text = body(romanian)
    assert romanian["message"]["Content-Language"] == "ro"
    assert "Bugetare participativă în Ozurgeti" in text
    assert "Participatory budgeting in Ozurgeti" not in text
    assert text.count("* ") == 1
    assert "https://testserver/ro/" in text

    assert "Solar roofs for schools" in body(messages["words@example.org"])
    html = body(messages["budget@example.org"], "html")
    assert "Participatory budgeting in Ozurgeti</a>" in html


def test_nothing_new_sends_nothing_and_a_second_run_sends_nothing_again(site_tree, library, sent):
    subscription = subscribe("budget@example.org", themes=["participatory-budgeting"])

    assert sent(call_command, "send_digests", "--frequency", "weekly", "--no-progress") == []

    publish_new(site_tree)
    first = sent(send_digests.enqueue, "weekly")
    second = sent(send_digests.enqueue, "weekly")

    assert [m["to"] for m in first] == [["budget@example.org"]]
    assert second == []
    subscription.refresh_from_db()
    assert subscription.last_digest_at > timezone.now() - timedelta(minutes=1)


def test_unconfirmed_and_unsubscribed_addresses_get_no_digest(site_tree, library, sent):
    pending = subscribe("pending@example.org", themes=["participatory-budgeting"])
    Subscriber.objects.filter(pk=pending.subscriber_id).update(status=Subscriber.Status.PENDING)
    gone = subscribe("gone@example.org", themes=["participatory-budgeting"])
    Subscriber.objects.filter(pk=gone.subscriber_id).update(status=Subscriber.Status.UNSUBSCRIBED)
    unconfirmed_alert = subscribe("alert@example.org", themes=["participatory-budgeting"])
    Subscription.objects.filter(pk=unconfirmed_alert.pk).update(confirmed_at=None)
    publish_new(site_tree)

    assert sent(call_command, "send_digests", "--frequency", "weekly", "--no-progress") == []


def test_identical_searches_run_once(site_tree, library, sent):
    from newsletters.digests import DigestRun

    for number in range(5):
        subscribe(f"same{number}@example.org", themes=["participatory-budgeting"])
    subscribe("other@example.org", countries=["RO"])
    subscribe("never@example.org", themes=["health"])
    publish_new(site_tree)
    run = DigestRun("weekly")

    messages = sent(run.send)

    assert len(messages) == 6
    # Two distinct searches could match the new items; the health one is never run.
    assert run.runner.searches == 2
    # The five identical digests were rendered once.
    assert len(run.rendered) == 2


def test_new_items_with_only_some_of_the_words_are_not_news(site_tree, library, sent):
    """The search page answers "solar batumi" with the items that have one of the words
    when none has both; a digest sends only items with every word."""
    subscribe("partial@example.org", words="solar batumi")
    subscribe("whole@example.org", words="solar schools")
    publish_new(site_tree)

    messages = by_recipient(
        sent(call_command, "send_digests", "--frequency", "weekly", "--no-progress")
    )

    assert set(messages) == {"whole@example.org"}
    assert "Solar roofs for schools" in body(messages["whole@example.org"])


def test_a_saved_search_is_the_query_the_search_page_builds_from_its_parameters():
    from django.http import QueryDict

    from search.params import parse_search

    subscription = subscribe(
        "same@example.org",
        language="ro",
        words="apă potabilă",
        themes=["basic-services"],
        countries=["RO", "MD"],
        types=["practice", "guide"],
        languages=["ro"],
    )

    assert subscription.search_query() == parse_search(
        QueryDict(subscription.query_string()), ui_language="ro"
    )


def test_a_search_on_a_deleted_theme_is_left_out_and_the_rest_go_on(site_tree, library, sent):
    from taxonomy.models import Theme

    stale = subscribe("stale@example.org", themes=["participatory-budgeting"])
    stale.themes = ["no-longer-a-theme"]
    stale.save()
    subscribe("budget@example.org", themes=["participatory-budgeting"])
    assert not Theme.objects.filter(slug="no-longer-a-theme").exists()
    publish_new(site_tree)

    messages = sent(call_command, "send_digests", "--frequency", "weekly", "--no-progress")

    assert [m["to"] for m in messages] == [["budget@example.org"]]
