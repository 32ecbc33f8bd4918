"""Restricted forums (issue 13, "restricted content invisible to outsiders"): a forum read by
signed-in members, by one organisation's members or by site editors is, to anyone else, a
404 everywhere (forum, thread, feeds, posting, replying, flagging, watching), absent from
the forum index, the search page, the search and read APIs (the database backend, its index
built from the documents), the sitemap, the site-wide feeds, the member, organisation and
practice pages, and nobody outside hears of its posts (emails through a real SMTP server).

The other permissions the issue names are tested where they live: only the author edits
(tests/forums/test_posts.py, tests/forums/test_views.py), a suspended member cannot post
(tests/forums/test_moderation.py)."""

import xml.etree.ElementTree as ET
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from forums import access
from forums.factories import ForumFactory, PostFactory, ThreadFactory
from forums.models import Audience, Flag, Forum, Notification, Post, Thread, Watch
from members.factories import MembershipFactory, OrganisationFactory, ProfileFactory, UserFactory
from members.groups import SITE_EDITORS
from practices.factories import PracticePageFactory
from search.models import SearchDocument

pytestmark = pytest.mark.django_db

SECRET = "Quarrymoss"  # a word only the restricted thread holds
OPEN = "Lanternfield"  # a word only the public thread holds


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Municipality of Ozurgeti", slug="ozurgeti")


@pytest.fixture
def people(organisation):
    editor = UserFactory(username="editor")
    editor.groups.add(Group.objects.get(name=SITE_EDITORS))
    insider = UserFactory(username="insider")
    MembershipFactory(user=insider, organisation=organisation)
    stranger = UserFactory(username="stranger")
    MembershipFactory(user=stranger, organisation=OrganisationFactory(name="Elsewhere"))
    return {
        "editor": editor,
        "insider": insider,
        "stranger": stranger,  # another organisation's member
        "signed_in": UserFactory(username="signed_in"),  # no organisation
        "anonymous": None,
    }


# Who reads each audience, and who is outside it (site editors read every forum).
READERS = {
    Audience.MEMBERS: (["signed_in", "stranger", "insider", "editor"], ["anonymous"]),
    Audience.ORGANISATION: (["insider", "editor"], ["anonymous", "signed_in", "stranger"]),
    Audience.EDITORS: (["editor"], ["anonymous", "signed_in", "stranger", "insider"]),
}


@pytest.fixture(params=list(READERS), ids=lambda audience: audience.value)
def audience(request):
    return request.param


@pytest.fixture
def restricted(audience, organisation):
    forum = ForumFactory(
        name="Back office",
        slug="back-office",
        audience=audience,
        organisation=organisation if audience == Audience.ORGANISATION else None,
    )
    author = UserFactory(username="author")
    thread = ThreadFactory(
        forum=forum,
        author=author,
        title=f"{SECRET} budget lines",
        first_post=f"<p>{SECRET} figures for the council.</p>",
    )
    return forum, thread


@pytest.fixture
def public(db):
    forum = ForumFactory(name="Open talk", slug="open-talk")
    thread = ThreadFactory(
        forum=forum, title=f"{OPEN} hearings", first_post=f"<p>{OPEN} hearing notes.</p>"
    )
    return forum, thread


