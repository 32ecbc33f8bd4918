"""The analysed forms of a search document's title, summary and body, stored when it is
saved (see `search.models.SearchDocument`). Existing documents keep them empty until they
are saved again; until then whoever reads them analyses the text.

On SQLite, Django adds a column with a default by copying the table, which drops the
trigger that keeps the FTS5 table in step with deletions (search.0001): it is created
again, as search.0001 wrote it."""

from django.db import migrations, models

SQLITE_DELETE_TRIGGER = """
    CREATE TRIGGER IF NOT EXISTS search_doc_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        DELETE FROM search_searchdocument_fts WHERE rowid = old.id;
    END
"""


def recreate_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_DELETE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_match_published_index")]

    operations = [
        # Unapplied, the columns go by copying the table too: the trigger comes back last.
        migrations.RunPython(migrations.RunPython.noop, recreate_sqlite_trigger),
        *(
            migrations.AddField(
                model_name="searchdocument",
                name=name,
                field=models.TextField(blank=True, default=""),
            )
            for name in ("title_terms", "summary_terms", "body_terms")
        ),
        migrations.RunPython(recreate_sqlite_trigger, migrations.RunPython.noop),
    ]
