"""No query per item in the lists: the forum index, a forum's threads and a thread's posts
take as many queries for many items as for few, and the search rebuild reads threads in a
fixed number of queries per batch."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forums import signal_handlers
from forums.factories import ForumFactory, PostFactory, ThreadFactory
from forums.models import Post
from forums.views import POSTS_PER_PAGE
from members.factories import UserFactory
from search import indexing

pytestmark = pytest.mark.django_db

# The page's own one to five queries, plus the session, the user and their permissions (the
# Wagtail user bar), and the site and the locale's sections that the header reads.
MAX_QUERIES = 16


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def busy_forum(forum, threads):
    for number in range(threads):
        thread = ThreadFactory(
            forum=forum, themes=["participatory-budgeting", "youth"], countries=["RO"]
        )
        PostFactory(thread=thread, author=UserFactory())
        if number % 2:
            thread.author.delete()
    return forum


@pytest.fixture
def signed_in(client, site_tree):
    client.force_login(UserFactory(username="reader"))
    # The first request of a test fills caches (site root paths) and creates the site
    # settings; the counts compared are those of the requests after it.
    client.get("/forums/")
    return client


def test_the_forum_index(signed_in, django_assert_max_num_queries):
    busy_forum(ForumFactory(), 1)
    few = queries_for(signed_in, "/forums/")

    for _ in range(6):
        busy_forum(ForumFactory(), 3)
    with django_assert_max_num_queries(MAX_QUERIES):
        many = queries_for(signed_in, "/forums/")

    assert many == few


def test_a_forums_threads(signed_in, forum, django_assert_max_num_queries):
    busy_forum(forum, 2)
    few = queries_for(signed_in, forum.get_absolute_url())

    busy_forum(forum, 15)
    with django_assert_max_num_queries(MAX_QUERIES):
        many = queries_for(signed_in, forum.get_absolute_url())

    assert many == few


def test_a_threads_posts(signed_in, forum, django_assert_max_num_queries):
    thread = ThreadFactory(forum=forum, themes=["youth"], countries=["PL", "GE"])
    PostFactory(thread=thread)
    few = queries_for(signed_in, thread.get_absolute_url())

    for _ in range(15):
        PostFactory(thread=thread, author=UserFactory())
    with django_assert_max_num_queries(MAX_QUERIES):
        many = queries_for(signed_in, thread.get_absolute_url())

    assert many == few


def test_building_thread_documents(forum):
    builder = indexing.builders["thread"]
    busy_forum(forum, 2)
    with CaptureQueriesContext(connection) as few:
        assert len(list(indexing.build_documents(builder))) == 2

    busy_forum(forum, 12)
    with CaptureQueriesContext(connection) as many:
        assert len(list(indexing.build_documents(builder))) == 14

    assert len(many) == len(few)


def _thread_of(forum, posts):
    """A thread of `posts` posts, written in one statement (the counters once after)."""
    thread = ThreadFactory(forum=forum)
    authors = [UserFactory() for _ in range(5)]
    Post.objects.bulk_create(
        Post(
            thread=thread,
            author=authors[number % 5],
            source=f"Reply {number}",
            body=f"<p>Reply {number}</p>",
        )
        for number in range(posts - 1)
    )
    signal_handlers.refresh_thread(thread.pk)
    thread.refresh_from_db()
    assert thread.post_count == posts
    return thread


def test_a_thread_of_1000_posts_renders_a_page_in_as_many_queries_as_one_of_10(
    signed_in, forum, django_assert_num_queries
):
    small = _thread_of(forum, 10)
    two_pages = _thread_of(forum, POSTS_PER_PAGE + 5)
    large = _thread_of(forum, 1000)
    first_page = queries_for(signed_in, small.get_absolute_url())
    # A later page reads the opening post too (the page's description quotes it).
    later_page = queries_for(signed_in, f"{two_pages.get_absolute_url()}?page=2")

    for url, expected in (
        (large.get_absolute_url(), first_page),
        (f"{large.get_absolute_url()}?page=25", later_page),
    ):
        with django_assert_num_queries(expected):
            response = signed_in.get(url)
        assert response.status_code == 200
        assert len(response.context["posts"]) == POSTS_PER_PAGE
