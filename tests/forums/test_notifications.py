"""Notifications of new posts: who hears of a post and why, the emails (sent by the delivery
pipeline's task to a real SMTP server on loopback), the daily digest, the one-click
unsubscribe, and the in-site list with its count in the header."""

import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from delivery.models import Delivery
from forums import moderation
from forums.factories import PostFactory, ThreadFactory
from forums.models import Notification, NotificationReason, PostStatus, Suspension, Watch
from members.factories import (
    MembershipFactory,
    ProfileFactory,
    UserFactory,
)
from members.models import ForumEmails, Profile
from pagecache import generation

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


# -- watchers, mentions, and who never hears ---------------------------------------------


@pytest.fixture
def people(db):
    return {
        name: UserFactory(username=name, email=f"{name}@example.org", first_name=name.title())
        for name in ("opener", "replier", "thread_watcher", "forum_watcher", "bystander")
    }


@pytest.fixture
def thread(people, forum):
    thread = ThreadFactory(forum=forum, author=people["opener"], title="Budget hearings")
    # The factory writes its first post outside a request: the opener watches the thread
    # as every author of a post does.
    return thread


def test_watchers_of_the_thread_and_of_the_forum_are_notified(committed, people, thread, forum):
    Watch.objects.create(member=people["thread_watcher"], thread=thread)
    Watch.objects.create(member=people["forum_watcher"], forum=forum)

    received = committed(post_by, people["replier"], thread, "We met in the town hall.")

    assert sorted(m["to"][0] for m in received) == [
        "forum_watcher@example.org",
        "opener@example.org",
        "thread_watcher@example.org",
    ]
    reasons = dict(Notification.objects.values_list("recipient__username", "reason").order_by())
    assert reasons == {
        "opener": NotificationReason.THREAD,
        "thread_watcher": NotificationReason.THREAD,
        "forum_watcher": NotificationReason.FORUM,
    }
    assert "You watch this forum" in parts(one_message(received, "forum_watcher@example.org"))[0]
    # The replier now watches the thread too, and hears of the next post.
    assert Watch.objects.filter(member=people["replier"], thread=thread).exists()
    again = committed(post_by, people["opener"], thread, "Thank you!")
    assert sorted(m["to"][0] for m in again) == [
        "forum_watcher@example.org",
        "replier@example.org",
        "thread_watcher@example.org",
    ]


def test_the_author_never_hears_of_their_own_post(committed, people, thread, forum):
    opener = people["opener"]
    Watch.objects.create(member=opener, forum=forum)

    received = committed(post_by, opener, thread, "Adding to my own question, @opener.")

    assert received == []
    assert not Notification.objects.filter(recipient=opener).exists()


def test_a_mention_notifies_and_links_to_the_member_page(committed, people, thread):
    listed = ProfileFactory(user=people["bystander"], is_listed=True).user
    unlisted = UserFactory(username="quiet.one", email="quiet@example.org")
    people["thread_watcher"].email = "quoted@example.org"
    people["thread_watcher"].save()
    source = (
        "> Earlier, @thread_watcher said so.\n\n"
        "Ask @bystander and @Quiet.One. Not @nobody-here, and not `@bystander` in code; "
        "write to info@bystander.example."
    )

    received = committed(post_by, people["replier"], thread, source)
    post = thread.posts.get(author=people["replier"])

    assert (
        f'<a class="mention" href="/people/{listed.pk}/" data-member="{listed.pk}">@bystander</a>'
        in post.body
    )
    assert f'<span class="mention" data-member="{unlisted.pk}">@quiet.one</span>' in post.body
    assert "@nobody-here" in post.body and "<code>@bystander</code>" in post.body
    assert post.body.count('class="mention"') == 2
    # Quoting an earlier mention tells nobody again.
    assert "<blockquote>\n<p>Earlier, @thread_watcher said so.</p>" in post.body
    assert "quoted@example.org" not in [m["to"][0] for m in received]
    message = one_message(received, "bystander@example.org")
    assert "You were mentioned" in parts(message)[0]
    assert "You were mentioned" in parts(one_message(received, "quiet@example.org"))[0]
    assert Notification.objects.get(recipient=listed).reason == NotificationReason.MENTION


