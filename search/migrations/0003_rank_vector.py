"""PostgreSQL: a small title + summary vector to rank by. Replaced by migration 0004."""

from django.db import migrations

TABLE = "search_searchdocument"


def create_rank_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"""
            ALTER TABLE {TABLE} ADD COLUMN rank_vector tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('simple'::regconfig, title_terms), 'A')
                || setweight(to_tsvector('simple'::regconfig, summary_terms), 'B')
            ) STORED
            """
        )


def drop_rank_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS rank_vector")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_database_search")]

    operations = [migrations.RunPython(create_rank_vector, drop_rank_vector)]
