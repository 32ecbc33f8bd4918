"""PostgreSQL: two indexes on `search_match` (`search.schema.MATCH_INDEXES`, which a
rebuild uses):

- `search_match_listing`, a B-tree on (object_type, language, published_at DESC NULLS
  LAST, id DESC), the order of a listing of one type in one language, so that its page is
  read in order from its first row and stops at its last, however few items of that type
  there are among the others;
- `search_match_facets`, a GIN index on the facet codes, so that the rows carrying two
  values (a listing filtered by a theme and a country) are found without reading every
  row.

SQLite: no change."""

from django.db import migrations


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_match_listing ON search_match "
            "(object_type, language, published_at DESC NULLS LAST, id DESC)"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_match_facets ON search_match USING gin (facets)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_match_facets")
        schema_editor.execute("DROP INDEX IF EXISTS search_match_listing")


class Migration(migrations.Migration):
    dependencies = [("search", "0006_facet_tally_kept_by_triggers")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
