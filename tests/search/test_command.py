"""manage.py search_index rebuild|status|drain"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from members.factories import OrganisationFactory
from search import indexing
from search.models import OutboxEntry, SearchDocument
from tests.search.backend_settings import DATABASE, elasticsearch_at
from tests.search.test_sync import CLOSED_PORT_URL, RecordingBackend


def run(*args):
    out = StringIO()
    call_command("search_index", *args, "--no-progress", stdout=out)
    return out.getvalue()


def stored_document(object_type, object_id, title):
    """A search document written directly, not by indexing an item."""
    return SearchDocument.objects.create(
        key=f"{object_type}:{object_id}:en",
        object_type=object_type,
        object_id=object_id,
        language="en",
        title=title,
        url=f"/{object_type}/{object_id}/",
    )


def test_rebuild_recreates_every_document(publish):
    practice = publish("ka", title="თბილისი")
    guide = publish("en", kind="guide", title="A guide")
    organisation = OrganisationFactory(name="City of Skopje")
    SearchDocument.objects.all().delete()
    # A stale document of an item that is no longer searchable.
    stored_document("practice", 999999, "Stale")
    output = run("rebuild")
    assert "3 search documents written" in output
    assert set(SearchDocument.objects.values_list("key", flat=True)) == {
        f"practice:{practice.pk}:ka",
        f"guide:{guide.pk}:en",
        f"organisation:{organisation.pk}:en",
    }


def test_rebuild_keeps_documents_current_and_their_search_columns(publish):
    from search import fulltext
    from search.backends.base import SearchQuery
    from search.backends.database import DatabaseBackend

    page = publish("pl", title="Budżet obywatelski w Żyrardowie")
    SearchDocument.objects.filter(object_id=page.pk).update(
        title="wrong", summary="", english_summary="", body="", extra_labels=""
    )
    fulltext.write_index(SearchDocument.objects.filter(object_id=page.pk))
    assert DatabaseBackend().search(SearchQuery(text="zyrardowie")).total == 0
    run("rebuild", "--type", "practice")
    document = SearchDocument.objects.get(object_id=page.pk)
    assert document.title == "Budżet obywatelski w Żyrardowie"
    assert DatabaseBackend().search(SearchQuery(text="zyrardowie")).total == 1


def test_status_counts_per_type_and_language(publish, settings):
    settings.SEARCH_BACKEND = DATABASE
    publish("ar", title="عمّان")
    publish("ar", title="إربد")
    publish("tr", title="İzmir")
    output = run("status")
    lines = [line.split() for line in output.splitlines()]
    assert ["practice", "ar", "2"] in lines
    assert ["practice", "tr", "1"] in lines
    assert ["total", "3"] in lines
    assert "not configured" in output


def test_status_warns_when_documents_are_missing(publish):
    publish("en", title="Missing")
    SearchDocument.objects.all().delete()
    assert "run `search_index rebuild`" in run("status")


def test_drain_needs_elasticsearch(db, settings):
    settings.SEARCH_BACKEND = DATABASE
    with pytest.raises(CommandError, match="not configured"):
        run("drain")


def test_drain_sends_the_outbox(publish, settings, monkeypatch):
    settings.SEARCH_BACKEND = elasticsearch_at(CLOSED_PORT_URL)
    backend = RecordingBackend()
    monkeypatch.setattr("search.management.commands.search_index.outbox_backend", lambda: backend)
    page = publish("en", title="Drained by the command")
    assert OutboxEntry.objects.count() == 1
    assert "Indexed 1, deleted 0." in run("drain")
    assert not OutboxEntry.objects.exists()
    assert f"practice:{page.pk}:en" in backend.indexed

    backend.available = False
    publish("en", title="Waiting")
    with pytest.raises(CommandError, match="wait for a retry"):
        run("drain")
    waiting = OutboxEntry.objects.get()
    assert waiting.attempts == 1
    assert waiting.available_at > timezone.now()

    # Once the cluster is back, draining by hand sends rows still in their backoff too.
    backend.available = True
    assert "Indexed 1, deleted 0." in run("drain")
    assert not OutboxEntry.objects.exists()


def test_document_builders_are_a_registry():
    # Each content app registers its own, in its `search_documents` module.
    assert set(indexing.builders) == {"practice", "guide", "organisation", "thread"}


def test_full_rebuild_keeps_index_rows_it_did_not_write(publish):
    """A full rebuild replaces the database index (on PostgreSQL with a new table): rows of
    documents it did not write itself, here a type with no builder, are carried over."""
    from search import fulltext
    from search.backends.base import SearchQuery
    from search.backends.database import DatabaseBackend

    publish("en", title="Zebra crossings for schools")
    other = stored_document("event", 1, "Zebra crossing event")
    fulltext.write_index([other])
    run("rebuild")
    response = DatabaseBackend().search(SearchQuery(text="zebra"))
    assert response.total == 2
    other.delete()
    assert DatabaseBackend().search(SearchQuery(text="zebra")).total == 1
