"""PostgreSQL: a small title + summary vector to rank by (see search/schema.py)."""

from django.db import migrations

import search.schema


class Migration(migrations.Migration):
    dependencies = [("search", "0002_database_search")]

    operations = [
        migrations.RunPython(search.schema.create_rank_vector, search.schema.drop_rank_vector)
    ]