def test_one_notification_per_person_with_the_strongest_reason(committed, people, thread, forum):
    watcher = people["thread_watcher"]
    Watch.objects.create(member=watcher, thread=thread)
    Watch.objects.create(member=watcher, forum=forum)

    received = committed(post_by, people["replier"], thread, "What do you think, @thread_watcher?")

    assert [m["to"] for m in received].count(["thread_watcher@example.org"]) == 1
    assert Notification.objects.get(recipient=watcher).reason == NotificationReason.MENTION


def test_nobody_suspended_or_inactive_hears_of_a_post(committed, people, thread, forum):
    suspended, inactive = people["thread_watcher"], people["forum_watcher"]
    Watch.objects.create(member=suspended, thread=thread)
    Watch.objects.create(member=inactive, forum=forum)
    Suspension.objects.create(member=suspended, until=timezone.now() + timedelta(days=3))
    inactive.is_active = False
    inactive.save()

    received = committed(post_by, people["replier"], thread, "@forum_watcher, hello.")

    assert [m["to"] for m in received] == [["opener@example.org"]]
    assert not Notification.objects.filter(recipient__in=[suspended, inactive]).exists()


def test_a_post_held_for_review_is_news_only_once_approved(committed, people, thread, moderator):
    post = committed(
        lambda: PostFactory(
            thread=thread, author=people["replier"], source="Links.", status=PostStatus.HELD
        )
    )
    assert post == []
    held = thread.posts.get(author=people["replier"])
    assert not Notification.objects.exists()

    received = committed(moderation.approve, held, moderator)

    assert [m["to"] for m in received] == [["opener@example.org"]]
    # Hidden by flags and approved again: already told, nobody hears twice.
    held.status = PostStatus.HIDDEN
    held.save()
    assert committed(moderation.approve, held, moderator) == []
    assert Notification.objects.count() == 1


# -- preferences, digests, unsubscribing --------------------------------------------------


def prefer(user, choice, languages=()):
    profile = Profile.for_user(user)
    profile.forum_emails = choice
    profile.languages = list(languages)
    profile.save()


def test_preference_off_sends_nothing_but_lists_the_notification(committed, client, people, thread):
    opener = people["opener"]
    prefer(opener, ForumEmails.OFF)

    received = committed(post_by, people["replier"], thread, "A reply nobody is emailed.")

    assert received == []
    client.force_login(opener)
    page = client.get(reverse("forums:notifications")).content.decode()
    assert "Budget hearings" in page
    assert "A reply nobody is emailed." in page


def test_the_daily_digest_gathers_several_posts_into_one_email(committed, people, thread, forum):
    daily = people["forum_watcher"]
    prefer(daily, ForumEmails.DAILY)
    Watch.objects.create(member=daily, forum=forum)
    other_thread = ThreadFactory(forum=forum, author=people["opener"], title="Youth councils")

    during_the_day = []
    during_the_day += committed(post_by, people["replier"], thread, "First reply of the day.")
    during_the_day += committed(post_by, people["opener"], other_thread, "Second thread, its post.")
    during_the_day += committed(post_by, people["replier"], thread, "Third one, @forum_watcher.")
    assert "forum_watcher@example.org" not in [m["to"][0] for m in during_the_day]

    received = committed(digests)

    message = one_message(received, "forum_watcher@example.org")
    assert [m["to"] for m in received] == [["forum_watcher@example.org"]]
    assert message["Subject"] == "3 new posts in the forums"
    text, html = parts(message)
    for expected in ("First reply of the day.", "Second thread, its post.", "Third one"):
        assert expected in text and expected in html
    assert "Youth councils" in text and "Budget hearings" in text
    assert "You were mentioned" in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Nothing new since: nothing is sent.
    assert committed(digests) == []
    # A new post makes the next digest, with that post alone.
    committed(post_by, people["replier"], thread, "The next day, a reply.")
    later = committed(digests)
    text = parts(one_message(later, "forum_watcher@example.org"))[0]
    assert "The next day, a reply." in text and "First reply of the day." not in text


def test_a_read_notification_is_not_in_the_digest(committed, people, thread):
    opener = people["opener"]
    prefer(opener, ForumEmails.DAILY)
    committed(post_by, people["replier"], thread, "Seen on the site already.")
    Notification.objects.update(read_at=timezone.now())

    assert committed(digests) == []


def digests():
    out = io.StringIO()
    call_command("send_forum_digests", stdout=out)
    return out.getvalue()


def list_unsubscribe_url(message):
    (url,) = re.findall(r"<(https?://[^>]+)>", message["List-Unsubscribe"])
    return url


