"""The full-text index moves out of the documents' table (see search/schema.py).

PostgreSQL: the generated vectors over the `*_terms` columns become the narrow `search_match`
table; SQLite: the external-content FTS5 table becomes one that holds its own terms. The
index rows of existing documents are written from the documents' text; labels that only the
new `extra_labels` column carries (places, partners, tags) are indexed again by the next
`manage.py search_index rebuild`."""

from django.db import migrations, models

import search.schema
from search import fulltext

OLD_POSTGRESQL = [
    "DROP INDEX IF EXISTS search_doc_countries",
    "DROP INDEX IF EXISTS search_doc_themes",
    "DROP INDEX IF EXISTS search_doc_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS rank_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]
OLD_SQLITE = [
    "DROP TRIGGER IF EXISTS search_doc_fts_update",
    "DROP TRIGGER IF EXISTS search_doc_fts_delete",
    "DROP TRIGGER IF EXISTS search_doc_fts_insert",
    "DROP TABLE IF EXISTS search_searchdocument_fts",
]


def replace_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in OLD_POSTGRESQL if vendor == "postgresql" else OLD_SQLITE:
        schema_editor.execute(statement)
    search.schema.create(apps, schema_editor)
    fulltext.write_index_of_all(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_rank_vector")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="english_summary",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="extra_labels",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(replace_index),
        migrations.RemoveField(model_name="searchdocument", name="title_terms"),
        migrations.RemoveField(model_name="searchdocument", name="summary_terms"),
        migrations.RemoveField(model_name="searchdocument", name="body_terms"),
        migrations.RemoveField(model_name="searchdocument", name="label_terms"),
        migrations.RunPython(search.schema.create_sqlite_triggers),
    ]
