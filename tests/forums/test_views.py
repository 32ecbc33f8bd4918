"""The forum pages: reading, starting threads, replying, editing one's own post, signing in;
and every kind of bad input answered with a form error, a 403 or a 404, never a 500."""

import pytest
from allauth.account.models import EmailAddress
from django.db import DatabaseError
from django.urls import reverse
from django.utils import translation

from forums.factories import ForumFactory, PostFactory, ThreadFactory
from forums.models import Post, Thread
from forums.views import POSTS_PER_PAGE, THREADS_PER_PAGE
from members.factories import UserFactory
from taxonomy.models import Country, Theme
from tests.forums.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def new_thread_url(forum):
    return reverse("forums:thread_create", kwargs={"slug": forum.slug})


def reply_url(thread):
    return reverse("forums:reply", kwargs={"forum_slug": thread.forum.slug, "pk": thread.pk})


def thread_data(**changes):
    data = {
        "title": "How did you choose the first projects?",
        "language": "en",
        "themes": [Theme.objects.get(slug="participatory-budgeting").pk],
        "countries": [Country.objects.get(code="GE").pk],
        "body": "We are starting participatory budgeting in Ozurgeti.\n\nAny advice?",
    }
    data.update(changes)
    return data


def errors_of(response, field):
    return response.context["form"].errors.get(field, [])


# -- reading ----------------------------------------------------------------------------


