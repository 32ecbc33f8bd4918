"""PostgreSQL: `search_match` is one table again, no longer split into hash partitions (the
parallel index build they served is gone; see bench/README.md). A database created by the
squashed migration already has it so; one that ran the old migration 0006 gets its rows
moved into an unpartitioned table with the same columns, key and indexes. SQLite: no
change."""

from django.db import migrations

UNPARTITION = [
    """
    CREATE TABLE search_match_unpartitioned (
        id bigint NOT NULL,
        object_type varchar(20) NOT NULL,
        language varchar(12) NOT NULL,
        year smallint,
        organisation varchar(255) NOT NULL DEFAULT '',
        published_at timestamptz,
        title_length smallint NOT NULL,
        facets smallint[] NOT NULL,
        facet_codes bytea NOT NULL,
        title_vector tsvector NOT NULL,
        summary_vector tsvector NOT NULL,
        match_vector tsvector NOT NULL
    ) WITH (toast_tuple_target = 128)
    """,
    """
    ALTER TABLE search_match_unpartitioned
        ALTER COLUMN facets SET STORAGE PLAIN,
        ALTER COLUMN facet_codes SET STORAGE PLAIN,
        ALTER COLUMN title_vector SET STORAGE EXTERNAL,
        ALTER COLUMN summary_vector SET STORAGE EXTERNAL,
        ALTER COLUMN match_vector SET STORAGE EXTERNAL,
        ALTER COLUMN title_vector SET STATISTICS 0,
        ALTER COLUMN summary_vector SET STATISTICS 0,
        ALTER COLUMN match_vector SET STATISTICS 0
    """,
    "INSERT INTO search_match_unpartitioned SELECT * FROM search_match",
    "DROP TABLE search_match",
    "ALTER TABLE search_match_unpartitioned RENAME TO search_match",
    "ALTER TABLE search_match ADD CONSTRAINT search_match_pkey PRIMARY KEY (id)",
    "CREATE INDEX search_match_vector ON search_match USING gin (match_vector)",
    "CREATE INDEX search_match_summary ON search_match USING gin (summary_vector)",
    "CREATE INDEX search_match_title ON search_match USING gin (title_vector)",
    "ANALYZE search_match",
]


def unpartition_match_table(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass('search_match')")
        (kind,) = cursor.fetchone() or (None,)
    if kind != "p":
        return
    for statement in UNPARTITION:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_squashed_0008_searchdocument_label")]

    operations = [migrations.RunPython(unpartition_match_table, migrations.RunPython.noop)]
