"""The demo forums of `load_demo`: four forums, threads in the seven languages with replies,
counters and search documents that match, and nothing duplicated by a second run."""

import pytest
from django.conf import settings
from django.db import transaction

from demo.forums import FORUM_AUTHORS, THREADS
from demo.loader import DemoLoader
from forums.models import Forum, Post, Thread
from search.models import SearchDocument

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Loaded once for the module, in a transaction rolled back at its end; each test runs
    in a savepoint of it."""
    lines = []
    with django_db_blocker.unblock(), transaction.atomic():
        loader = DemoLoader(say=lines.append)
        loader.organisations_and_users()
        loader.forums()
        yield lines
        transaction.set_rollback(True)


@pytest.fixture
def demo_forums(demo_output, db):
    return demo_output


def test_the_demo_has_forums_and_threads_in_every_language(demo_forums):
    assert Forum.objects.count() == 4
    assert Thread.objects.count() == len(THREADS) >= 8
    assert set(Thread.objects.values_list("language", flat=True)) == {
        code for code, _name in settings.LANGUAGES
    }
    assert Post.objects.filter(thread__is_locked=False).count() > 2 * Thread.objects.count()
    assert Thread.objects.filter(is_pinned=True, is_locked=True).exists()
    assert not Post.objects.filter(author=None).exists()
    assert "Forums: 4 forums; 9 threads created, 0 already there." in demo_forums


def test_the_demo_counters_and_documents_match_the_posts(demo_forums):
    for forum in Forum.objects.all():
        posts = Post.objects.filter(thread__forum=forum)
        assert forum.thread_count == forum.threads.count()
        assert forum.post_count == posts.count()
        assert forum.last_post == posts.order_by("-created_at").first()
    for thread in Thread.objects.all():
        assert thread.post_count == thread.posts.count()
        assert thread.last_post_at == thread.posts.order_by("-created_at").first().created_at
        document = SearchDocument.objects.get(object_type="thread", object_id=thread.pk)
        assert document.language == thread.language


def test_invented_authors_cannot_sign_in(demo_forums, django_user_model):
    for username, _first, _last in FORUM_AUTHORS:
        assert not django_user_model.objects.get(username=username).has_usable_password()


def test_loading_the_demo_forums_again_changes_nothing(demo_forums):
    before = (Forum.objects.count(), Thread.objects.count(), Post.objects.count())
    lines = []

    DemoLoader(say=lines.append).forums()

    assert (Forum.objects.count(), Thread.objects.count(), Post.objects.count()) == before
    assert lines == ["Forums: 4 forums; 0 threads created, 9 already there."]


def test_the_demo_threads_render(demo_forums, client):
    for thread in Thread.objects.all():
        response = client.get(thread.get_absolute_url())
        assert response.status_code == 200
    assert client.get("/forums/").status_code == 200


def test_the_invented_authors_are_never_emailed_of_posts(demo_forums):
    from members.models import ForumEmails, Profile

    usernames = [username for username, _first, _last in FORUM_AUTHORS]
    choices = Profile.objects.filter(user__username__in=usernames).values_list(
        "forum_emails", flat=True
    )
    assert list(choices) == [ForumEmails.OFF] * len(usernames)