def client_of(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def urls_of(forum, thread):
    """Every address of a forum and a thread: (method, url, data)."""
    post = thread.posts.get()
    return [
        ("get", reverse("forums:forum", args=[forum.slug]), None),
        ("get", reverse("forums:forum_rss", args=[forum.slug]), None),
        ("get", reverse("forums:forum_atom", args=[forum.slug]), None),
        ("get", reverse("forums:thread_create", args=[forum.slug]), None),
        ("post", reverse("forums:thread_create", args=[forum.slug]), {"title": "Hi", "body": "x"}),
        ("post", reverse("forums:watch_forum", args=[forum.slug]), {"watch": "1"}),
        ("get", reverse("forums:thread", args=[forum.slug, thread.pk]), None),
        ("get", reverse("forums:thread_rss", args=[forum.slug, thread.pk]), None),
        ("get", reverse("forums:thread_atom", args=[forum.slug, thread.pk]), None),
        ("get", reverse("forums:reply", args=[forum.slug, thread.pk]), None),
        ("post", reverse("forums:reply", args=[forum.slug, thread.pk]), {"body": "Let me in."}),
        ("post", reverse("forums:watch_thread", args=[thread.pk]), {"watch": "1"}),
        ("get", reverse("forums:post_flag", args=[post.pk]), None),
        ("post", reverse("forums:post_flag", args=[post.pk]), {"reason": "spam"}),
        ("get", reverse("forums:post_edit", args=[post.pk]), None),
        ("get", reverse("forums:post_history", args=[post.pk]), None),
        ("post", reverse("forums:accept_answer", args=[post.pk]), {}),
    ]


def test_outsiders_get_404_everywhere_and_change_nothing(audience, restricted, people):
    forum, thread = restricted
    outsiders = READERS[audience][1]
    for name in outsiders:
        client = client_of(people[name])
        for method, url, data in urls_of(forum, thread):
            response = getattr(client, method)(url, data or {})
            assert response.status_code == 404, (name, method, url, response.status_code)
            assert SECRET not in response.content.decode(), (name, url)
    assert Post.objects.filter(thread__forum=forum).count() == 1
    assert Thread.objects.filter(forum=forum).count() == 1
    assert not Watch.objects.filter(member__username__in=outsiders).exists()
    assert not Flag.objects.exists()


def test_an_anonymous_visitor_cannot_tell_a_restricted_thread_from_a_missing_one(restricted):
    forum, thread = restricted
    client = Client()
    restricted_page = client.get(reverse("forums:reply", args=[forum.slug, thread.pk]))
    missing_page = client.get(reverse("forums:reply", args=[forum.slug, thread.pk + 1000]))
    assert restricted_page.status_code == missing_page.status_code == 404


def test_a_public_thread_still_asks_an_anonymous_visitor_to_sign_in(public):
    forum, thread = public
    response = Client().get(reverse("forums:reply", args=[forum.slug, thread.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_insiders_read_reply_flag_and_watch(audience, restricted, people):
    forum, thread = restricted
    for name in READERS[audience][0]:
        client = client_of(people[name])
        index = client.get(reverse("forums:index")).content.decode()
        assert "Back office" in index, name
        forum_page = client.get(reverse("forums:forum", args=[forum.slug]))
        assert forum_page.status_code == 200 and SECRET in forum_page.content.decode()
        page = client.get(reverse("forums:thread", args=[forum.slug, thread.pk]))
        assert page.status_code == 200 and f"{SECRET} figures" in page.content.decode()
        for feed in ("forums:thread_rss", "forums:thread_atom"):
            response = client.get(reverse(feed, args=[forum.slug, thread.pk]))
            assert response.status_code == 200 and f"{SECRET} figures" in response.content.decode()
        for feed in ("forums:forum_rss", "forums:forum_atom"):
            response = client.get(reverse(feed, args=[forum.slug]))
            assert response.status_code == 200 and SECRET in response.content.decode()
        reply = client.post(
            reverse("forums:reply", args=[forum.slug, thread.pk]), {"body": f"Reply by {name}."}
        )
        assert reply.status_code == 302, name
        assert thread.posts.filter(author=people[name], source=f"Reply by {name}.").exists()
        flag = client.get(reverse("forums:post_flag", args=[thread.posts.first().pk]))
        assert flag.status_code == 200
        watch = client.post(reverse("forums:watch_forum", args=[forum.slug]), {"watch": "1"})
        assert watch.status_code == 302
        assert Watch.objects.filter(member=people[name], forum=forum).exists()


def test_the_forum_index_hides_restricted_forums_from_outsiders(audience, restricted, people):
    for name in READERS[audience][1]:
        index = client_of(people[name]).get(reverse("forums:index"))
        assert index.status_code == 200
        assert "Back office" not in index.content.decode(), name


def test_may_read_and_the_filters_agree(audience, restricted, people):
    forum, thread = restricted
    insiders, outsiders = READERS[audience]
    readers = set(
        type(people["editor"])
        .objects.filter(access.readers(forum))
        .filter(username__in=[*insiders, *outsiders])
        .values_list("username", flat=True)
    )
    assert readers == set(insiders)
    for name in [*insiders, *outsiders]:
        user = people[name] or AnonymousUser()
        expected = name in insiders
        assert access.may_read(user, forum) is expected, name
        assert Thread.objects.readable_by(user).filter(pk=thread.pk).exists() is expected, name


def test_site_editors_set_the_audience_in_the_admin(people, public, organisation):
    forum, thread = public
    client = client_of(people["editor"])
    url = f"/admin/forum_forums/edit/{forum.pk}/"
    data = {"name": forum.name, "slug": forum.slug, "description": "", "theme": "", "position": 0}

    refused = client.post(url, {**data, "audience": "organisation", "organisation": ""})
    assert refused.status_code == 200
    assert "Choose the organisation whose members read this forum." in refused.content.decode()
    forum.refresh_from_db()
    assert forum.audience == Audience.EVERYONE

    saved = client.post(url, {**data, "audience": "organisation", "organisation": organisation.pk})
    assert saved.status_code == 302
    forum.refresh_from_db()
    assert (forum.audience, forum.organisation) == (Audience.ORGANISATION, organisation)
    assert not SearchDocument.objects.filter(object_type="thread", object_id=thread.pk).exists()
    listing = client.get("/admin/forum_forums/").content.decode()
    assert "Members of one organisation" in listing
    insider_page = client_of(people["insider"]).get(forum.get_absolute_url()).content.decode()
    assert "Read by the members of Municipality of Ozurgeti only" in insider_page
    assert Client().get(forum.get_absolute_url()).status_code == 404


def test_an_organisation_forum_needs_its_organisation(organisation):
    forum = Forum(name="Staff", slug="staff", audience=Audience.ORGANISATION)
    with pytest.raises(ValidationError) as error:
        forum.full_clean()
    assert "organisation" in error.value.message_dict
    forum = Forum(name="Open", slug="open", audience=Audience.EVERYONE, organisation=organisation)
    with pytest.raises(ValidationError) as error:
        forum.full_clean()
    assert "organisation" in error.value.message_dict


def test_an_organisation_forum_whose_organisation_goes_is_left_to_site_editors(people):
    organisation = OrganisationFactory(name="Dissolved")
    MembershipFactory(user=people["signed_in"], organisation=organisation)
    forum = ForumFactory(audience=Audience.ORGANISATION, organisation=organisation)
    organisation.delete()
    forum.refresh_from_db()
    assert forum.organisation is None
    assert not access.may_read(people["signed_in"], forum)
    assert access.may_read(people["editor"], forum)


# -- search, read API, sitemap, site-wide feeds ------------------------------------------


def rebuild_index():
    call_command("search_index", "rebuild", "--no-progress", stdout=StringIO())


def test_the_search_never_holds_a_restricted_thread(restricted, public, people):
    forum, thread = restricted
    rebuild_index()
    assert not SearchDocument.objects.filter(object_type="thread", object_id=thread.pk).exists()
    assert SearchDocument.objects.filter(object_type="thread", object_id=public[1].pk).exists()

    for name in ("anonymous", "insider", "editor"):
        client = client_of(people[name])
        page = client.get(reverse("search"), {"q": SECRET}).content.decode()
        assert f"{SECRET} budget lines" not in page, name
        assert f"{OPEN} hearings" in client.get(reverse("search"), {"q": OPEN}).content.decode()
        found = client.get("/api/search/", {"q": SECRET, "type": "thread"}).json()
        assert found["results"] == [] and found["count"] == 0
        listed = client.get("/api/threads/", {"q": SECRET}).json()
        assert listed["count"] == 0 and listed["results"] == []
        assert client.get(f"/api/threads/{thread.pk}/").status_code == 404
        every = client.get("/api/threads/").json()
        assert [row["id"] for row in every["results"]] == [public[1].pk]
        assert client.get(f"/api/threads/{public[1].pk}/").status_code == 200


def test_restricting_a_forum_removes_its_threads_from_the_search_and_opening_it_adds_them(
    public, organisation
):
    forum, thread = public
    documents = SearchDocument.objects.filter(object_type="thread", object_id=thread.pk)
    assert documents.exists()

    forum.audience, forum.organisation = Audience.ORGANISATION, organisation
    forum.save()
    assert not documents.exists()
    response = Client().get("/api/search/", {"q": OPEN, "type": "thread"}).json()
    assert response["count"] == 0

    forum.audience, forum.organisation = Audience.EVERYONE, None
    forum.save()
    assert documents.get().title == f"{OPEN} hearings"
    response = Client().get("/api/search/", {"q": OPEN, "type": "thread"}).json()
    assert [hit["title"] for hit in response["results"]] == [f"{OPEN} hearings"]


def test_a_thread_moved_into_a_restricted_forum_leaves_the_search(public, restricted):
    thread = public[1]
    thread.forum = restricted[0]
    thread.save()
    assert not SearchDocument.objects.filter(object_type="thread", object_id=thread.pk).exists()


def test_the_sitemap_and_the_site_wide_feeds_leave_restricted_threads_out(restricted, public):
    forum, thread = restricted
    rebuild_index()
    client = Client()
    sitemap = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [
        url.text for url in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert any(location.endswith(public[1].get_absolute_url()) for location in locations)
    assert not any(location.endswith(thread.get_absolute_url()) for location in locations)
    for name in ("newsletters:feed_search_rss", "newsletters:feed_search_atom"):
        feed = client.get(reverse(name), {"type": "thread"}).content.decode()
        assert f"{OPEN} hearings" in feed and SECRET not in feed, name
    search_feed = client.get(reverse("search_feed"), {"type": "thread"}).content.decode()
    assert f"{OPEN} hearings" in search_feed and SECRET not in search_feed


# -- member, organisation and practice pages ------------------------------------------


def test_member_organisation_and_practice_pages_show_restricted_threads_to_insiders_only(
    audience, restricted, people, organisation, site_tree
):
    forum, thread = restricted
    author = thread.author
    ProfileFactory(user=author, is_listed=True)
    MembershipFactory(user=author, organisation=organisation)
    practice = PracticePageFactory(
        parent=site_tree["en"].practices, title="Budget hearings", lead_organisation=organisation
    )
    thread.about_page = practice
    thread.save()
    pages = [
        reverse("home:person", kwargs={"pk": author.pk}),
        reverse("home:organisation", kwargs={"slug": organisation.slug}),
        practice.url,
    ]
    insiders, outsiders = READERS[audience]
    for name in [*insiders, *outsiders]:
        client = client_of(people[name])
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            shows = f"{SECRET} budget lines" in response.content.decode()
            assert shows is (name in insiders), (name, url)


def test_asking_from_a_practice_page_never_lands_in_a_restricted_forum(
    restricted, people, site_tree
):
    practice = PracticePageFactory(parent=site_tree["en"].practices, title="Wells")
    open_forum = ForumFactory(name="Questions", slug="questions", position=5)
    response = client_of(people["editor"]).get(reverse("forums:ask", args=[practice.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("forums:thread_create", args=[open_forum.slug]))


# -- notifications ------------------------------------------------------------------------


@pytest.fixture
def committed(django_capture_on_commit_callbacks, smtp_server):
    def run(action, *args, **kwargs):
        before = len(smtp_server.messages)
        with django_capture_on_commit_callbacks(execute=True):
            action(*args, **kwargs)
        return smtp_server.messages[before:]

    return run


def test_a_post_in_a_restricted_forum_reaches_only_its_readers(
    audience, restricted, people, committed
):
    forum, thread = restricted
    insiders, outsiders = READERS[audience]
    watchers = [people[name] for name in [*insiders, *outsiders] if people[name] is not None]
    # Watching from when the forum was public, and mentioned: still not told.
    for watcher in watchers:
        Watch.objects.create(member=watcher, forum=forum)
    mentions = " ".join(f"@{watcher.username}" for watcher in watchers)
    author = thread.author

    received = committed(
        lambda: PostFactory(thread=thread, author=author, source=f"Figures, {mentions}.")
    )

    addressed = sorted(address for message in received for address in message["to"])
    assert addressed == sorted(f"{name}@example.org" for name in insiders)
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert notified == set(insiders)


def test_a_digest_leaves_out_posts_of_a_forum_restricted_since(public, people, committed):
    from members.models import ForumEmails, Profile

    forum, thread = public
    reader, stranger = people["insider"], people["stranger"]
    for account in (reader, stranger):
        profile = Profile.for_user(account)
        profile.forum_emails = ForumEmails.DAILY
        profile.save()
        Watch.objects.create(member=account, forum=forum)
    committed(lambda: PostFactory(thread=thread, author=people["editor"], source="News."))
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2
    forum.audience = Audience.ORGANISATION
    forum.organisation = reader.memberships.get().organisation
    forum.save()

    received = committed(call_command, "send_forum_digests", stdout=StringIO())

    assert [message["to"] for message in received] == [[reader.email]]
    stranger_client = client_of(stranger)
    page = stranger_client.get(reverse("forums:notifications")).content.decode()
    assert "News." not in page and OPEN not in page
