"""RSS and Atom feeds per forum and per thread: published posts only, and no character XML
forbids."""

import xml.etree.ElementTree as ET

import pytest

from forums.factories import PostFactory, ThreadFactory
from forums.models import Post, PostStatus

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def thread(forum):
    thread = ThreadFactory(forum=forum, title="Bell\x07 and \x1bescape")
    reply = PostFactory(thread=thread, source="Clean for now")
    # Stored text the sanitiser never saw (an import, a database console): the feed still
    # strips what XML forbids.
    Post.objects.filter(pk=reply.pk).update(body="<p>Form\x0cfeed and vertical\x0btab</p>")
    PostFactory(thread=thread, source="Waiting for review", status=PostStatus.HELD)
    return thread


def test_the_thread_rss_feed(client, thread):
    response = client.get(f"{thread.get_absolute_url()}rss/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("title") == "Bell and escape"
    items = channel.findall("item")
    assert len(items) == 2  # the opening post and the published reply
    assert items[0].findtext("description") == "<p>Formfeed and verticaltab</p>"
    newest = thread.posts.filter(status=PostStatus.PUBLISHED).last()
    assert items[0].findtext("title") == f"Bell and escape – {newest.author.get_full_name()}"
    assert "Waiting for review" not in response.content.decode()


def test_the_forum_atom_feed(client, forum, thread):
    response = client.get(f"{forum.get_absolute_url()}atom/")

    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    assert (
        entries[0]
        .find(f"{ATOM}link")
        .get("href")
        .endswith(
            f"{thread.get_absolute_url()}#post-{thread.posts.filter(status='published').last().pk}"
        )
    )
    assert "Waiting for review" not in response.content.decode()


def test_the_forum_rss_and_thread_atom_feeds_parse(client, forum, thread):
    for url in (f"{forum.get_absolute_url()}rss/", f"{thread.get_absolute_url()}atom/"):
        response = client.get(url)
        assert response.status_code == 200
        ET.fromstring(response.content)  # raises on any character XML forbids


def test_a_thread_with_nothing_published_has_no_feed(client, forum):
    thread = ThreadFactory(forum=forum, first_post=False)
    PostFactory(thread=thread, source="Held", status=PostStatus.HELD)

    assert client.get(f"{thread.get_absolute_url()}rss/").status_code == 404
    assert client.get(f"{thread.get_absolute_url()}").status_code == 404


def test_a_held_thread_of_a_former_member_stays_hidden_from_visitors(client, member, forum):
    thread = ThreadFactory(forum=forum, first_post=False, author=None)
    PostFactory(thread=thread, author=None, source="Held", status=PostStatus.HELD)

    assert client.get(thread.get_absolute_url()).status_code == 404