def test_every_email_has_the_one_click_headers_in_the_recipients_language(
    committed, people, thread
):
    prefer(people["opener"], ForumEmails.INSTANT, languages=["ro", "en"])

    received = committed(post_by, people["replier"], thread, "Salut!")

    message = one_message(received, "opener@example.org")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = list_unsubscribe_url(message)
    assert url.startswith("http://testserver/forum-emails/unsubscribe/")
    assert message["Content-Language"] == "ro"
    assert message["Message-ID"].endswith("@testserver>")
    text, html = parts(message)
    assert f"http://testserver/ro{thread.get_absolute_url()}#post-" in text
    assert url in text and url.replace("&", "&amp;") in html
    assert message.get_body(preferencelist=("html",)).get_content_type() == "text/html"


def test_one_click_unsubscribe_turns_forum_emails_off(committed, people, thread):
    received = committed(post_by, people["replier"], thread, "First.")
    path = urlsplit(list_unsubscribe_url(one_message(received, "opener@example.org"))).path

    # As a mail client does it (RFC 8058): no session, no CSRF token.
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert Profile.objects.get(user=people["opener"]).forum_emails == ForumEmails.OFF
    later = committed(post_by, people["replier"], thread, "Second.")
    assert later == []
    assert Notification.objects.filter(recipient=people["opener"]).count() == 2


def test_the_unsubscribe_link_shows_a_page_then_a_button_does_it(client, people):
    opener = people["opener"]
    path = urlsplit(notifying_url(opener)).path

    page = client.get(path)
    assert page.status_code == 200
    assert "Stop every email about forum posts to opener@example.org?" in page.content.decode()
    assert Profile.for_user(opener).forum_emails == ForumEmails.INSTANT

    done = Client(enforce_csrf_checks=True).post(path)
    assert done.status_code == 200
    assert "opener@example.org will receive no more emails" in done.content.decode()
    assert Profile.objects.get(user=opener).forum_emails == ForumEmails.OFF


def test_a_bad_unsubscribe_link_changes_nothing(client, people):
    path = urlsplit(notifying_url(people["opener"])).path
    forged = path.rstrip("/") + "x/"

    assert client.get(forged).status_code == 400
    assert client.post(forged, {"List-Unsubscribe": "One-Click"}).status_code == 404
    assert not Profile.objects.filter(forum_emails=ForumEmails.OFF).exists()


def notifying_url(user):
    from forums.notifying import unsubscribe_url

    return unsubscribe_url(user)


def test_mail_queued_before_an_unsubscribe_is_not_sent(
    django_capture_on_commit_callbacks, smtp_server, people, thread
):
    # Queued, then the person turns emails off before the worker runs.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_by(people["replier"], thread, "Queued.")
    from forums.notifying import notify

    with django_capture_on_commit_callbacks(execute=False) as deliveries:
        notify(thread.posts.get(author=people["replier"]).pk)
    # The post's own on-commit work, the page cache's bumps aside.
    assert len([c for c in callbacks if c is not generation.bump]) == 1
    assert len(deliveries) == 1
    prefer(people["opener"], ForumEmails.OFF)
    deliveries[0]()

    assert smtp_server.messages == []
    assert Delivery.objects.get().status == Delivery.Status.SKIPPED


# -- in the site --------------------------------------------------------------------------


def test_the_unread_list_and_the_count_in_the_header(committed, client, people, thread):
    opener = people["opener"]
    prefer(opener, ForumEmails.OFF)
    for number in range(3):
        committed(post_by, people["replier"], thread, f"Reply number {number}.")
    client.force_login(opener)

    page = client.get(reverse("forums:index")).content.decode()
    assert re.search(
        r'class="account__notifications"[^>]*>Notifications <span class="badge">3', page
    )

    listing = client.get(reverse("forums:notifications"))
    assert listing["Cache-Control"] == "private, no-store"
    html = listing.content.decode()
    assert [int(n) for n in re.findall(r"Reply number (\d)\.", html)] == [2, 1, 0]

    newest = Notification.objects.order_by("-created_at", "-pk").first()
    opened = client.get(reverse("forums:notification_open", kwargs={"pk": newest.pk}))
    assert opened.status_code == 302
    assert opened["Location"].endswith(f"#post-{newest.post_id}")
    assert Notification.objects.unread().filter(recipient=opener).count() == 2
    page = client.get(reverse("forums:notifications")).content.decode()
    assert "Reply number 2." not in page and '<span class="badge">2' in page

    marked = client.post(reverse("forums:notifications_read"))
    assert marked.status_code == 302
    assert not Notification.objects.unread().exists()
    page = client.get(reverse("forums:notifications")).content.decode()
    assert "No unread notifications." in page and 'class="badge"' not in page


