"""The first full-text structures of the database backend: a generated tsvector column over
the `*_terms` columns (PostgreSQL) and an external-content FTS5 table (SQLite). Migration 0004
replaces both; the SQL is kept here as it ran."""

from django.db import migrations

TABLE = "search_searchdocument"
FTS_TABLE = "search_searchdocument_fts"
TERM_COLUMNS = ("title_terms", "summary_terms", "body_terms", "label_terms")

POSTGRESQL = [
    f"""
    ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_terms), 'A')
        || setweight(to_tsvector('simple'::regconfig, summary_terms), 'B')
        || setweight(to_tsvector('simple'::regconfig, body_terms), 'C')
        || setweight(to_tsvector('simple'::regconfig, label_terms), 'D')
    ) STORED
    """,
    f"CREATE INDEX search_doc_vector ON {TABLE} USING gin (search_vector)",
    f"CREATE INDEX search_doc_themes ON {TABLE} USING gin (themes)",
    f"CREATE INDEX search_doc_countries ON {TABLE} USING gin (countries)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_doc_countries",
    "DROP INDEX IF EXISTS search_doc_themes",
    "DROP INDEX IF EXISTS search_doc_vector",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector",
]

_columns = ", ".join(TERM_COLUMNS)
_new = ", ".join(f"new.{column}" for column in TERM_COLUMNS)
_old = ", ".join(f"old.{column}" for column in TERM_COLUMNS)

SQLITE = [
    f"""
    CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        {_columns}, content='{TABLE}', content_rowid='id', tokenize='ascii'
    )
    """,
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
    f"""
    CREATE TRIGGER search_doc_fts_insert AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}(rowid, {_columns}) VALUES (new.id, {_new});
    END
    """,
    f"""
    CREATE TRIGGER search_doc_fts_delete AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_columns})
        VALUES ('delete', old.id, {_old});
    END
    """,
    f"""
    CREATE TRIGGER search_doc_fts_update AFTER UPDATE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_columns})
        VALUES ('delete', old.id, {_old});
        INSERT INTO {FTS_TABLE}(rowid, {_columns}) VALUES (new.id, {_new});
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_doc_fts_update",
    "DROP TRIGGER IF EXISTS search_doc_fts_delete",
    "DROP TRIGGER IF EXISTS search_doc_fts_insert",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def _statements(vendor, postgresql, sqlite):
    if vendor == "postgresql":
        return postgresql
    if vendor == "sqlite":
        return sqlite
    raise NotImplementedError(f"The database search backend does not support {vendor}.")


def create(apps, schema_editor):
    for statement in _statements(schema_editor.connection.vendor, POSTGRESQL, SQLITE):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in _statements(vendor, POSTGRESQL_REVERSE, SQLITE_REVERSE):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
