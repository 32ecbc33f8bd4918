"""Posts in Markdown: rendering, dir="auto", quoting, preview without JavaScript, the edit
window and the edit history, and who may edit what."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from forums.factories import PostFactory, ThreadFactory
from forums.models import Post, PostRevision

pytestmark = pytest.mark.django_db


def reply_url(thread):
    return reverse("forums:reply", kwargs={"forum_slug": thread.forum.slug, "pk": thread.pk})


def edit_url(post):
    return reverse("forums:post_edit", kwargs={"pk": post.pk})


def test_a_reply_is_stored_as_markdown_and_sanitised_html(member_client, member, forum):
    thread = ThreadFactory(forum=forum)

    response = member_client.post(
        reply_url(thread), {"body": "**Yes**: see [the guide](https://example.org/g)"}
    )

    post = thread.posts.get(author=member)
    assert response.status_code == 302
    assert post.source == "**Yes**: see [the guide](https://example.org/g)"
    assert post.body == (
        '<p><strong>Yes</strong>: see <a href="https://example.org/g" '
        'rel="nofollow ugc noopener">the guide</a></p>'
    )


def test_post_bodies_read_their_own_direction(client, forum):
    thread = ThreadFactory(forum=forum, first_post="<p>الموازنة التشاركية</p>")

    html = client.get(thread.get_absolute_url()).content.decode()

    assert '<div class="post__body prose" lang="en" dir="auto"><p>الموازنة التشاركية</p>' in html


def test_quoting_prefills_a_blockquote_linking_to_the_quoted_post(member_client, forum):
    thread = ThreadFactory(forum=forum)
    quoted = PostFactory(thread=thread, source="We used SMS voting.\nIt worked.")
    quoted.author.first_name, quoted.author.last_name = "Giorgi", "Beridze"
    quoted.author.save()

    page = member_client.get(thread.get_absolute_url()).content.decode()
    assert f"{reply_url(thread)}?quote={quoted.pk}#id_body" in page

    form = member_client.get(f"{reply_url(thread)}?quote={quoted.pk}").context["form"]
    anchor = f"{thread.get_absolute_url()}#post-{quoted.pk}"
    assert form.initial["body"] == (
        f"> [Giorgi Beridze]({anchor}):\n>\n> We used SMS voting.\n> It worked.\n\n"
    )

    member_client.post(reply_url(thread), {"body": form.initial["body"] + "Thanks!"})
    body = thread.posts.last().body
    assert (
        f'<blockquote>\n<p><a href="{anchor}" rel="nofollow ugc noopener">Giorgi Beridze</a>'
        in (body)
    )


def test_preview_renders_without_saving_and_keeps_the_text(member_client, forum):
    thread = ThreadFactory(forum=forum)

    response = member_client.post(reply_url(thread), {"body": "*draft*", "preview": "1"})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="post__body prose" dir="auto"><p><em>draft</em></p></div>' in html
    assert ">\n*draft*</textarea>" in html
    assert thread.posts.count() == 1


def test_an_author_edits_within_the_window_and_the_history_keeps_the_old_text(
    member_client, member, moderator, client, forum
):
    post = ThreadFactory(forum=forum, author=member).posts.get()
    post.source = "First version"
    post.save()

    response = member_client.post(edit_url(post), {"body": "Second version"})

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == "<p>Second version</p>" and post.was_edited
    revision = PostRevision.objects.get(post=post)
    assert (revision.source, revision.body, revision.edited_by) == (
        "First version",
        "<p>First version</p>",
        member,
    )
    page = member_client.get(post.thread.get_absolute_url()).content.decode()
    assert "· edited" in page
    history_url = reverse("forums:post_history", kwargs={"pk": post.pk})
    assert history_url not in page
    assert member_client.get(history_url).status_code == 403

    client.force_login(moderator)
    assert history_url in client.get(post.thread.get_absolute_url()).content.decode()
    history = client.get(history_url).content.decode()
    assert "<p>First version</p>" in history and "<p>Second version</p>" in history


def test_after_the_window_the_author_can_no_longer_edit(member_client, member, forum, settings):
    settings.FORUMS = {**settings.FORUMS, "EDIT_WINDOW_MINUTES": 30}
    post = ThreadFactory(forum=forum, author=member).posts.get()

    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        page = member_client.get(post.thread.get_absolute_url()).content.decode()
        response = member_client.post(edit_url(post), {"body": "Too late"})

    assert edit_url(post) not in page
    assert response.status_code == 403
    assert "can be edited for 30 minutes" in response.content.decode()
    assert Post.objects.get(pk=post.pk).body.startswith("<p>Opening post")


def test_moderators_edit_any_post_at_any_time(client, moderator, forum):
    post = ThreadFactory(forum=forum).posts.get()
    client.force_login(moderator)

    with time_machine.travel(timezone.now() + timedelta(days=3)):
        response = client.post(edit_url(post), {"body": "Removed: off topic."})

    assert response.status_code == 302
    assert Post.objects.get(pk=post.pk).body == "<p>Removed: off topic.</p>"


def test_only_the_author_edits(member_client, forum):
    post = ThreadFactory(forum=forum).posts.get()

    response = member_client.post(edit_url(post), {"body": "Hijacked"})

    assert response.status_code == 403
    assert "Only the author of a post can edit it." in response.content.decode()
    assert not PostRevision.objects.exists()


def test_a_post_from_before_markdown_is_offered_as_markdown(member_client, member, forum):
    post = ThreadFactory(
        forum=forum,
        author=member,
        first_post='<p>See <a href="https://x.example">this</a> <strong>now</strong></p>',
    ).posts.get()
    assert post.source == ""

    form = member_client.get(edit_url(post)).context["form"]

    assert form.initial["body"] == "See [this](https://x.example) **now**"