def test_nobody_opens_anothers_notification(committed, client, people, thread):
    committed(post_by, people["replier"], thread, "For the opener.")
    client.force_login(people["bystander"])
    notification = Notification.objects.get()

    response = client.get(reverse("forums:notification_open", kwargs={"pk": notification.pk}))

    assert response.status_code == 404
    assert Notification.objects.get().read_at is None


def test_anonymous_pages_make_no_notification_query(client, forum):
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("forums:index"))
    assert page.status_code == 200
    assert not [q for q in captured if "forums_notification" in q["sql"]]
    assert "account__notifications" not in page.content.decode()


def notifications_page_queries(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("forums:notifications"))
    assert response.status_code == 200
    return len(captured)


def test_the_notifications_page_takes_a_fixed_number_of_queries(client, people, forum):
    opener = people["opener"]
    client.force_login(opener)

    def notify_of_new_posts(count):
        for _ in range(count):
            thread = ThreadFactory(forum=forum, author=UserFactory())
            post = PostFactory(thread=thread, author=UserFactory(), source="Hello.")
            Notification.objects.create(recipient=opener, post=post, reason="forum")

    notify_of_new_posts(1)
    notifications_page_queries(client)  # the first request of a session reads more
    few = notifications_page_queries(client)
    notify_of_new_posts(12)
    many = notifications_page_queries(client)

    assert many == few
    assert Notification.objects.unread().count() == 13


def test_watch_and_unwatch_a_thread_and_a_forum(client, people, thread, forum):
    member = people["bystander"]
    client.force_login(member)
    thread_page = client.get(thread.get_absolute_url()).content.decode()
    assert "Watch this thread" in thread_page
    assert 'name="csrfmiddlewaretoken"' in thread_page

    watch_url = reverse("forums:watch_thread", kwargs={"pk": thread.pk})
    response = client.post(watch_url, {"watch": "1", "next": thread.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    assert Watch.objects.filter(member=member, thread=thread).exists()
    assert "Stop watching this thread" in client.get(thread.get_absolute_url()).content.decode()
    client.post(watch_url, {"watch": "0"})
    assert not Watch.objects.filter(member=member, thread=thread).exists()

    forum_url = reverse("forums:watch_forum", kwargs={"slug": forum.slug})
    assert "Watch this forum" in client.get(forum.get_absolute_url()).content.decode()
    client.post(forum_url, {"watch": "1", "next": "https://elsewhere.example/"})
    assert Watch.objects.filter(member=member, forum=forum).count() == 1
    client.post(forum_url, {"watch": "1"})
    assert Watch.objects.filter(member=member, forum=forum).count() == 1
    assert "Stop watching this forum" in client.get(forum.get_absolute_url()).content.decode()


def test_watching_needs_an_account_and_a_post(client, thread):
    assert "Watch this thread" not in client.get(thread.get_absolute_url()).content.decode()
    watch_url = reverse("forums:watch_thread", kwargs={"pk": thread.pk})
    assert client.post(watch_url, {"watch": "1"})["Location"].startswith("/accounts/login/")
    client.force_login(thread.author)
    assert client.get(watch_url).status_code == 405


def test_the_email_preference_is_on_the_profile_page(client, people):
    member = people["bystander"]
    client.force_login(member)
    page = client.get(reverse("members:profile")).content.decode()
    assert 'name="forum_emails" value="daily"' in page

    client.post(reverse("members:profile"), {"display_name": "B", "forum_emails": "daily"})

    assert Profile.objects.get(user=member).forum_emails == ForumEmails.DAILY


def test_a_post_hidden_since_leaves_the_list(committed, client, people, thread, moderator):
    committed(post_by, people["replier"], thread, "Buy cheap watches now.")
    client.force_login(people["opener"])
    assert "Buy cheap watches" in client.get(reverse("forums:notifications")).content.decode()

    moderation.hide(thread.posts.get(author=people["replier"]), moderator)

    page = client.get(reverse("forums:notifications")).content.decode()
    assert "Buy cheap watches" not in page and "No unread notifications." in page
    assert 'class="badge"' not in page
