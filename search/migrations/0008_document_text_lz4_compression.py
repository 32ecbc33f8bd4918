"""PostgreSQL: the documents' long text columns are compressed with lz4 instead of pglz when
the server has it (a PostgreSQL built without lz4 keeps pglz). A rebuild writes every
document's text and analysed forms, some 5 KB each: pglz spent about 0.09 ms of the
server's CPU per document compressing them, lz4 0.014 ms, for the same size
(bench/README.md, "the index build"). Existing values keep their compression until they are
written again. SQLite: no change.

The SQL is frozen here as it ran; it calls nothing of the app's current schema code."""

from django.db import migrations

COLUMNS = (
    "title",
    "summary",
    "body",
    "english_summary",
    "extra_labels",
    "title_terms",
    "summary_terms",
    "body_terms",
    "theme_labels",
    "country_labels",
)

HAS_LZ4 = (
    "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
)


def set_compression(method):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(HAS_LZ4)
            if not cursor.fetchone()[0]:
                return
        schema_editor.execute(
            "ALTER TABLE search_searchdocument "
            + ", ".join(f"ALTER COLUMN {column} SET COMPRESSION {method}" for column in COLUMNS)
        )

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0007_match_listing_and_facets_indexes")]

    operations = [migrations.RunPython(set_compression("lz4"), set_compression("DEFAULT"))]
