"""Search documents carry the item's status (a practice's), a facet. On PostgreSQL the facet
is a code among the `search_match` row's facet codes: existing rows have no status, as
their documents have none until `search_index rebuild` (or a republish) writes it. SQLite
rebuilds the documents' table to add the column, which drops its trigger: recreated."""

from django.db import migrations, models

import search.schema


class Migration(migrations.Migration):
    dependencies = [("search", "0006_partitioned_match_table")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="status",
            field=models.CharField(blank=True, default="", max_length=20),
        ),
        migrations.RunPython(search.schema.create_sqlite_triggers, migrations.RunPython.noop),
    ]