def test_the_index_lists_forums_with_counts_and_last_post(client, forum):
    thread = ThreadFactory(forum=forum, title="Voting by text message")
    PostFactory(thread=thread, author=UserFactory(first_name="Giorgi", last_name="Beridze"))
    ForumFactory(name="Grant schemes", position=5)

    response = client.get("/forums/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Participatory budgeting" in html and "Grant schemes" in html
    assert "1 thread" in html and "2 posts" in html
    assert "Voting by text message" in html and "Giorgi Beridze" in html
    assert html.index("Participatory budgeting") < html.index("Grant schemes")


def test_the_header_links_to_the_forums_and_to_sign_in(client, site_tree):
    html = client.get("/").content.decode()
    assert 'href="/forums/"' in html
    assert 'href="/accounts/login/?next=%2F"' in html

    html = client.get("/ar/").content.decode()
    assert 'href="/ar/forums/"' in html


def test_a_forum_lists_pinned_threads_first_then_by_last_activity(client, forum):
    quiet = ThreadFactory(forum=forum, title="Quiet thread")
    pinned = ThreadFactory(forum=forum, title="Read this first", is_pinned=True)
    busy = ThreadFactory(forum=forum, title="Busy thread")
    PostFactory(thread=quiet)  # the most recent activity
    ThreadFactory(title="Elsewhere")

    response = client.get(forum.get_absolute_url())

    assert [thread.pk for thread in response.context["page_obj"]] == [
        pinned.pk,
        quiet.pk,
        busy.pk,
    ]
    assert "Elsewhere" not in response.content.decode()


def test_a_thread_shows_its_posts_with_authors_and_dates(client, forum):
    author = UserFactory(first_name="Nino", last_name="Kapanadze")
    thread = ThreadFactory(forum=forum, author=author, first_post="<p>Opening words.</p>")
    PostFactory(thread=thread, body="<p>A <strong>helpful</strong> reply.</p>")

    response = client.get(thread.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Opening words." in html and "A <strong>helpful</strong> reply." in html
    assert "Nino Kapanadze" in html
    assert f'id="post-{thread.posts.first().pk}"' in html
    assert "<time datetime=" in html
    assert "Sign in to reply." in html


def test_an_arabic_thread_is_marked_right_to_left(client, forum):
    thread = ThreadFactory(forum=forum, language="ar", title="الموازنة التشاركية")

    html = client.get(thread.get_absolute_url()).content.decode()

    assert 'lang="ar" dir="rtl"' in html


def test_pages_past_the_end_or_not_numbers_never_fail(client, forum):
    ThreadFactory.create_batch(THREADS_PER_PAGE + 3, forum=forum)

    for page, shown in [("abc", 1), ("99999", 2), ("-1", 2), ("2", 2), ("", 1), ("1.5", 1)]:
        response = client.get(forum.get_absolute_url(), {"page": page})
        assert response.status_code == 200, page
        assert response.context["page_obj"].number == shown, page


def test_a_threads_pages(client, forum):
    thread = ThreadFactory(forum=forum)
    PostFactory.create_batch(POSTS_PER_PAGE, thread=thread)

    last = client.get(thread.get_absolute_url(), {"page": "99999"})
    first = client.get(thread.get_absolute_url(), {"page": "abc"})

    assert last.status_code == first.status_code == 200
    assert len(last.context["posts"]) == 1
    assert len(first.context["posts"]) == POSTS_PER_PAGE
    assert 'rel="next"' in first.content.decode()


def test_unknown_forums_threads_and_posts_are_404(client, member_client, forum):
    thread = ThreadFactory(forum=forum)
    assert client.get("/forums/no-such-forum/").status_code == 404
    assert client.get(f"/forums/{forum.slug}/999999/").status_code == 404
    assert member_client.get("/forums/no-such-forum/new/").status_code == 404
    assert member_client.get(f"/forums/{forum.slug}/999999/reply/").status_code == 404
    assert member_client.get("/forums/posts/999999/edit/").status_code == 404
    assert client.get(f"/forums/{forum.slug}/{thread.pk}abc/").status_code == 404


def test_a_moved_thread_keeps_its_old_address(client, forum):
    thread = ThreadFactory(forum=forum)
    old_url = thread.get_absolute_url()
    thread.forum = ForumFactory(name="Elsewhere")
    thread.save()

    response = client.get(old_url)

    assert response.status_code == 301
    assert response["Location"] == thread.get_absolute_url()


# -- signing in -------------------------------------------------------------------------


def test_posting_needs_an_account(client, forum):
    thread = ThreadFactory(forum=forum)

    for url in (new_thread_url(forum), reply_url(thread)):
        response = client.post(url, thread_data())
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    assert Thread.objects.count() == 1
    assert Post.objects.count() == 1


def test_the_sign_in_page_signs_in_and_comes_back(client, forum, member):
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    with translation.override("ro"):
        target = new_thread_url(forum)
    response = client.get(target)
    assert response["Location"] == f"/ro/accounts/login/?next=/ro/forums/{forum.slug}/new/"

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'name="login"' in page.content.decode()

    wrong = client.post("/ro/accounts/login/", {"login": "ana", "password": "nope", "next": target})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors

    signed_in = client.post(
        "/ro/accounts/login/", {"login": "ana", "password": PASSWORD, "next": target}
    )
    assert signed_in["Location"] == target
    assert client.get(target).status_code == 200


def test_signing_out(member_client):
    html = member_client.get("/forums/").content.decode()
    assert "Sign out" in html and "Ana Popescu" in html

    response = member_client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/forums/"
    assert "Sign out" not in member_client.get("/forums/").content.decode()


# -- starting a thread ------------------------------------------------------------------


def test_starting_a_thread_saves_it_with_its_first_post(member_client, member, forum):
    response = member_client.post(new_thread_url(forum), thread_data())

    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()
    assert (thread.forum, thread.author, thread.language) == (forum, member, "en")
    assert [theme.slug for theme in thread.themes.all()] == ["participatory-budgeting"]
    assert [country.code for country in thread.countries.all()] == ["GE"]
    post = thread.posts.get()
    assert post.author == member
    assert post.body == (
        "<p>We are starting participatory budgeting in Ozurgeti.</p>\n<p>Any advice?</p>"
    )
    assert (thread.post_count, thread.last_post) == (1, post)


def test_the_language_of_a_new_thread_defaults_to_the_pages(member_client, forum):
    with translation.override("ka"):
        url = new_thread_url(forum)

    response = member_client.get(url)

    assert response.status_code == 200
    assert response.context["form"]["language"].value() == "ka"
    # Themes are offered by their labels in the page's language.
    themes = response.context["form"]["themes"]
    labels = {choice.data["value"].instance.slug: choice.choice_label for choice in themes}
    assert labels["participatory-budgeting"] == "მონაწილეობითი ბიუჯეტირება"
    assert labels["youth"] == "ახალგაზრდობა"
    assert "მონაწილეობითი ბიუჯეტირება" in response.content.decode()


def test_the_thread_and_its_first_post_are_saved_together_or_not_at_all(
    member_client, forum, monkeypatch
):
    def broken_save(self, *args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(Post, "save", broken_save)

    with pytest.raises(DatabaseError):
        member_client.post(new_thread_url(forum), thread_data())

    assert not Thread.objects.exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 300}, "title"),
        ({"title": "Null\x00byte"}, "title"),
        ({"body": ""}, "body"),
        ({"body": "***"}, "body"),
        ({"body": "![](https://example.org/x.png)"}, "body"),
        ({"body": "x" * 20_001}, "body"),
        ({"themes": ["999999"]}, "themes"),
        ({"themes": ["abc"]}, "themes"),
        ({"countries": ["999999"]}, "countries"),
        ({"language": "xx"}, "language"),
    ],
)
def test_bad_input_for_a_new_thread_is_a_form_error(member_client, forum, changes, field):
    response = member_client.post(new_thread_url(forum), thread_data(**changes))

    assert response.status_code == 200
    assert errors_of(response, field), response.context["form"].errors
    assert "Nothing was saved" in response.content.decode()
    assert not Thread.objects.exists()


