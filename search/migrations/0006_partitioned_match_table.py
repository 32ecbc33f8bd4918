"""PostgreSQL: `search_match` is partitioned by a hash of the id, so that a rebuild indexes
it on several cores (see search/schema.py). The table is derived from the documents, so it
is created anew and written from them. SQLite: no change."""

from django.db import migrations

import search.schema
from search import fulltext


def partition_match_table(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    search.schema.recreate_match_table(schema_editor)
    fulltext.write_index_of_all(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_facet_codes")]

    operations = [migrations.RunPython(partition_match_table, migrations.RunPython.noop)]
