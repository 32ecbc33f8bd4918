"""The database backend's full-text index: tables the ORM does not model, derived from
`SearchDocument` rows by `search.fulltext` and removed with them by triggers.

PostgreSQL: `search_match`, one narrow row per document holding only what matching, ranking
and facets read. The vectors (every form of every word, and word pairs for phrases) live
out of line and are read through their GIN indexes only, so a query over 100,000 documents
scans a couple of megabytes of rows instead of the documents' text. Facet values are small
integer codes (`search_facet_code`, see `search.facet_codes`). The table is partitioned
(`MATCH_PARTITIONS`) so that a rebuild can index it on several cores.

SQLite: an FTS5 table of the analysed terms, ranked with bm25.

Migrations call `create()`; a later migration that makes SQLite rebuild the
search_searchdocument table (Django does so for most column changes) drops its trigger and
must call `create_sqlite_triggers()` again."""

TABLE = "search_searchdocument"
MATCH_TABLE = "search_match"
FACET_CODE_TABLE = "search_facet_code"
FTS_TABLE = "search_searchdocument_fts"
FTS_COLUMNS = ("title", "summary", "body", "labels")

# Column order of `search.fulltext.PostgresWriter` rows.
MATCH_COLUMNS = (
    "id",
    "object_type",
    "language",
    "year",
    "organisation",
    "published_at",
    "title_length",
    "facets",
    "facet_codes",
    "title_vector",
    "summary_vector",
    "match_vector",
)

# (name suffix, column) of the GIN indexes, the longest to build first.
MATCH_INDEXES = (
    ("vector", "match_vector"),
    ("summary", "summary_vector"),
    ("title", "title_vector"),
)

# The match table is split by a hash of the id into this many partitions, so that a rebuild
# builds their GIN indexes in as many database sessions at once (PostgreSQL 15 builds one GIN
# index on one CPU; see `search.fulltext.PostgresRebuild`): one per core of the machine the
# benchmark runs on. A search reads the indexes of both; `make bench` saw its latencies
# keep their ratios to the machine's speed.
MATCH_PARTITIONS = 2

# Without statistics on a vector, the planner takes any word for a rare one, so it always
# matches through the GIN index. Told that a word is common, it would weigh a sequential scan
# without counting the cost of reading every row's out-of-line vector, many times slower.
NO_VECTOR_STATISTICS = """
    ALTER TABLE {table}
        ALTER COLUMN title_vector SET STATISTICS 0,
        ALTER COLUMN summary_vector SET STATISTICS 0,
        ALTER COLUMN match_vector SET STATISTICS 0
"""


def match_partitions(table):
    return [f"{table}_p{number}" for number in range(MATCH_PARTITIONS)]


def match_table(table):
    """Statements creating the match table `table` (`MATCH_TABLE`, or the one a rebuild
    fills), partitioned, without keys or indexes (`match_indexes`)."""
    partitions = [
        f"CREATE TABLE {partition} PARTITION OF {table} "
        f"FOR VALUES WITH (MODULUS {MATCH_PARTITIONS}, REMAINDER {number}) "
        "WITH (toast_tuple_target = 128)"
        for number, partition in enumerate(match_partitions(table))
    ]
    return [
        # `id` is the document's id. No foreign key: Django's flush truncates the documents
        # without CASCADE, and the triggers below keep the two tables in step instead.
        # title_length is the number of words in the title vector: a title match's score.
        # facets and facet_codes hold the same codes: an array for filters and packed for
        # counting.
        f"""
        CREATE TABLE {table} (
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
        ) PARTITION BY HASH (id)
        """,
        *partitions,
        # What every match reads stays in the row, uncompressed. The vectors are read only
        # through their GIN indexes. (Both settings reach the partitions.)
        f"""
        ALTER TABLE {table}
            ALTER COLUMN facets SET STORAGE PLAIN,
            ALTER COLUMN facet_codes SET STORAGE PLAIN,
            ALTER COLUMN title_vector SET STORAGE EXTERNAL,
            ALTER COLUMN summary_vector SET STORAGE EXTERNAL,
            ALTER COLUMN match_vector SET STORAGE EXTERNAL
        """,
        NO_VECTOR_STATISTICS.format(table=table),
    ]


def partition_indexes(table):
    """The GIN indexes of each partition of `table`: independent statements, which a
    rebuild runs in several sessions at once."""
    return [
        f"CREATE INDEX {partition}_{suffix} ON {partition} USING gin ({column})"
        for suffix, column in MATCH_INDEXES
        for partition in match_partitions(table)
    ]


def table_indexes(table):
    """The primary key and the GIN indexes of `table` itself, which take over those of its
    partitions that `partition_indexes` built instead of building their own."""
    return [
        f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY (id)",
        *(
            f"CREATE INDEX {table}_{suffix} ON {table} USING gin ({column})"
            for suffix, column in MATCH_INDEXES
        ),
    ]


def match_indexes(table):
    return [*partition_indexes(table), *table_indexes(table)]


POSTGRESQL = [
    # Codes are never deleted, so a number always means the same value (see
    # `search.facet_codes`); not a Django model, so that flushing the models' tables
    # leaves it alone.
    f"""
    CREATE TABLE {FACET_CODE_TABLE} (
        code smallserial PRIMARY KEY,
        facet varchar(20) NOT NULL,
        value varchar(255) NOT NULL,
        UNIQUE (facet, value)
    )
    """,
    *match_table(MATCH_TABLE),
    *match_indexes(MATCH_TABLE),
    f"""
    CREATE FUNCTION search_match_forget() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM {MATCH_TABLE} m USING removed WHERE m.id = removed.id;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE TRIGGER search_match_forget AFTER DELETE ON {TABLE}
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION search_match_forget()
    """,
    f"""
    CREATE FUNCTION search_match_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE {MATCH_TABLE};
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE TRIGGER search_match_truncate AFTER TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION search_match_truncate()
    """,
]

POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS search_match_truncate ON {TABLE}",
    f"DROP TRIGGER IF EXISTS search_match_forget ON {TABLE}",
    "DROP FUNCTION IF EXISTS search_match_truncate()",
    "DROP FUNCTION IF EXISTS search_match_forget()",
    f"DROP TABLE IF EXISTS {MATCH_TABLE}",
    f"DROP TABLE IF EXISTS {FACET_CODE_TABLE}",
]

SQLITE_TABLE = [
    # The terms are already analysed: 'ascii' splits them at spaces and keeps every
    # non-ASCII letter as it is.
    f"""
    CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        {", ".join(FTS_COLUMNS)}, tokenize='ascii'
    )
    """,
]
SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER IF NOT EXISTS search_doc_fts_delete AFTER DELETE ON {TABLE} BEGIN
        DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_doc_fts_delete",
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


def create_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _run(schema_editor, SQLITE_TRIGGERS)


def recreate_match_table(schema_editor):
    """PostgreSQL: drop `MATCH_TABLE` and create it anew, empty (the caller writes it from
    the documents). The facet codes and the triggers stay."""
    _run(
        schema_editor,
        [
            f"DROP TABLE {MATCH_TABLE}",
            *match_table(MATCH_TABLE),
            *match_indexes(MATCH_TABLE),
        ],
    )
