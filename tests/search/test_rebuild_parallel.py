"""A full rebuild on PostgreSQL outside any transaction of the caller's: the new match table
is written by a session of its own and its partitions are indexed by several sessions at
once (`fulltext.PostgresRebuild` with `parallel`). These tests commit, as `search_index
rebuild` does, so the database is flushed after each."""

import threading

import pytest
from django.core.management import CommandError
from django.db import connection, connections

from search import fulltext
from search.backends.base import SearchQuery
from search.backends.database import DatabaseBackend
from search.models import SearchDocument
from search.schema import MATCH_INDEXES, MATCH_PARTITIONS, MATCH_TABLE
from tests.search.conftest import publish_page
from tests.search.test_command import run, stored_document

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the match table and its parallel rebuild are PostgreSQL's; SQLite has FTS5",
    ),
]


def found(text):
    return DatabaseBackend().search(SearchQuery(text=text)).total


def relations_named(prefix):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname LIKE %s ORDER BY relname",
            [prefix.replace("_", "\\_") + "%"],
        )
        return [name for (name,) in cursor.fetchall()]


def indexes_of_partitions(parent_index):
    """The indexes attached to the partitioned index `parent_index`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relid::regclass::text FROM pg_partition_tree(%s::regclass) WHERE level = 1",
            [parent_index],
        )
        return sorted(name for (name,) in cursor.fetchall())


@pytest.fixture
def library(site_tree):
    publish_page(site_tree, "en", title="Zebra crossings for schools")
    publish_page(site_tree, "ro", title="Grădini comunitare în Cluj-Napoca")
    publish_page(site_tree, "ka", title="ადგილობრივი თვითმმართველობა")
    return site_tree


def test_parallel_rebuild_swaps_in_an_indexed_partitioned_table(library):
    assert not connection.in_atomic_block
    run("rebuild")
    run("rebuild")  # the second finds the names of the first's objects free again
    assert found("zebra") == 1
    assert found("napoca") == 1
    assert found("თვითმმართველობა") == 1
    assert relations_named(f"{MATCH_TABLE}_next") == []
    partitions = [f"{MATCH_TABLE}_p{number}" for number in range(MATCH_PARTITIONS)]
    for suffix, _column in MATCH_INDEXES:
        assert indexes_of_partitions(f"{MATCH_TABLE}_{suffix}") == [
            f"{partition}_{suffix}" for partition in partitions
        ]
    assert indexes_of_partitions(f"{MATCH_TABLE}_pkey") == [
        f"{partition}_pkey" for partition in partitions
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {MATCH_TABLE}")
        assert cursor.fetchone()[0] == SearchDocument.objects.count()


def test_a_failed_rebuild_leaves_the_index_and_no_new_table(library):
    class Interrupted(Exception):
        pass

    documents = list(SearchDocument.objects.all())
    with pytest.raises(Interrupted), fulltext.rebuilding():
        fulltext.write_index(documents[:1])
        raise Interrupted
    assert relations_named(f"{MATCH_TABLE}_next") == []
    assert found("zebra") == 1
    assert found("napoca") == 1


def test_a_rebuild_waits_for_none_and_refuses_to_run_beside_another(library):
    params = connection.get_connection_params()
    with connection.get_new_connection(params) as other:
        other.autocommit = True
        other.execute("SELECT pg_advisory_lock(hashtext(%s))", [fulltext.REBUILD_LOCK])
        with pytest.raises(CommandError, match="Another search index rebuild is running"):
            run("rebuild")
    assert found("zebra") == 1
    assert relations_named(f"{MATCH_TABLE}_next") == []


def test_documents_saved_by_another_session_during_a_rebuild_are_kept(library):
    """A document saved and committed through another connection while the rebuild runs
    is in the table swapped in at the end."""

    def save_elsewhere():
        try:
            fulltext.write_index([stored_document("practice", 424242, "Walrus habitats")])
        finally:
            connections.close_all()

    documents = list(SearchDocument.objects.all())
    with fulltext.rebuilding():
        fulltext.write_index(documents)
        elsewhere = threading.Thread(target=save_elsewhere)
        elsewhere.start()
        elsewhere.join()
    assert found("walrus") == 1
    assert found("zebra") == 1
