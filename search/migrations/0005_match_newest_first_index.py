"""PostgreSQL: `search_match_published` becomes (published_at DESC NULLS LAST, id DESC), the
order of a listing sorted newest first, so that such a page stops reading at its last row
instead of sorting every match (`search.schema.MATCH_INDEXES`, which a rebuild uses).
SQLite: no change."""

from django.db import migrations


def newest_first(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_match_published")
        schema_editor.execute(
            "CREATE INDEX search_match_published ON search_match "
            "(published_at DESC NULLS LAST, id DESC)"
        )


def oldest_first(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_match_published")
        schema_editor.execute("CREATE INDEX search_match_published ON search_match (published_at)")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_searchdocument_analysed_terms")]

    operations = [migrations.RunPython(newest_first, oldest_first)]
