"""The search app's tables as migrations 0001 to 0008 left them, in one step: a database
that applied those has this one marked applied; a new one runs only this.

The database backend's full-text tables are not Django models (see search/schema.py). Their
SQL is written out here as it runs, for each database, so that this migration means the same
thing whatever the app's code becomes."""

from django.db import migrations, models

POSTGRESQL = [
    # Facet values as small integer codes (search/facet_codes.py); never deleted, so a code
    # always means the same value. Not a Django model: flushing the models' tables leaves
    # it alone.
    """
    CREATE TABLE search_facet_code (
        code smallserial PRIMARY KEY,
        facet varchar(20) NOT NULL,
        value varchar(255) NOT NULL,
        UNIQUE (facet, value)
    )
    """,
    """
    CREATE TABLE search_match (
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
    ALTER TABLE search_match
        ALTER COLUMN facets SET STORAGE PLAIN,
        ALTER COLUMN facet_codes SET STORAGE PLAIN,
        ALTER COLUMN title_vector SET STORAGE EXTERNAL,
        ALTER COLUMN summary_vector SET STORAGE EXTERNAL,
        ALTER COLUMN match_vector SET STORAGE EXTERNAL,
        ALTER COLUMN title_vector SET STATISTICS 0,
        ALTER COLUMN summary_vector SET STATISTICS 0,
        ALTER COLUMN match_vector SET STATISTICS 0
    """,
    "ALTER TABLE search_match ADD CONSTRAINT search_match_pkey PRIMARY KEY (id)",
    "CREATE INDEX search_match_vector ON search_match USING gin (match_vector)",
    "CREATE INDEX search_match_summary ON search_match USING gin (summary_vector)",
    "CREATE INDEX search_match_title ON search_match USING gin (title_vector)",
    """
    CREATE FUNCTION search_match_forget() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM search_match m USING removed WHERE m.id = removed.id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER search_match_forget AFTER DELETE ON search_searchdocument
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION search_match_forget()
    """,
    """
    CREATE FUNCTION search_match_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE search_match;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER search_match_truncate AFTER TRUNCATE ON search_searchdocument
    FOR EACH STATEMENT EXECUTE FUNCTION search_match_truncate()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS search_match_truncate ON search_searchdocument",
    "DROP TRIGGER IF EXISTS search_match_forget ON search_searchdocument",
    "DROP FUNCTION IF EXISTS search_match_truncate()",
    "DROP FUNCTION IF EXISTS search_match_forget()",
    "DROP TABLE IF EXISTS search_match",
    "DROP TABLE IF EXISTS search_facet_code",
]

SQLITE = [
    # The terms are already analysed: 'ascii' splits them at spaces and keeps every
    # non-ASCII letter as it is.
    """
    CREATE VIRTUAL TABLE search_searchdocument_fts USING fts5(
        title, summary, body, labels, tokenize='ascii'
    )
    """,
    """
    CREATE TRIGGER IF NOT EXISTS search_doc_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        DELETE FROM search_searchdocument_fts WHERE rowid = old.id;
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_doc_fts_delete",
    "DROP TABLE IF EXISTS search_searchdocument_fts",
]


def _run(schema_editor, statements):
    vendor = schema_editor.connection.vendor
    if vendor not in statements:
        raise NotImplementedError(f"The database search backend does not support {vendor}.")
    for statement in statements[vendor]:
        schema_editor.execute(statement)


def create_full_text_tables(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL, "sqlite": SQLITE})


def drop_full_text_tables(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE})


class Migration(migrations.Migration):
    replaces = [
        ("search", "0001_initial"),
        ("search", "0002_database_search"),
        ("search", "0003_rank_vector"),
        ("search", "0004_narrow_match_table"),
        ("search", "0005_facet_codes"),
        ("search", "0006_partitioned_match_table"),
        ("search", "0007_searchdocument_status"),
        ("search", "0008_searchdocument_label"),
    ]

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="OutboxEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(db_index=True, max_length=120)),
                (
                    "action",
                    models.CharField(
                        choices=[("upsert", "Index"), ("delete", "Delete")], max_length=8
                    ),
                ),
                ("attempts", models.PositiveIntegerField(default=0)),
                ("last_error", models.TextField(blank=True)),
                ("available_at", models.DateTimeField(db_index=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "verbose_name": "search outbox entry",
                "verbose_name_plural": "search outbox entries",
                "ordering": ["id"],
            },
        ),
        # Fields in the order 0001-0008 left the table's columns (added ones last).
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "key",
                    models.CharField(
                        help_text="<type>:<object id>:<language>, e.g. practice:42:ka",
                        max_length=120,
                        unique=True,
                    ),
                ),
                ("object_type", models.CharField(max_length=20)),
                ("object_id", models.PositiveBigIntegerField()),
                ("language", models.CharField(max_length=12)),
                ("title", models.CharField(max_length=255)),
                ("summary", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
                ("themes", models.JSONField(blank=True, default=list)),
                ("countries", models.JSONField(blank=True, default=list)),
                ("theme_labels", models.JSONField(blank=True, default=list)),
                ("country_labels", models.JSONField(blank=True, default=list)),
                ("year", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("organisation", models.CharField(blank=True, max_length=255)),
                ("organisation_name", models.CharField(blank=True, max_length=255)),
                ("url", models.CharField(max_length=500)),
                ("source", models.CharField(blank=True, max_length=500)),
                ("published_at", models.DateTimeField(blank=True, null=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("english_summary", models.TextField(blank=True)),
                ("extra_labels", models.TextField(blank=True)),
                ("status", models.CharField(blank=True, default="", max_length=20)),
                ("label", models.CharField(blank=True, default="", max_length=20)),
            ],
            options={
                "verbose_name": "search document",
                "verbose_name_plural": "search documents",
                "indexes": [
                    models.Index(fields=["object_type", "object_id"], name="search_doc_object"),
                    models.Index(fields=["language"], name="search_doc_language"),
                    models.Index(fields=["year"], name="search_doc_year"),
                    models.Index(fields=["-published_at"], name="search_doc_published"),
                ],
            },
        ),
        migrations.RunPython(create_full_text_tables, drop_full_text_tables),
    ]
