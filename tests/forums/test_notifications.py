"""Notifications of new posts: who hears of a post and why, the emails (sent by the delivery
pipeline's task to a real SMTP server on loopback), the daily digest, the one-click
unsubscribe, and the in-site list with its count in the header."""

import pytest
from django.urls import reverse

from delivery.models import Delivery
from forums.factories import ForumFactory, PostFactory
from forums.models import Notification, NotificationReason
from members.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from practices.factories import PracticePageFactory
from taxonomy.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks, smtp_server):
    """Run `action` and commit: the notifying task, then the delivery task, run as after a
    real commit. Returns the messages the SMTP server received meanwhile."""

    def run(action, *args, **kwargs):
        before = len(smtp_server.messages)
        with django_capture_on_commit_callbacks(execute=True):
            run.result = action(*args, **kwargs)
        return smtp_server.messages[before:]

    return run


def reply_as(client, thread, body):
    url = reverse("forums:reply", kwargs={"forum_slug": thread.forum.slug, "pk": thread.pk})
    response = client.post(url, {"body": body})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def post_by(author, thread, source):
    return PostFactory(thread=thread, author=author, source=source)


def one_message(messages, address):
    found = [m["message"] for m in messages if address in m["to"]]
    assert len(found) == 1, [m["to"] for m in messages]
    return found[0]


def parts(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


# -- ask the implementers ----------------------------------------------------------------


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Municipality of Ozurgeti")


@pytest.fixture
def practice(site_tree, organisation):
    return PracticePageFactory(
        parent=site_tree["en"].practices,
        title="Budget hearings in Guria",
        lead_organisation=organisation,
        themes=["participatory-budgeting"],
    )


@pytest.fixture
def pb_forum(db):
    return ForumFactory(
        name="Participatory budgeting",
        slug="participatory-budgeting",
        theme=Theme.objects.get(slug="participatory-budgeting"),
    )


def ask(client, practice, body="How many people came to the hearings?"):
    form_url = client.get(reverse("forums:ask", kwargs={"page_pk": practice.pk}))["Location"]
    data = {"title": "Attendance at hearings", "language": "en", "body": body}
    response = client.post(form_url, data)
    assert response.status_code == 302
    return response


def test_the_asker_receives_an_email_when_the_organisation_answers(
    client, committed, practice, organisation, pb_forum
):
    asker = UserFactory(username="asker", email="asker@example.org")
    implementer = UserFactory(username="nino", first_name="Nino", last_name="Beridze")
    MembershipFactory(user=implementer, organisation=organisation)

    client.force_login(asker)
    question_mail = committed(ask, client, practice)
    thread = asker.forum_threads.get()

    # The organisation heard of the question; the asker of nothing yet (their own post).
    assert [m["to"] for m in question_mail] == [[implementer.email]]
    assert "A question about your organisation's work" in parts(question_mail[0]["message"])[0]

    client.force_login(implementer)
    received = committed(reply_as, client, thread, "About 140 people, twice a year.")
    answer = thread.posts.get(author=implementer)

    message = one_message(received, "asker@example.org")
    assert [m["to"] for m in received] == [["asker@example.org"]]
    assert message["Subject"] == "Nino Beridze in “Attendance at hearings”"
    text, html = parts(message)
    assert "You asked this question" in text
    assert "About 140 people, twice a year." in text
    assert f"http://testserver{thread.get_absolute_url()}#post-{answer.pk}" in text
    assert "<p>About 140 people, twice a year.</p>" in html
    assert Notification.objects.get(recipient=asker).reason == NotificationReason.ASKED
    assert Delivery.objects.get(recipient="asker@example.org").status == Delivery.Status.SENT
