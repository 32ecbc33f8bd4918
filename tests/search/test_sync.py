"""Keeping search documents in step with the site: Wagtail's publishing signals,
organisations, the outbox for Elasticsearch and its drain."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page

from forums.factories import ForumFactory, ThreadFactory
from home.models import HomePage
from members.factories import OrganisationFactory
from pagecache import generation
from practices.models import PracticeIndexPage
from search import outbox, tasks
from search.backends import FallbackBackend, get_search_backend
from search.backends.base import SearchQuery, SearchUnavailable
from search.backends.breaker import CircuitBreaker
from search.backends.database import DatabaseBackend, PostgresBackend, SqliteBackend
from search.models import OutboxEntry, SearchDocument
from taxonomy.models import Theme
from tests.search.backend_settings import DATABASE, elasticsearch_at

CLOSED_PORT_URL = "http://127.0.0.1:9"  # discard port: nothing listens on loopback


def search_callbacks(callbacks):
    """The on-commit work of a save that is not the page cache's (which any saved change
    bumps)."""
    return [callback for callback in callbacks if callback is not generation.bump]


def documents_of(page):
    return SearchDocument.objects.filter(object_id=page.pk, object_type="practice")


# -- pages -------------------------------------------------------------------------------


def test_publishing_writes_the_document(publish):
    page = publish(
        "ro",
        title="Consiliul tinerilor",
        summary="Tinerii propun proiecte",
        themes=["youth"],
        countries=["RO", "MD"],
        year=2020,
        source_url="https://participedia.net/case/1",
    )
    document = SearchDocument.objects.get(key=f"practice:{page.pk}:ro")
    assert document.title == "Consiliul tinerilor"
    assert document.language == "ro"
    assert document.themes == ["youth"]
    assert document.countries == ["MD", "RO"]
    assert document.year == 2020
    assert document.source == "https://participedia.net/case/1"
    assert document.url == page.get_url()
    assert document.published_at == page.first_published_at
    # The theme's label in every UI language, whatever the page's language.
    assert document.theme_labels == [
        "Youth",
        "الشباب",
        "Млади",
        "Tineret",
        "Młodzież",
        "ახალგაზრდობა",
        "Gençlik",
    ]
    assert "Moldova" in " ".join(document.country_labels)


def test_a_draft_is_not_searchable_until_published(publish):
    page = publish("en", title="Original title")
    page.title = "Draft title"
    page.save_revision()
    assert documents_of(page).get().title == "Original title"
    page.get_latest_revision().publish()
    assert documents_of(page).get().title == "Draft title"


def test_unpublishing_removes_the_document(publish):
    page = publish("en", title="Soon gone")
    page.unpublish()
    assert not documents_of(page).exists()
    assert DatabaseBackend().search(SearchQuery(text="gone")).total == 0


def test_deleting_removes_the_document(publish):
    page = publish("en", title="Deleted practice")
    page.delete()
    assert not SearchDocument.objects.filter(key__startswith="practice:").exists()


def test_deleting_a_parent_removes_the_documents_below(publish, site_tree):
    first = publish("pl", title="Pierwsza")
    second = publish("pl", title="Druga")
    site_tree["pl"].practices.delete()
    assert not documents_of(first).exists()
    assert not documents_of(second).exists()


def test_moving_updates_the_url(publish, site_tree):
    page = publish("en", title="Moving practice", slug="moving")
    before = documents_of(page).get().url
    root = Page.get_first_root_node()
    other_home = root.add_child(
        instance=HomePage(title="Archive", slug="archive", locale=site_tree["en"].home.locale)
    )
    other_index = other_home.add_child(instance=PracticeIndexPage(title="Old", slug="old"))
    page.move(other_index, pos="last-child")
    after = documents_of(page).get().url
    assert after != before
    assert "old" in after


# -- organisations -----------------------------------------------------------------------


def test_organisations_are_indexed_on_save_and_removed_on_delete(db):
    organisation = OrganisationFactory(name="Tbilisi City Hall", description="Municipality")
    document = SearchDocument.objects.get(key=f"organisation:{organisation.pk}:en")
    assert document.object_type == "organisation"
    assert document.organisation == organisation.slug
    organisation.name = "Tbilisi Municipality"
    organisation.save()
    assert SearchDocument.objects.get(pk=document.pk).title == "Tbilisi Municipality"
    organisation.delete()
    assert not SearchDocument.objects.filter(object_type="organisation").exists()


# -- themes ------------------------------------------------------------------------------


def found(text, language="ka"):
    response = DatabaseBackend().search(SearchQuery(text=text, ui_language=language))
    return {(hit.type, hit.title) for hit in response.hits}


def test_a_relabelled_theme_is_found_by_its_new_label(publish, django_capture_on_commit_callbacks):
    publish("ka", title="ქუთაისი", themes=["youth"])
    OrganisationFactory(name="Youth Bank Kutaisi").themes.set([Theme.objects.get(slug="youth")])
    ThreadFactory(title="Youth councils", forum=ForumFactory(theme=Theme.objects.get(slug="youth")))
    elsewhere = publish("ka", title="ბათუმი", themes=["health"])
    assert found("ახალგაზრდობა") == {
        ("practice", "ქუთაისი"),
        ("organisation", "Youth Bank Kutaisi"),
        ("thread", "Youth councils"),
    }
    untouched = documents_of(elsewhere).get().updated_at

    youth = Theme.objects.get(slug="youth")
    youth.name_ka = "ახალგაზრდები და სტუდენტები"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        youth.save()
    assert len(search_callbacks(callbacks)) == 1
    assert found("ახალგაზრდობა") == set()
    assert found("სტუდენტები") == {
        ("practice", "ქუთაისი"),
        ("organisation", "Youth Bank Kutaisi"),
        ("thread", "Youth councils"),
    }
    assert documents_of(elsewhere).get().updated_at == untouched


def test_relabelling_a_parent_theme_reaches_items_tagged_below_it(
    publish, django_capture_on_commit_callbacks
):
    page = publish("en", title="Open budget in Cluj", themes=["participatory-budgeting"])
    parent = Theme.objects.get(slug="citizen-participation")
    parent.name = "Civic engagement"
    parent.slug = "civic-engagement"
    with django_capture_on_commit_callbacks(execute=True):
        parent.save()
    document = documents_of(page).get()
    assert document.themes == ["participatory-budgeting", "civic-engagement"]
    assert "Civic engagement" in document.theme_labels
    assert found("engagement", "en") == {("practice", "Open budget in Cluj")}


def test_saving_a_theme_without_changing_what_is_indexed_rewrites_nothing(
    publish, django_capture_on_commit_callbacks
):
    publish("en", title="Youth forum", themes=["youth"])
    youth = Theme.objects.get(slug="youth")
    youth.sort_order = 99
    youth.description = "Young people in local decisions."
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        youth.save()
    assert search_callbacks(callbacks) == []


def test_a_deleted_theme_leaves_the_documents(publish, django_capture_on_commit_callbacks):
    theme = Theme.objects.create(slug="street-art", name="Street art")
    page = publish("en", title="Murals in Tirana", themes=["street-art", "arts-culture"])
    assert documents_of(page).get().themes == ["street-art", "arts-culture"]
    with django_capture_on_commit_callbacks(execute=True):
        theme.delete()
    document = documents_of(page).get()
    assert document.themes == ["arts-culture"]
    assert "Street art" not in document.theme_labels


def test_an_organisations_themes_reach_its_document(db):
    organisation = OrganisationFactory(name="Roma Education Fund")
    education = Theme.objects.get(slug="education")
    organisation.themes.set([education, Theme.objects.get(slug="inclusion")])
    document = SearchDocument.objects.get(key=f"organisation:{organisation.pk}:en")
    assert sorted(document.themes) == ["education", "inclusion"]
    organisation.themes.remove(education)
    assert SearchDocument.objects.get(key=document.key).themes == ["inclusion"]
    Theme.objects.get(slug="inclusion").organisations.clear()
    assert SearchDocument.objects.get(key=document.key).themes == []
    education.organisations.add(organisation)
    assert SearchDocument.objects.get(key=document.key).themes == ["education"]


# -- the outbox --------------------------------------------------------------------------


def test_no_outbox_without_elasticsearch(publish, settings):
    settings.SEARCH_BACKEND = DATABASE
    publish("en", title="Database only")
    assert not OutboxEntry.objects.exists()


def test_changes_write_outbox_rows_in_the_same_transaction(publish, settings):
    settings.SEARCH_BACKEND = elasticsearch_at(CLOSED_PORT_URL)
    page = publish("en", title="Queued")
    key = f"practice:{page.pk}:en"
    assert list(OutboxEntry.objects.values_list("key", "action")) == [(key, "upsert")]
    page.unpublish()
    assert list(OutboxEntry.objects.values_list("key", "action")) == [
        (key, "upsert"),
        (key, "delete"),
    ]


class RecordingBackend:
    """Stands in for the Elasticsearch cluster, which cannot run here: records what it is
    sent, and can be switched off to behave as an unreachable cluster does."""

    name = "recording"

    def __init__(self):
        self.indexed = {}
        self.deleted = []
        self.available = True
        self.calls = 0

    def _check(self):
        self.calls += 1
        if not self.available:
            raise SearchUnavailable("ConnectionError: connection refused")

    def index_documents(self, documents):
        self._check()
        for document in documents:
            self.indexed[document.key] = document.title
        return len(documents)

    def delete_documents(self, keys):
        self._check()
        keys = list(keys)
        for key in keys:
            self.indexed.pop(key, None)
        self.deleted.extend(keys)
        return len(keys)


@pytest.fixture
def elasticsearch(settings, monkeypatch):
    settings.SEARCH_BACKEND = elasticsearch_at(CLOSED_PORT_URL)
    backend = RecordingBackend()
    monkeypatch.setattr(tasks, "outbox_backend", lambda: backend)
    return backend


def test_drain_sends_the_current_state_and_empties_the_outbox(publish, elasticsearch):
    kept = publish("en", title="Kept")
    gone = publish("en", title="Gone")
    gone.unpublish()
    result = outbox.drain(elasticsearch)
    assert elasticsearch.indexed == {f"practice:{kept.pk}:en": "Kept"}
    assert elasticsearch.deleted == [f"practice:{gone.pk}:en"]
    assert (result.indexed, result.deleted, result.failed) == (1, 1, 0)
    assert not OutboxEntry.objects.exists()


def test_outage_keeps_rows_with_backoff_then_recovery_drains(publish, elasticsearch, caplog):
    page = publish("en", title="Published during an outage")
    assert documents_of(page).exists()  # publishing succeeded
    elasticsearch.available = False
    now = timezone.now()
    with caplog.at_level(logging.WARNING, logger="search"):
        result = outbox.drain(elasticsearch, now=now)
    assert result.failed == 1
    assert "unavailable" in caplog.text
    row = OutboxEntry.objects.get()
    assert row.attempts == 1
    assert "connection refused" in row.last_error
    assert row.available_at == now + timedelta(seconds=30)

    # Not due yet: nothing is tried.
    calls = elasticsearch.calls
    outbox.drain(elasticsearch, now=now + timedelta(seconds=10))
    assert elasticsearch.calls == calls

    # Second failure: the wait doubles.
    outbox.drain(elasticsearch, now=now + timedelta(seconds=31))
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.available_at == now + timedelta(seconds=31) + timedelta(seconds=60)

    # The cluster is back: the row drains.
    elasticsearch.available = True
    result = outbox.drain(elasticsearch, now=now + timedelta(minutes=5))
    assert result.indexed == 1
    assert not OutboxEntry.objects.exists()
    assert f"practice:{page.pk}:en" in elasticsearch.indexed


def test_backoff_grows_exponentially_to_a_cap():
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert outbox.backoff(30) == outbox.RETRY_MAX


def test_unexpected_errors_postpone_the_batch_and_are_raised(publish, elasticsearch):
    publish("en", title="Refused")

    def refuse(documents):
        raise ValueError("mapping conflict")

    elasticsearch.index_documents = refuse
    with pytest.raises(ValueError, match="mapping conflict"):
        outbox.drain(elasticsearch)
    row = OutboxEntry.objects.get()
    assert row.attempts == 1
    assert "mapping conflict" in row.last_error


def test_drain_works_in_batches(publish, elasticsearch):
    pages = [publish("en", title=f"Batch {n}") for n in range(5)]
    result = outbox.drain(elasticsearch, batch_size=2)
    assert result.indexed == 5
    assert set(elasticsearch.indexed) == {f"practice:{page.pk}:en" for page in pages}


def test_commit_enqueues_the_drain_task(publish, elasticsearch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page = publish("en", title="Sent after commit")
    assert callbacks  # the drain was enqueued on commit and (immediate backend) ran
    assert f"practice:{page.pk}:en" in elasticsearch.indexed
    assert not OutboxEntry.objects.exists()


def test_drain_task_without_elasticsearch_does_nothing(db, settings):
    settings.SEARCH_BACKEND = DATABASE
    assert tasks.drain_search_outbox.call() == {"indexed": 0, "deleted": 0, "failed": 0}


# -- backend selection and fallback -------------------------------------------------------


def test_database_backend_by_default(settings):
    settings.SEARCH_BACKEND = DATABASE
    assert isinstance(get_search_backend(), DatabaseBackend)


def test_the_database_backend_is_the_connections_own(db):
    from django.db import connection

    expected = {"postgresql": PostgresBackend, "sqlite": SqliteBackend}[connection.vendor]
    assert type(DatabaseBackend()) is expected
    assert type(expected()) is expected


def test_elasticsearch_with_database_fallback_when_configured(settings):
    settings.SEARCH_BACKEND = elasticsearch_at(CLOSED_PORT_URL)
    backend = get_search_backend()
    assert isinstance(backend, FallbackBackend)
    assert backend.primary.name == "elasticsearch"
    assert isinstance(backend.fallback, DatabaseBackend)


class UnreachableBackend:
    name = "elasticsearch"
    uses_outbox = True

    def search(self, query, timeout=None):
        raise SearchUnavailable("ConnectionError: connection refused")

    def suggest(self, prefix, language="", limit=8, timeout=None):
        raise SearchUnavailable("ConnectionError: connection refused")

    def more_like_this(self, key, limit=5, timeout=None):
        raise SearchUnavailable("ConnectionError: connection refused")


def test_fallback_answers_from_the_database_and_says_so(publish, caplog):
    publish("en", title="Answered by the database")
    backend = FallbackBackend(
        primary=UnreachableBackend(),
        fallback=DatabaseBackend(),
        breaker=CircuitBreaker("elasticsearch", failures=1),
    )
    logging.getLogger("search").addHandler(caplog.handler)  # the "search" logger does not propagate
    try:
        with caplog.at_level(logging.WARNING, logger="search"):
            response = backend.search(SearchQuery(text="answered"))
    finally:
        logging.getLogger("search").removeHandler(caplog.handler)
    assert response.total == 1
    assert response.backend == "database"
    reason = "elasticsearch unavailable: ConnectionError: connection refused"
    assert response.fallback_reason == reason
    assert "the circuit breaker opened" in caplog.text
    assert backend.suggest("answ") == ["Answered by the database"]


def test_the_backend_and_its_client_are_built_once_per_settings(settings):
    settings.SEARCH_BACKEND = elasticsearch_at(CLOSED_PORT_URL)
    first = get_search_backend()
    assert get_search_backend() is first
    assert get_search_backend().primary.client is first.primary.client
    assert first.uses_outbox is True

    settings.SEARCH_BACKEND = elasticsearch_at("http://127.0.0.1:10")
    second = get_search_backend()
    assert second is not first
    assert [node.base_url for node in second.primary.client.transport.node_pool.all()] == [
        "http://127.0.0.1:10"
    ]

    settings.SEARCH_BACKEND = DATABASE
    assert get_search_backend().uses_outbox is False