def test_only_get_and_post(member_client, forum):
    assert member_client.put(new_thread_url(forum)).status_code == 405


# -- replying ---------------------------------------------------------------------------


def test_replying_adds_a_post_and_lands_on_it(member_client, member, forum):
    thread = ThreadFactory(forum=forum)
    PostFactory.create_batch(POSTS_PER_PAGE, thread=thread)

    response = member_client.post(reply_url(thread), {"body": "Thank you, this helps."})

    post = Post.objects.latest("pk")
    assert (post.thread, post.author, post.body) == (
        thread,
        member,
        "<p>Thank you, this helps.</p>",
    )
    assert response["Location"] == f"{thread.get_absolute_url()}?page=2#post-{post.pk}"
    assert member_client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("body", ["", "   ", "[](https://example.org)", "x" * 20_001])
def test_a_bad_reply_is_a_form_error(member_client, forum, body):
    thread = ThreadFactory(forum=forum)

    response = member_client.post(reply_url(thread), {"body": body})

    assert response.status_code == 200
    assert errors_of(response, "body")
    assert thread.posts.count() == 1


def test_a_locked_thread_refuses_replies(member_client, forum):
    thread = ThreadFactory(forum=forum, is_locked=True)

    page = member_client.get(thread.get_absolute_url())
    form = member_client.get(reply_url(thread))
    response = member_client.post(reply_url(thread), {"body": "Let me in."})

    assert "it takes no more replies" in page.content.decode()
    assert page.context["reply_form"] is None
    assert form.status_code == response.status_code == 403
    assert "This thread is locked" in response.content.decode()
    assert thread.posts.count() == 1


# -- editing ----------------------------------------------------------------------------


def test_authors_edit_their_own_posts(member_client, member, forum):
    thread = ThreadFactory(forum=forum)
    post = PostFactory(thread=thread, author=member, body="<p>Frist draft.</p>")

    page = member_client.get(thread.get_absolute_url()).content.decode()
    edit_url = reverse("forums:post_edit", kwargs={"pk": post.pk})
    assert edit_url in page
    form = member_client.get(edit_url)
    assert form.status_code == 200
    response = member_client.post(edit_url, {"body": "First draft, corrected."})

    post.refresh_from_db()
    assert post.body == "<p>First draft, corrected.</p>"
    assert post.was_edited
    assert response["Location"] == f"{thread.get_absolute_url()}#post-{post.pk}"
    assert "edited" in member_client.get(thread.get_absolute_url()).content.decode()


def test_nobody_edits_someone_elses_post(member_client, other_member, forum):
    thread = ThreadFactory(forum=forum)
    post = PostFactory(thread=thread, author=other_member, body="<p>Mine.</p>")
    edit_url = reverse("forums:post_edit", kwargs={"pk": post.pk})

    assert edit_url not in member_client.get(thread.get_absolute_url()).content.decode()
    response = member_client.post(edit_url, {"body": "Yours now."})

    assert response.status_code == 403
    assert "Only the author" in response.content.decode()
    post.refresh_from_db()
    assert post.body == "<p>Mine.</p>"


def test_signed_out_visitors_are_sent_to_sign_in_to_edit(forum, member):
    from django.test import Client

    post = ThreadFactory(forum=forum, author=member).posts.get()

    response = Client().get(reverse("forums:post_edit", kwargs={"pk": post.pk}))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_posts_of_a_locked_thread_stay_as_they_are(member_client, member, forum):
    thread = ThreadFactory(forum=forum, author=member, is_locked=True)
    post = thread.posts.get()

    response = member_client.post(
        reverse("forums:post_edit", kwargs={"pk": post.pk}), {"body": "Changed."}
    )

    assert response.status_code == 403
    assert "locked" in response.content.decode()


def test_moderators_edit_any_post(client, moderator, forum):
    thread = ThreadFactory(forum=forum, is_locked=True)
    post = thread.posts.get()
    client.force_login(moderator)

    response = client.post(
        reverse("forums:post_edit", kwargs={"pk": post.pk}), {"body": "Removed: off topic."}
    )

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == "<p>Removed: off topic.</p>"


def test_a_bad_edit_is_a_form_error(member_client, member, forum):
    post = ThreadFactory(forum=forum, author=member).posts.get()

    response = member_client.post(
        reverse("forums:post_edit", kwargs={"pk": post.pk}), {"body": "![](x.png)"}
    )

    assert response.status_code == 200
    assert errors_of(response, "body")
    post.refresh_from_db()
    assert post.body.startswith("<p>Opening post")
