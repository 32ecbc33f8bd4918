"""Anti-spam: rate limits per member and per network address, new members' limits until
they are trusted, the honeypot, posts with many links held for review, the same message
twice. Each refusal says why and keeps what was typed."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from forums.antispam import is_trusted
from forums.factories import PostFactory, ThreadFactory
from forums.models import Flag, Post, PostStatus
from members.factories import UserFactory

pytestmark = pytest.mark.django_db


def reply_url(thread):
    return reverse("forums:reply", kwargs={"forum_slug": thread.forum.slug, "pk": thread.pk})


def limits(settings, **changes):
    settings.FORUMS = {**settings.FORUMS, **changes}


@pytest.fixture
def thread(forum):
    return ThreadFactory(forum=forum)


@pytest.fixture
def trusted(member):
    """An account older than the trust age, with enough posts that stood."""
    member.date_joined = timezone.now() - timedelta(days=30)
    member.save()
    thread = ThreadFactory()
    for number in range(5):
        PostFactory(thread=thread, author=member, source=f"Earlier post {number}")
    return member


def test_posting_faster_than_the_member_rate_is_refused(member_client, trusted, thread, settings):
    limits(settings, POST_RATE_PER_MEMBER="2/m")
    for number in range(2):
        assert member_client.post(reply_url(thread), {"body": f"Reply {number}"}).status_code == 302

    response = member_client.post(reply_url(thread), {"body": "One more thing"})

    assert response.status_code == 429
    html = response.content.decode()
    assert "You are posting faster than the forums allow." in html
    assert ">\nOne more thing</textarea>" in html
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert member_client.post(reply_url(thread), {"body": "Later"}).status_code == 302


def test_the_address_rate_counts_every_member_behind_it(client, thread, settings):
    limits(settings, POST_RATE_PER_ADDRESS="2/m")
    for number in range(2):
        client.force_login(UserFactory())
        response = client.post(
            reply_url(thread), {"body": f"Hi {number}"}, REMOTE_ADDR="203.0.113.9"
        )
        assert response.status_code == 302

    client.force_login(UserFactory())
    crowded = client.post(reply_url(thread), {"body": "Hi again"}, REMOTE_ADDR="203.0.113.9")
    elsewhere = client.post(reply_url(thread), {"body": "Hi there"}, REMOTE_ADDR="198.51.100.7")

    assert crowded.status_code == 429
    assert elsewhere.status_code == 302


def test_a_new_member_posts_a_few_times_a_day(member_client, member, thread, settings):
    limits(settings, NEW_MEMBER_POSTS_PER_DAY=2)
    for number in range(2):
        assert member_client.post(reply_url(thread), {"body": f"Note {number}"}).status_code == 302

    response = member_client.post(reply_url(thread), {"body": "Third note"})

    assert response.status_code == 429
    assert "New members may post 2 messages a day." in response.content.decode()
    assert ">\nThird note</textarea>" in response.content.decode()


def test_a_new_member_puts_few_links_in_a_message(member_client, thread, settings):
    limits(settings, NEW_MEMBER_LINKS_PER_POST=2)
    body = "See https://one.org, https://two.org and https://three.org"

    response = member_client.post(reply_url(thread), {"body": body})

    assert response.status_code == 400
    assert "New members may put 2 links in a message; remove some links." in (
        response.content.decode()
    )
    assert thread.posts.count() == 1


def test_trust_comes_with_age_and_posts_that_stood(member, settings):
    limits(settings, TRUST_MIN_ACCOUNT_DAYS=3, TRUST_MIN_POSTS=2)
    thread = ThreadFactory()
    posts = [PostFactory(thread=thread, author=member) for _ in range(2)]
    assert not is_trusted(member)  # too new

    member.date_joined = timezone.now() - timedelta(days=4)
    assert is_trusted(member)

    Flag.objects.create(post=posts[0], member=UserFactory(), reason="spam")
    assert not is_trusted(member)  # one of them is in question


def test_a_trusted_member_is_not_held_to_new_members_limits(
    member_client, trusted, thread, settings
):
    limits(settings, NEW_MEMBER_LINKS_PER_POST=0, NEW_MEMBER_POSTS_PER_DAY=0)

    response = member_client.post(reply_url(thread), {"body": "See https://one.org"})

    assert response.status_code == 302


def test_many_links_hold_the_post_for_review(member_client, trusted, thread, settings, client):
    limits(settings, HOLD_LINKS_OVER=2)
    body = "Read https://one.org and https://two.org and https://three.org"

    response = member_client.post(reply_url(thread), {"body": body}, follow=True)

    post = Post.objects.get(source=body)
    assert post.status == PostStatus.HELD
    assert "a moderator will look at it before others see it" in response.content.decode()
    assert "https://three.org" in response.content.decode()  # the author sees it
    client.logout()
    assert "https://three.org" not in client.get(thread.get_absolute_url()).content.decode()


def test_the_same_message_twice_is_refused(member_client, trusted, thread, forum):
    other = ThreadFactory(forum=forum)
    member_client.post(reply_url(thread), {"body": "Has anyone tried this?"})

    response = member_client.post(reply_url(other), {"body": "has anyone   tried THIS?"})

    assert response.status_code == 400
    assert "You have already posted this message." in response.content.decode()
    assert other.posts.count() == 1


def test_the_honeypot_refuses_robots(member_client, thread):
    response = member_client.post(
        reply_url(thread), {"body": "Great post!", "website": "https://spam.example"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["website"] == [
        "Leave the last field empty: it is there to catch robots."
    ]
    assert ">\nGreat post!</textarea>" in response.content.decode()
    assert thread.posts.count() == 1


def test_new_threads_pass_the_same_checks(member_client, member, forum, settings):
    limits(settings, NEW_MEMBER_LINKS_PER_POST=0)
    url = reverse("forums:thread_create", kwargs={"slug": forum.slug})

    response = member_client.post(
        url, {"title": "Offers", "language": "en", "body": "Visit https://spam.org"}
    )

    assert response.status_code == 400
    assert "New members may put 0 links in a message" in response.content.decode()
    assert 'value="Offers"' in response.content.decode()
    assert not forum.threads.exists()
