"""The full-text index follows the documents' table after every migration: a deleted
document leaves no full-text row behind (a migration that rebuilds the table on SQLite must
recreate its trigger)."""

import pytest
from django.db import connection

from search.models import SearchDocument
from search.schema import FTS_TABLE, MATCH_TABLE

pytestmark = pytest.mark.django_db


def index_rows():
    table = FTS_TABLE if connection.vendor == "sqlite" else MATCH_TABLE
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def test_a_deleted_document_leaves_the_full_text_index(site_tree):
    from tests.search.conftest import publish_page

    before = index_rows()
    page = publish_page(site_tree, "en", title="Budget walks in Ozurgeti")
    assert index_rows() == before + 1
    SearchDocument.objects.filter(object_type="practice", object_id=page.pk).delete()
    assert index_rows() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="column compression is PostgreSQL's")
def test_a_documents_text_is_compressed_with_lz4_on_postgresql():
    """search.0008: a rebuild writes every document's text and analysed forms; lz4 costs
    the server a sixth of pglz's CPU for them (bench/README.md)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        if not cursor.fetchone()[0]:
            pytest.skip("this PostgreSQL was built without lz4")
        long_text = " ".join(f"participatory budget round {number}" for number in range(400))
        SearchDocument.objects.create(
            key="practice:1:en",
            object_type="practice",
            object_id=1,
            language="en",
            title="Budget rounds",
            body=long_text,
            body_terms=long_text,
            url="/p/1/",
        )
        cursor.execute(
            "SELECT pg_column_compression(body), pg_column_compression(body_terms) "
            "FROM search_searchdocument WHERE key = 'practice:1:en'"
        )
        assert cursor.fetchone() == ("lz4", "lz4")
