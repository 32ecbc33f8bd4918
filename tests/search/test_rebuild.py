"""A full rebuild on PostgreSQL outside any transaction of the caller's, as `search_index
rebuild` runs it: a new match table written, indexed and swapped in at commit
(`fulltext.PostgresRebuild`). These tests commit, so the database is flushed after each."""

import threading

import pytest
from django.core.management import CommandError
from django.db import connection, connections

from search import facet_codes, fulltext
from search.backends.base import SearchQuery
from search.backends.database import DatabaseBackend
from search.models import SearchDocument
from search.schema import MATCH_TABLE
from tests.search.conftest import publish_page
from tests.search.test_command import run, stored_document
from tests.search.test_facet_tally import kept, recounted

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the match table and its rebuild are PostgreSQL's; SQLite has FTS5",
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


def definition(table):
    """What a table is, names aside: its kind and options, its columns (type, storage,
    statistics target), its indexes and its constraints."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind, reloptions FROM pg_class WHERE oid = %s::regclass", [table])
        kind = cursor.fetchone()
        cursor.execute(
            "SELECT attname, format_type(atttypid, atttypmod), attnotnull, attstorage, "
            "attstattarget, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a "
            "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            [table],
        )
        columns = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = %s::regclass ORDER BY 1",
            [table],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass ORDER BY 1",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger "
            "WHERE tgrelid = %s::regclass AND NOT tgisinternal ORDER BY 1",
            [table],
        )
        triggers = cursor.fetchall()
    return kind, columns, indexes, constraints, triggers


@pytest.fixture
def library(site_tree):
    publish_page(site_tree, "en", title="Zebra crossings for schools")
    publish_page(site_tree, "ro", title="Grădini comunitare în Cluj-Napoca")
    publish_page(site_tree, "ka", title="ადგილობრივი თვითმმართველობა")
    return site_tree


def test_a_rebuild_swaps_in_the_table_the_migrations_create(library):
    """The rebuild creates the match table with the application's schema code, the
    migrations with SQL of their own: both must make the same table."""
    assert not connection.in_atomic_block
    migrated = definition(MATCH_TABLE)
    run("rebuild")
    run("rebuild")  # the second finds the names of the first's objects free again
    assert found("zebra") == 1
    # A phrase is found through the word pairs the rebuild wrote (`match_pairs`).
    assert found('"zebra crossings"') == 1
    assert found('"crossings zebra"') == 0
    assert found("napoca") == 1
    assert found("თვითმმართველობა") == 1
    assert relations_named(f"{MATCH_TABLE}_next") == []
    assert definition(MATCH_TABLE) == migrated
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {MATCH_TABLE}")
        assert cursor.fetchone()[0] == SearchDocument.objects.count()
    # The facet tally is counted from the new table, and its triggers follow it.
    assert kept() == recounted() != []
    publish_page(library, "en", title="Zebra crossings for villages")
    assert kept() == recounted()
    # Saved outside a rebuild: its pairs are written too.
    assert found('"zebra crossings"') == 2


def test_a_listing_filtered_by_committed_values_reads_their_codes_as_literals(library):
    """Codes read outside a transaction are committed: a listing's filters then carry them
    as literals (for the planner), with the same results as through the subquery."""
    from practices.factories import PracticePageFactory

    PracticePageFactory(
        parent=library["en"].practices, countries=["GE"], themes=["youth"]
    ).save_revision().publish()
    query = SearchQuery(
        types=("practice",), languages=("en",), themes=("youth",), countries=("GE",)
    )
    first = DatabaseBackend().search(query)  # decodes every code, outside a transaction
    sql, params = facet_codes.codes_of("country", ["GE"], connection.settings_dict["NAME"])
    assert sql == "%s::smallint[]"
    assert params == [[facet_codes._committed[connection.settings_dict["NAME"]]["country", "GE"]]]
    again = DatabaseBackend().search(query)
    assert (first.total, first.facets) == (again.total, again.facets)
    assert first.total == 1
    assert {value.value: value.count for value in again.facets["country"]} == {"GE": 1}


def test_a_failed_rebuild_leaves_the_index_and_no_new_table(library):
    class Interrupted(Exception):
        pass

    documents = list(SearchDocument.objects.all())
    with pytest.raises(Interrupted), fulltext.rebuilding():
        fulltext.write_index(documents[:1])
        raise Interrupted
    assert relations_named(f"{MATCH_TABLE}_next") == []
    assert found("zebra") == 1
    # A phrase is found through the word pairs the rebuild wrote (`match_pairs`).
    assert found('"zebra crossings"') == 1
    assert found('"crossings zebra"') == 0
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
