"""The database backend's full-text index: tables the ORM does not model, derived from
`SearchDocument` rows by `search.fulltext` and removed with them by triggers.

PostgreSQL: `search_match`, one narrow row per document holding only what matching, ranking
and facets read. The vectors (every form of every word, and word pairs for phrases) live
out of line and are read through their GIN indexes only, so a query over 100,000 documents
scans a couple of megabytes of rows instead of the documents' text. Facet values are small
integer codes (`search_facet_code`, see `search.facet_codes`).

SQLite: an FTS5 table of the analysed terms, ranked with bm25.

The migration (search.0001) creates them with SQL of its own, frozen as it ran; what is
here is what a rebuild needs to create the match table again (`search.fulltext`), and the
two must agree (tests/search/test_migrations.py compares them)."""

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

# (name suffix, method, column) of the indexes: GIN for the vectors; a B-tree on the
# publication time for searches within a time window (a digest's week).
MATCH_INDEXES = (
    ("vector", "gin", "match_vector"),
    ("summary", "gin", "summary_vector"),
    ("title", "gin", "title_vector"),
    # Newest first, as listings and related items read (a time window reads it too):
    # `ORDER BY published_at DESC NULLS LAST, id DESC LIMIT 12` walks it and stops at the
    # twelfth match, where a plain published_at index left a sort of every match
    # (bench/pages.py, a theme page's newest practices at 100,000 on a loaded machine:
    # 137 ms; see migration 0004).
    ("published", "btree", "published_at DESC NULLS LAST, id DESC"),
)


def match_table(table):
    """Statements creating the match table `table` (`MATCH_TABLE`, or the one a rebuild
    fills), without keys or indexes (`match_indexes`)."""
    return [
        # `id` is the document's id. No foreign key: Django's flush truncates the documents
        # without CASCADE, and triggers keep the two tables in step instead.
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
        ) WITH (toast_tuple_target = 128)
        """,
        # What every match reads stays in the row, uncompressed. The vectors are read only
        # through their GIN indexes. Without statistics on a vector, the planner takes any
        # word for a rare one, so it always matches through the GIN index; told that a word
        # is common, it would weigh a sequential scan without counting the cost of reading
        # every row's out-of-line vector, many times slower.
        f"""
        ALTER TABLE {table}
            ALTER COLUMN facets SET STORAGE PLAIN,
            ALTER COLUMN facet_codes SET STORAGE PLAIN,
            ALTER COLUMN title_vector SET STORAGE EXTERNAL,
            ALTER COLUMN summary_vector SET STORAGE EXTERNAL,
            ALTER COLUMN match_vector SET STORAGE EXTERNAL,
            ALTER COLUMN title_vector SET STATISTICS 0,
            ALTER COLUMN summary_vector SET STATISTICS 0,
            ALTER COLUMN match_vector SET STATISTICS 0
        """,
    ]


def match_indexes(table):
    """The primary key and the indexes of `table`."""
    return [
        f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY (id)",
        *(
            f"CREATE INDEX {table}_{suffix} ON {table} USING {method} ({column})"
            for suffix, method, column in MATCH_INDEXES
        ),
    ]
