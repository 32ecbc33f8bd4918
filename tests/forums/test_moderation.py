"""Flags, the moderation queue in the Wagtail admin, suspensions, and the audit log of every
moderator action."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from forums.factories import ForumFactory, PostFactory, ThreadFactory
from forums.models import Flag, Post, PostStatus, Suspension
from members.factories import UserFactory

pytestmark = pytest.mark.django_db


def flag_url(post):
    return reverse("forums:post_flag", kwargs={"pk": post.pk})


def queue_action(post, action):
    return f"/admin/forum_moderation/{post.pk}/{action}/"


def flag_as(client, post, reason="spam"):
    client.force_login(UserFactory())
    return client.post(flag_url(post), {"reason": reason, "note": ""})


@pytest.fixture
def spam(forum):
    thread = ThreadFactory(forum=forum, title="Budgets")
    return PostFactory(thread=thread, source="Buy cheap watches")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def test_three_distinct_members_flagging_hide_a_post(client, spam, settings):
    settings.FORUMS = {**settings.FORUMS, "FLAGS_TO_HIDE": 3}
    url = spam.thread.get_absolute_url()

    for _ in range(2):
        assert flag_as(client, spam).status_code == 302
    assert Post.objects.get(pk=spam.pk).status == PostStatus.PUBLISHED
    assert "Buy cheap watches" in client.get(url).content.decode()

    flag_as(client, spam, reason="abuse")

    assert Post.objects.get(pk=spam.pk).status == PostStatus.HIDDEN
    client.logout()
    assert "Buy cheap watches" not in client.get(url).content.decode()
    spam.thread.refresh_from_db()
    assert spam.thread.post_count == 1  # the opening post only
    assert ModelLogEntry.objects.filter(action="forums.hide_by_flags").count() == 1


def test_the_same_member_flags_once(member_client, spam, settings):
    settings.FORUMS = {**settings.FORUMS, "FLAGS_TO_HIDE": 2}
    member_client.post(flag_url(spam), {"reason": "spam"})
    response = member_client.post(flag_url(spam), {"reason": "spam"}, follow=True)

    assert "You have already flagged this post." in response.content.decode()
    assert Flag.objects.filter(post=spam).count() == 1
    assert Post.objects.get(pk=spam.pk).status == PostStatus.PUBLISHED


def test_a_flag_needs_a_known_reason(member_client, spam):
    response = member_client.post(flag_url(spam), {"reason": "boring"})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not Flag.objects.exists()


def test_the_queue_lists_flagged_held_and_hidden_posts(moderator_client, spam, forum):
    held = PostFactory(thread=spam.thread, source="Links", status=PostStatus.HELD)
    quiet = PostFactory(thread=spam.thread, source="Nothing wrong here")
    Flag.objects.create(post=spam, member=UserFactory(), reason="spam")

    response = moderator_client.get("/admin/forum_moderation/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="queue-post-{spam.pk}"' in html and f'id="queue-post-{held.pk}"' in html
    assert f'id="queue-post-{quiet.pk}"' not in html
    assert "Spam – " in html


def test_the_queue_is_for_moderators_only(member_client):
    response = member_client.get("/admin/forum_moderation/")
    # Wagtail sends people without admin access to its sign-in page.
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_approving_publishes_and_answers_the_flags(moderator_client, moderator, spam):
    for _ in range(3):
        Flag.objects.create(post=spam, member=UserFactory(), reason="spam")
    Post.objects.filter(pk=spam.pk).update(status=PostStatus.HIDDEN)

    moderator_client.post(queue_action(spam, "approve"))

    spam.refresh_from_db()
    assert spam.status == PostStatus.PUBLISHED
    assert not Flag.objects.filter(post=spam, resolved_at__isnull=True).exists()
    entry = ModelLogEntry.objects.get(action="forums.approve")
    assert (entry.user, entry.object_id) == (moderator, str(spam.pk))


def test_each_queue_action_does_its_work_and_is_logged(moderator_client, moderator, spam):
    other_forum = ForumFactory(name="Grant schemes")
    thread = spam.thread
    Flag.objects.create(post=spam, member=UserFactory(), reason="off-topic")

    moderator_client.post(queue_action(spam, "hide"))
    moderator_client.post(queue_action(spam, "lock"))
    moderator_client.post(queue_action(spam, "pin"))
    moderator_client.post(queue_action(spam, "move"), {"forum": other_forum.pk})
    moderator_client.post(queue_action(spam, "suspend"), {"days": "7", "reason": "Spam"})
    thread.refresh_from_db()
    assert Post.objects.get(pk=spam.pk).status == PostStatus.HIDDEN
    assert (thread.is_locked, thread.is_pinned, thread.forum) == (True, True, other_forum)
    suspension = Suspension.objects.get(member=spam.author)
    assert suspension.created_by == moderator and suspension.reason == "Spam"
    assert timedelta(days=6, hours=23) < suspension.until - timezone.now() <= timedelta(days=7)

    moderator_client.post(queue_action(spam, "delete"))
    assert not Post.objects.filter(pk=spam.pk).exists()

    logged = list(
        ModelLogEntry.objects.filter(user=moderator)
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )
    assert logged == [
        "forums.hide",
        "forums.lock",
        "forums.pin",
        "forums.move",
        "forums.suspend",
        "forums.delete_post",
    ]
    # The admin's site history shows them, labelled.
    history = moderator_client.get("/admin/reports/site-history/").content.decode()
    assert "Thread moved" in history and "Member suspended" in history


def test_a_suspended_member_cannot_post(member_client, member, forum):
    thread = ThreadFactory(forum=forum)
    Suspension.objects.create(
        member=member, until=timezone.now() + timedelta(days=2), reason="Repeated spam"
    )

    form = member_client.get(reverse("forums:reply", args=[forum.slug, thread.pk]))
    response = member_client.post(
        reverse("forums:reply", args=[forum.slug, thread.pk]), {"body": "Let me back in."}
    )

    assert form.status_code == 403
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your account is suspended from the forums until" in html
    assert "Reason: Repeated spam" in html
    assert ">\nLet me back in.</textarea>" in html
    assert thread.posts.count() == 1


def test_an_ended_suspension_lets_the_member_post_again(member_client, member, forum):
    thread = ThreadFactory(forum=forum)
    Suspension.objects.create(member=member, until=timezone.now() - timedelta(minutes=1))

    response = member_client.post(
        reverse("forums:reply", args=[forum.slug, thread.pk]), {"body": "Back again."}
    )

    assert response.status_code == 302
    assert thread.posts.count() == 2
