"""Database objects the ORM does not model: PostgreSQL's weighted tsvector column and GIN
indexes, and SQLite's FTS5 table with the triggers that keep it in step.

Migrations call `create()`; a later migration that makes SQLite rebuild the
search_searchdocument table (Django does so for most column changes) drops the triggers
and must call `create_sqlite_triggers()` again."""

TABLE = "search_searchdocument"
FTS_TABLE = "search_searchdocument_fts"
TERM_COLUMNS = ("title_terms", "summary_terms", "body_terms", "label_terms")

POSTGRESQL = [
    # Title > summary > body > labels (theme and country names, organisation, places).
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
# Ranking reads one vector per matched document. The full vector (every form of every word of
# the body) is large and stored out of line; ranking on title and summary alone keeps the
# work per match small, so a common word over 100,000 documents stays fast. A body-only
# match ranks below any title or summary match.
POSTGRESQL_RANK = [
    f"""
    ALTER TABLE {TABLE} ADD COLUMN rank_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_terms), 'A')
        || setweight(to_tsvector('simple'::regconfig, summary_terms), 'B')
    ) STORED
    """,
]
POSTGRESQL_RANK_REVERSE = [f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS rank_vector"]

POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_doc_countries",
    "DROP INDEX IF EXISTS search_doc_themes",
    "DROP INDEX IF EXISTS search_doc_vector",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector",
]

_columns = ", ".join(TERM_COLUMNS)
_new = ", ".join(f"new.{column}" for column in TERM_COLUMNS)
_old = ", ".join(f"old.{column}" for column in TERM_COLUMNS)

SQLITE_TABLE = [
    # External content: FTS5 stores only its index and reads the text from the documents.
    # The terms are already analysed; 'ascii' splits them at spaces and keeps every
    # non-ASCII letter as it is.
    f"""
    CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        {_columns}, content='{TABLE}', content_rowid='id', tokenize='ascii'
    )
    """,
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_TRIGGERS = [
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


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRESQL)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_TABLE + SQLITE_TRIGGERS)
    else:
        raise NotImplementedError(f"The database search backend does not support {vendor}.")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_REVERSE)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_REVERSE)


def create_rank_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_RANK)


def drop_rank_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_RANK_REVERSE)


def create_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _run(schema_editor, SQLITE_TRIGGERS)
