"""The forum benchmark's machinery, run small on the test database: the forums it writes in
bulk carry the counters and last posts the receivers would leave, every page is measured and
reported, and each page runs as many queries on the large forum as on the small one. How
fast belongs to `bench/forums.py` itself, not to a test."""

import pytest

from bench import forums as bench
from forums.models import Post, PostStatus, Thread

pytestmark = pytest.mark.django_db


def quiet(message):
    pass


def test_the_forum_bench_builds_forums_as_the_receivers_leave_them(settings, capsys):
    settings.FORUMS = {
        **settings.FORUMS,
        "POST_RATE_PER_MEMBER": bench.UNLIMITED_RATE,
        "POST_RATE_PER_ADDRESS": bench.UNLIMITED_RATE,
    }
    settings.TASKS = bench.QUEUED_TASKS
    # Two forums of two threads of 21 posts (two pages each), and the small forum.
    big, small, member = bench.build(4, 21, 2, seed=7, say=quiet)

    for forum, per_thread in ((big[0], 21), (big[1], 21), (small, 25)):
        forum.refresh_from_db()
        posts = Post.objects.filter(thread__forum=forum, status=PostStatus.PUBLISHED)
        assert forum.thread_count == 2
        assert forum.post_count == posts.count() == 2 * per_thread
        assert forum.last_post == posts.order_by("-created_at", "-pk").first()
    for thread in Thread.objects.all():
        posts = thread.posts.order_by("-created_at", "-pk")
        assert (thread.post_count, thread.last_post, thread.last_post_at) == (
            posts.count(),
            posts.first(),
            posts.first().created_at,
        )

    results = bench.measure(big, small, member, samples=1, replies=3, seed=7, say=quiet)
    bench.report(results, 4, 21, 2, "2 threads × 25 posts")

    assert [name for name, *_ in results] == [
        "thread, first page",
        "thread, page 2 (last)",
        "forum index",
        "forum's threads, page 1",
        "forum's threads, page 1 (last)",
        "reply (POST, redirect)",
    ]
    for name, times, big_queries, small_queries in results:
        assert len(times.wall) == (3 if name.startswith("reply") else 1)
        assert big_queries == small_queries > 0, name
    # The three timed replies and the four counted ones (two to watch, two counted).
    assert Post.objects.filter(author=member, source__contains="bench run at").count() == 3
    assert (
        Post.objects.filter(author=member, source__regex=r"^(Watching|Counting|Also) ").count() == 4
    )
    printed = capsys.readouterr().out
    assert "reply (POST, redirect)" in printed
    assert "machine load:" in printed
