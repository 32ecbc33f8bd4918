"""PostgreSQL: a B-tree on `search_match.published_at`, so that a search within a time
window (a digest's week, `SearchQuery.published_after`) reads only that window's rows.
A rebuild creates it with the other indexes (`search.schema.MATCH_INDEXES`). SQLite: no
change (the documents' table, which its searches read, has `search_doc_published`)."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_match_published ON search_match (published_at)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_match_published")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_unpartitioned_match_table")]

    operations = [migrations.RunPython(create_index, drop_index)]
