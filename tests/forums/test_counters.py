"""Counters and last posts of forums and threads, kept by `forums.signal_handlers` from the
database: after creating, replying, editing, deleting posts and threads, moving a thread and
deleting a forum."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forums.factories import ForumFactory, PostFactory, ThreadFactory
from forums.models import Forum, Post, Thread
from forums.signal_handlers import refresh_forum, refresh_thread
from members.factories import UserFactory
from search.models import SearchDocument

pytestmark = pytest.mark.django_db


def fresh(obj):
    obj.refresh_from_db()
    return obj


def test_a_new_thread_counts_its_first_post(forum):
    thread = ThreadFactory(forum=forum)

    first = thread.posts.get()
    assert (fresh(thread).post_count, thread.last_post, thread.last_post_at) == (
        1,
        first,
        first.created_at,
    )
    assert (fresh(forum).thread_count, forum.post_count, forum.last_post) == (1, 1, first)
    assert thread.reply_count == 0


def test_a_thread_without_posts_counts_nothing(forum):
    thread = ThreadFactory(forum=forum, first_post=False)

    assert (fresh(thread).post_count, thread.last_post) == (0, None)
    # Forums count the threads that have a published post: a thread whose first post waits
    # for a moderator is not listed yet.
    assert (fresh(forum).thread_count, forum.post_count, forum.last_post) == (0, 0, None)


def test_replies_move_the_last_post_of_thread_and_forum(forum):
    thread = ThreadFactory(forum=forum)
    other = ThreadFactory(forum=forum)
    reply = PostFactory(thread=thread)

    assert (fresh(thread).post_count, thread.last_post, thread.last_post_at) == (
        2,
        reply,
        reply.created_at,
    )
    assert (fresh(forum).thread_count, forum.post_count, forum.last_post) == (2, 3, reply)
    assert fresh(other).post_count == 1


def test_editing_a_post_changes_no_counter(forum):
    thread = ThreadFactory(forum=forum)
    reply = PostFactory(thread=thread)
    reply.body = "<p>Corrected.</p>"
    reply.save()

    assert (fresh(thread).post_count, thread.last_post) == (2, reply)
    assert (fresh(forum).post_count, forum.last_post) == (2, reply)
    # Saving is not editing: the edit view marks an author's edit (tests/forums/test_posts.py).
    assert not fresh(reply).was_edited


def test_deleting_the_last_post_falls_back_to_the_one_before(forum):
    thread = ThreadFactory(forum=forum)
    first = thread.posts.get()
    reply = PostFactory(thread=thread)

    reply.delete()

    assert (fresh(thread).post_count, thread.last_post, thread.last_post_at) == (
        1,
        first,
        first.created_at,
    )
    assert (fresh(forum).post_count, forum.last_post) == (1, first)


def test_deleting_every_post_deletes_the_thread(forum):
    thread = ThreadFactory(forum=forum)
    PostFactory(thread=thread)
    other = ThreadFactory(forum=forum)
    assert SearchDocument.objects.filter(object_type="thread", object_id=thread.pk).exists()

    Post.objects.filter(thread=thread).delete()

    assert not Thread.objects.filter(pk=thread.pk).exists()
    assert not SearchDocument.objects.filter(object_type="thread", object_id=thread.pk).exists()
    assert (fresh(forum).thread_count, forum.post_count, forum.last_post) == (
        1,
        1,
        other.posts.get(),
    )


def test_deleting_a_threads_only_post_deletes_the_thread(forum):
    thread = ThreadFactory(forum=forum)

    thread.posts.get().delete()

    assert not Thread.objects.filter(pk=thread.pk).exists()
    assert (fresh(forum).thread_count, forum.post_count, forum.last_post) == (0, 0, None)


def test_deleting_a_thread_recounts_its_forum(forum):
    older = ThreadFactory(forum=forum)
    newer = ThreadFactory(forum=forum)
    PostFactory.create_batch(3, thread=newer)

    newer.delete()

    assert not Post.objects.filter(thread_id=newer.pk).exists()
    assert (fresh(forum).thread_count, forum.post_count, forum.last_post) == (
        1,
        1,
        older.posts.get(),
    )


def test_deleting_threads_in_bulk_recounts_their_forums(forum):
    other_forum = ForumFactory()
    kept = ThreadFactory(forum=other_forum)
    ThreadFactory.create_batch(2, forum=forum)
    ThreadFactory(forum=other_forum)

    Thread.objects.exclude(pk=kept.pk).delete()

    assert (fresh(forum).thread_count, forum.post_count, forum.last_post) == (0, 0, None)
    assert (fresh(other_forum).thread_count, other_forum.post_count) == (1, 1)
    assert other_forum.last_post == kept.posts.get()


def test_deleting_a_forum_deletes_its_threads_and_posts(forum):
    ThreadFactory.create_batch(2, forum=forum)
    other = ThreadFactory()

    forum.delete()

    assert list(Thread.objects.all()) == [other]
    assert Post.objects.count() == 1


def test_moving_a_thread_recounts_both_forums(forum):
    target = ForumFactory(name="Grant schemes")
    thread = ThreadFactory(forum=forum)
    PostFactory(thread=thread)
    staying = ThreadFactory(forum=forum)

    thread.forum = target
    thread.save()

    assert (fresh(forum).thread_count, forum.post_count, forum.last_post) == (
        1,
        1,
        staying.posts.get(),
    )
    assert (fresh(target).thread_count, target.post_count, target.last_post) == (
        1,
        2,
        fresh(thread).last_post,
    )


def test_deleting_an_author_keeps_their_posts(forum):
    author = UserFactory()
    thread = ThreadFactory(forum=forum, author=author)
    PostFactory(thread=thread, author=author)

    author.delete()

    assert (fresh(thread).author, thread.post_count) == (None, 2)
    assert set(thread.posts.values_list("author", flat=True)) == {None}


def test_last_activity_follows_the_posts_dates_not_their_order_of_saving(forum):
    thread = ThreadFactory(forum=forum, first_post=False)
    now = timezone.now()
    late = PostFactory(thread=thread, created_at=now)
    PostFactory(thread=thread, created_at=now - timedelta(days=3))

    assert (fresh(thread).last_post, thread.last_post_at) == (late, now)
    assert fresh(forum).last_post == late


def test_counters_written_wrong_are_recomputed_from_the_posts(forum):
    thread = ThreadFactory(forum=forum)
    Thread.objects.filter(pk=thread.pk).update(post_count=42, last_post=None)
    Forum.objects.filter(pk=forum.pk).update(thread_count=9, post_count=99)

    refresh_thread(thread.pk)
    refresh_forum(forum.pk)

    assert (fresh(thread).post_count, thread.last_post) == (1, thread.posts.get())
    assert (fresh(forum).thread_count, forum.post_count) == (1, 1)
