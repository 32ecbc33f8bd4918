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
