"""Forum threads as editor's picks of a curated issue: chosen in the admin from public
threads only, and shown in the email and on the archive page with their forum and the
opening of their first post."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from forums.factories import PostFactory, ThreadFactory
from forums.models import PostStatus
from newsletters.factories import SubscriptionFactory
from newsletters.models import NewsletterIssuePage
from tests.newsletters.test_issues import archive, make_issue  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

OPENING = (
    "<p>We moved the budget vote online and turnout tripled. Here is how we ran the "
    "verification of residents.</p>"
)


@pytest.fixture
def threads():
    public = ThreadFactory(
        title="Online budget votes: how did you verify residents?",
        forum__name="Participatory budgeting",
        first_post=OPENING,
    )
    hidden = ThreadFactory(title="A thread held for moderation", first_post=False)
    PostFactory(thread=hidden, body="<p>Held.</p>", status=PostStatus.HIDDEN)
    hidden.refresh_from_db()
    return public, hidden


def with_thread_pick(issue, thread):
    issue.picks.append(("thread_pick", {"item": thread, "note": "The question of the month."}))
    issue.save_revision()
    return NewsletterIssuePage.objects.get(pk=issue.pk)


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("picker", "picker@example.org", "pw")
    client.force_login(user)
    return client


def test_the_chooser_lists_public_threads_only(editor_client, threads):
    public, hidden = threads

    response = editor_client.get(reverse("forum_thread_chooser:choose"))

    html = response.json()["html"]
    assert public.title in html
    assert hidden.title not in html
    assert reverse("forum_thread_chooser:chosen", args=[public.pk]) in html


def test_the_pick_block_refuses_a_thread_that_is_not_public(threads):
    public, hidden = threads
    item = NewsletterIssuePage.picks.field.stream_block.child_blocks["thread_pick"].child_blocks[
        "item"
    ]

    assert item.field.clean(str(public.pk)) == public
    with pytest.raises(ValidationError):
        item.field.clean(str(hidden.pk))


def test_an_issue_emails_its_thread_pick(archive, site_tree, threads, sent):  # noqa: F811
    public, _hidden = threads
    SubscriptionFactory(subscriber__email="reader@example.org")
    issue = with_thread_pick(make_issue(archive, site_tree), public)

    (message,) = sent(lambda: issue.get_latest_revision().publish())

    email = message["message"]
    assert message["to"] == ["reader@example.org"]
    url = f"https://testserver{public.get_absolute_url()}"
    text = email.get_body(preferencelist=("plain",)).get_content()
    assert (
        "* Online budget votes: how did you verify residents? "
        "(In the forum Participatory budgeting)" in text
    )
    assert url in text
    assert "We moved the budget vote online and turnout tripled." in text
    assert "The question of the month." in text
    # The practice picked before it is still there, first.
    assert text.index("Budget vote in Ozurgeti") < text.index("Online budget votes")
    html = email.get_body(preferencelist=("html",)).get_content()
    assert f'href="{url}"' in html
    assert "In the forum Participatory budgeting" in html


def test_the_archive_shows_the_thread_pick_until_the_thread_is_hidden(
    client,
    archive,  # noqa: F811
    site_tree,
    threads,
):
    public, _hidden = threads
    issue = with_thread_pick(make_issue(archive, site_tree), public)
    issue.get_latest_revision().publish()

    shown = client.get("/newsletter/issue-1/").content.decode()
    public.posts.update(status=PostStatus.HIDDEN)
    public.save()  # the counters follow the posts (forums.signal_handlers)
    public.refresh_from_db()
    gone = client.get("/newsletter/issue-1/").content.decode()

    assert f'href="https://testserver{public.get_absolute_url()}"' in shown
    assert "Online budget votes: how did you verify residents?" in shown
    assert "In the forum Participatory budgeting" in shown
    assert "turnout tripled" in shown
    assert public.post_count == 0
    assert "Online budget votes" not in gone
    assert "Budget vote in Ozurgeti" in gone
