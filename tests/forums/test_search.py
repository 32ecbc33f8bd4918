"""Forum threads in the site's search, through the real database search backend: a thread is
a document from its first post on, replies and edits change what finds it, deleting it
removes it, and `search_index rebuild` includes threads."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from forums.factories import ForumFactory, PostFactory, ThreadFactory
from forums.models import Thread
from search.models import SearchDocument
from taxonomy.models import Country, Theme

pytestmark = pytest.mark.django_db

API = "/api/search/"


def search(client, **params):
    response = client.get(API, {"type": "thread", **params})
    assert response.status_code == 200, response.content
    return response.json()


def document_of(thread):
    return SearchDocument.objects.get(object_type="thread", object_id=thread.pk)


@pytest.fixture
def budgeting_forum(db):
    return ForumFactory(
        name="Participatory budgeting",
        slug="participatory-budgeting",
        theme=Theme.objects.get(slug="participatory-budgeting"),
    )


def test_a_thread_started_on_the_site_is_a_search_document(member_client, member, budgeting_forum):
    response = member_client.post(
        reverse("forums:thread_create", kwargs={"slug": budgeting_forum.slug}),
        {
            "title": "Bugetare participativă în comunele mici",
            "language": "ro",
            "themes": [Theme.objects.get(slug="youth").pk],
            "countries": [Country.objects.get(code="RO").pk, Country.objects.get(code="MD").pk],
            "body": "Cum implicăm tinerii din satele comunei în alegerea proiectelor?",
        },
    )
    assert response.status_code == 302

    thread = Thread.objects.get()
    document = document_of(thread)
    assert document.key == f"thread:{thread.pk}:ro"
    assert document.language == "ro"
    assert document.title == "Bugetare participativă în comunele mici"
    assert document.summary == "Cum implicăm tinerii din satele comunei în alegerea proiectelor?"
    assert document.body == ""
    # The thread's theme, the forum's theme and its parent.
    assert set(document.themes) == {"youth", "participatory-budgeting", "citizen-participation"}
    assert document.countries == ["MD", "RO"]
    assert document.extra_labels == "Participatory budgeting"
    assert (
        document.url == thread.get_absolute_url() == f"/forums/participatory-budgeting/{thread.pk}/"
    )
    assert document.published_at == thread.created_at
    assert document.year is None and document.organisation == ""

    data = search(member_client, q="tinerii satele")
    assert [result["url"] for result in data["results"]] == [
        f"http://testserver/forums/participatory-budgeting/{thread.pk}/"
    ]
    assert data["results"][0]["type"] == "thread"
    assert data["results"][0]["language"] == "ro"


def test_a_replys_words_find_the_thread(client, budgeting_forum):
    thread = ThreadFactory(forum=budgeting_forum, title="Choosing projects")
    assert search(client, q="kindergarten")["count"] == 0

    PostFactory(thread=thread, body="<p>We ranked the <em>kindergarten</em> repairs first.</p>")

    data = search(client, q="kindergarten")
    assert data["count"] == 1
    assert data["results"][0]["title"] == "Choosing projects"
    assert "kindergarten" in document_of(thread).body


def test_editing_and_deleting_a_reply_update_the_document(client, budgeting_forum):
    thread = ThreadFactory(forum=budgeting_forum)
    reply = PostFactory(thread=thread, body="<p>Streetlights in Ozurgeti.</p>")
    assert search(client, q="streetlights")["count"] == 1

    reply.body = "<p>Playgrounds in Ozurgeti.</p>"
    reply.save()
    assert search(client, q="streetlights")["count"] == 0
    assert search(client, q="playgrounds")["count"] == 1

    reply.delete()
    assert search(client, q="playgrounds")["count"] == 0
    assert search(client, q="Ozurgeti")["count"] == 0
    assert document_of(thread).body == ""


def test_retitling_and_relabelling_a_thread_update_the_document(budgeting_forum):
    thread = ThreadFactory(forum=budgeting_forum, title="Old title", countries=["GE"])

    thread.title = "New title"
    thread.save()
    thread.countries.set([Country.objects.get(code="AM")])
    thread.themes.add(Theme.objects.get(slug="youth"))

    document = document_of(thread)
    assert document.title == "New title"
    assert document.countries == ["AM"]
    assert "youth" in document.themes


def test_threads_changed_from_the_themes_side_are_reindexed(budgeting_forum):
    youth = Theme.objects.get(slug="youth")
    thread = ThreadFactory(forum=budgeting_forum)

    youth.forum_threads.add(thread)
    assert "youth" in document_of(thread).themes

    youth.forum_threads.clear()
    assert "youth" not in document_of(thread).themes


def test_renaming_the_forum_updates_its_threads_documents(budgeting_forum):
    threads = ThreadFactory.create_batch(2, forum=budgeting_forum)

    budgeting_forum.name = "Participatory budgets"
    budgeting_forum.theme = None
    budgeting_forum.save()

    for thread in threads:
        document = document_of(thread)
        assert document.extra_labels == "Participatory budgets"
        assert document.themes == []


def test_deleting_a_thread_removes_its_document(client, budgeting_forum):
    thread = ThreadFactory(forum=budgeting_forum, title="Budget hearings in Rustavi")
    assert search(client, q="Rustavi")["count"] == 1

    thread.delete()

    assert not SearchDocument.objects.filter(object_type="thread").exists()
    assert search(client, q="Rustavi")["count"] == 0


def test_deleting_a_forum_removes_its_threads_documents(budgeting_forum):
    ThreadFactory.create_batch(2, forum=budgeting_forum)
    other = ThreadFactory()

    budgeting_forum.delete()

    assert list(SearchDocument.objects.filter(object_type="thread")) == [document_of(other)]


def test_threads_filter_by_language_theme_and_country(client, budgeting_forum):
    arabic = ThreadFactory(
        forum=budgeting_forum,
        language="ar",
        title="منح صغيرة للبلديات",
        first_post="<p>كيف نختار المشاريع مع اللاجئين والمجتمع المضيف؟</p>",
        countries=["JO"],
        themes=["refugees-migration"],
    )
    ThreadFactory(forum=ForumFactory(), language="en", title="Small grants", countries=["PL"])

    data = search(client, language="ar")
    assert [result["title"] for result in data["results"]] == [arabic.title]
    assert search(client, country="JO")["count"] == 1
    assert search(client, theme="refugees-migration")["count"] == 1
    assert search(client, theme="participatory-budgeting")["count"] == 1
    # Arabic is folded as the rest of the search folds it: without the article, with hamza.
    assert search(client, q="اللاجئين")["count"] == 1
    facets = {item["value"]: item["count"] for item in data["facets"]["type"]}
    assert facets == {"thread": 1}


def test_a_long_opening_post_is_summarised_and_its_end_still_found(client, budgeting_forum):
    words = " ".join(["budget"] * 150) + " zebracrossing"
    thread = ThreadFactory(forum=budgeting_forum, first_post=f"<p>{words}</p>")

    document = document_of(thread)
    assert len(document.summary) <= 600 and document.summary.endswith("…")
    assert "zebracrossing" in document.body
    assert search(client, q="zebracrossing")["count"] == 1


def test_the_rebuild_includes_threads(budgeting_forum):
    threads = ThreadFactory.create_batch(3, forum=budgeting_forum, language="pl")
    ThreadFactory(forum=budgeting_forum, first_post=False)  # no post: nothing to find yet
    SearchDocument.objects.filter(object_type="thread").delete()

    out = StringIO()
    call_command("search_index", "rebuild", "--no-progress", stdout=out)
    call_command("search_index", "status", stdout=out)

    keys = set(SearchDocument.objects.filter(object_type="thread").values_list("key", flat=True))
    assert keys == {f"thread:{thread.pk}:pl" for thread in threads}
    status = out.getvalue()
    assert "  thread        pl               3" in status
    assert "run `search_index rebuild`" not in status


def test_a_reply_writes_the_threads_outbox_row_in_its_transaction(settings, budgeting_forum):
    """With Elasticsearch configured (here unreachable), a reply queues the thread's document
    for it in the transaction that saves the reply: both commit, or neither does."""
    from django.db import transaction

    from search.models import OutboxEntry
    from tests.search.backend_settings import elasticsearch_at
    from tests.search.test_sync import CLOSED_PORT_URL

    settings.SEARCH_BACKEND = elasticsearch_at(CLOSED_PORT_URL)
    thread = ThreadFactory(forum=budgeting_forum)
    key = document_of(thread).key
    OutboxEntry.objects.all().delete()

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        PostFactory(thread=thread, body="<p>Solar lamps for the market square.</p>")
        assert list(OutboxEntry.objects.values_list("key", "action")) == [(key, "upsert")]
        raise Abandoned
    assert not OutboxEntry.objects.exists()
    assert "Solar" not in document_of(thread).body

    PostFactory(thread=thread, body="<p>Solar lamps for the market square.</p>")
    assert list(OutboxEntry.objects.values_list("key", "action")) == [(key, "upsert")]
    assert "Solar" in document_of(thread).body

    thread.delete()
    assert list(OutboxEntry.objects.values_list("key", "action")) == [
        (key, "upsert"),
        (key, "delete"),
    ]
