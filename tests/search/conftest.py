"""Fixtures of the search tests: published pages in several locales, and the backend under
test. `search_backend` is parametrised so the behaviour suite names the backend it runs on;
the database backend runs on whichever database DATABASE_URL selects (PostgreSQL or
SQLite)."""

from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.db.backends.base.creation import TEST_DATABASE_PREFIX

from home.structure import ensure_site_structure
from practices.factories import GuidePageFactory, PracticePageFactory
from search.backends.database import DatabaseBackend


@pytest.fixture(params=["database"])
def search_backend(request, db):
    return {"database": DatabaseBackend}[request.param]()


def publish_page(trees, language="en", kind="practice", **fields):
    """A practice (or guide with kind="guide") published in `language`'s locale the way an
    editor publishes, so Wagtail's page_published signal indexes it."""
    tree = trees[language]
    if kind == "guide":
        page = GuidePageFactory(parent=tree.guides, **fields)
    else:
        page = PracticePageFactory(parent=tree.practices, **fields)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def publish(site_tree):
    def _publish(language="en", kind="practice", **fields):
        return publish_page(site_tree, language, kind, **fields)

    return _publish


def _on_test_database():
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return True
    return name == connection.settings_dict["TEST"].get("NAME") or name.startswith(
        TEST_DATABASE_PREFIX
    )


@contextmanager
def shared_data(django_db_blocker):
    """Data shared by the tests of one module: written once in a transaction that is rolled
    back after the module (each test runs in a savepoint inside it, as with Django's
    setUpTestData)."""
    with django_db_blocker.unblock():
        # Only ever on the test database: pytest-django creates it only for modules whose
        # tests use the database (mark them django_db).
        if not _on_test_database():
            raise RuntimeError("shared_data needs the test database: mark the tests django_db")
        with transaction.atomic():
            try:
                yield ensure_site_structure()
            finally:
                transaction.set_rollback(True)
        # Wagtail caches site root paths; the rolled-back pages must not linger there.
        cache.clear()
