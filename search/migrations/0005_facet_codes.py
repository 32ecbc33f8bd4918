"""PostgreSQL: `search_match` holds facet values as codes and the title's length, and keeps
every vector out of line (see search/schema.py and search/facet_codes.py). The table is
derived from the documents, so it is created anew and written from them. SQLite: no
change."""

from django.db import migrations

import search.schema
from search import fulltext


def recreate_match_table(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    search.schema.drop(apps, schema_editor)
    search.schema.create(apps, schema_editor)
    fulltext.write_index_of_all(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_narrow_match_table")]

    operations = [migrations.RunPython(recreate_match_table, migrations.RunPython.noop)]
