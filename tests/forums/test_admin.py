"""The "Forums" admin menu: site editors manage forums and moderate threads and posts;
nobody starts a thread or writes a post there; organisation members do not get in."""

import pytest
from django.contrib.auth.models import Group

from forums.factories import PostFactory, ThreadFactory
from forums.models import Forum, Post, Thread
from members.factories import MembershipFactory, UserFactory
from members.groups import ORGANISATION_MEMBERS
from search.models import SearchDocument
from taxonomy.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, moderator):
    client.force_login(moderator)
    return client


def thread_form(thread, **changes):
    data = {
        "title": thread.title,
        "forum": thread.forum_id,
        "language": thread.language,
        "themes": [theme.pk for theme in thread.themes.all()],
        "countries": [country.pk for country in thread.countries.all()],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not False}


def test_site_editors_create_forums(editor_client):
    theme = Theme.objects.get(slug="civil-society-partnerships")

    response = editor_client.post(
        "/admin/forum_forums/new/",
        {
            "name": "Local authorities and civil society",
            "slug": "local-authorities-civil-society",
            "description": "Partnerships between municipalities and NGOs.",
            "theme": theme.pk,
            "position": 2,
        },
    )

    assert response.status_code == 302
    forum = Forum.objects.get()
    assert (forum.slug, forum.theme, forum.thread_count) == (
        "local-authorities-civil-society",
        theme,
        0,
    )
    assert (
        "Local authorities and civil society"
        in editor_client.get("/admin/forum_forums/").content.decode()
    )


def test_saving_a_forum_in_the_admin_keeps_its_counters(editor_client, forum):
    ThreadFactory.create_batch(2, forum=forum)

    response = editor_client.post(
        f"/admin/forum_forums/edit/{forum.pk}/",
        {"name": "PB", "slug": forum.slug, "description": "", "theme": "", "position": 0},
    )

    assert response.status_code == 302
    forum.refresh_from_db()
    assert (forum.name, forum.thread_count, forum.post_count) == ("PB", 2, 2)


def test_site_editors_pin_lock_and_move_threads(editor_client, forum):
    thread = ThreadFactory(forum=forum, title="Open question")
    PostFactory(thread=thread)
    target = Forum.objects.create(name="Grant schemes", slug="grant-schemes")
    listing = editor_client.get("/admin/forum_threads/")
    assert listing.status_code == 200
    assert "Open question" in listing.content.decode()

    response = editor_client.post(
        f"/admin/forum_threads/edit/{thread.pk}/",
        thread_form(thread, forum=target.pk, is_pinned="on", is_locked="on"),
    )

    assert response.status_code == 302, response.context["form"].errors
    thread.refresh_from_db()
    assert (thread.is_pinned, thread.is_locked, thread.forum) == (True, True, target)
    assert thread.post_count == 2
    forum.refresh_from_db()
    target.refresh_from_db()
    assert (forum.thread_count, forum.post_count) == (0, 0)
    assert (target.thread_count, target.post_count) == (1, 2)
    document = SearchDocument.objects.get(object_type="thread", object_id=thread.pk)
    assert document.url == f"/forums/grant-schemes/{thread.pk}/"


def test_site_editors_delete_threads(editor_client, forum):
    thread = ThreadFactory(forum=forum)

    response = editor_client.post(f"/admin/forum_threads/delete/{thread.pk}/")

    assert response.status_code == 302
    assert not Thread.objects.exists()
    assert not SearchDocument.objects.filter(object_type="thread").exists()
    forum.refresh_from_db()
    assert (forum.thread_count, forum.post_count, forum.last_post) == (0, 0, None)


def test_site_editors_correct_and_delete_posts(editor_client, forum):
    thread = ThreadFactory(forum=forum)
    reply = PostFactory(thread=thread, body="<p>Spam spam</p>")
    assert "Spam spam" in editor_client.get("/admin/forum_posts/").content.decode()

    editor_client.post(
        f"/admin/forum_posts/edit/{reply.pk}/",
        {"source": "**Tidied** <p onclick='x()'>", "status": "published"},
    )
    reply.refresh_from_db()
    assert reply.source == "**Tidied** <p onclick='x()'>"
    # Raw HTML in Markdown is text, escaped.
    assert reply.body == "<p><strong>Tidied</strong> &lt;p onclick='x()'&gt;</p>"

    editor_client.post(f"/admin/forum_posts/delete/{reply.pk}/")
    assert not Post.objects.filter(pk=reply.pk).exists()
    thread.refresh_from_db()
    assert thread.post_count == 1


def test_threads_and_posts_are_not_written_in_the_admin(editor_client):
    for url in ("/admin/forum_threads/new/", "/admin/forum_posts/new/"):
        response = editor_client.get(url)
        assert response.status_code == 302, url
    listing = editor_client.get("/admin/forum_threads/").content.decode()
    assert "/admin/forum_threads/new/" not in listing


def test_organisation_members_do_not_moderate(client, forum):
    member = UserFactory()
    MembershipFactory(user=member)
    assert member.groups.filter(name=ORGANISATION_MEMBERS).exists()
    client.force_login(member)

    for url in ("/admin/forum_forums/", "/admin/forum_threads/", "/admin/forum_posts/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/admin/"


def test_the_site_editors_group_holds_the_forum_permissions():
    codenames = set(
        Group.objects.get(name="Site editors")
        .permissions.filter(content_type__app_label="forums")
        .values_list("codename", flat=True)
    )
    assert codenames == {
        f"{action}_{model}"
        for model in ("forum", "thread", "post", "suspension")
        for action in ("add", "change", "delete", "view")
    }
