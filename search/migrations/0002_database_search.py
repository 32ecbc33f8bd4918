"""The full-text structures of the database backend: see search/schema.py."""

from django.db import migrations

import search.schema


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(search.schema.create, search.schema.drop)]
