"""The database backend's full-text index: tables the ORM does not model, derived from
`SearchDocument` rows by `search.fulltext` and removed with them by triggers.

PostgreSQL: `search_match`, one narrow row per document holding only what matching, ranking
and facets read. The vectors (every form of every word) and the word pairs phrases look up
(64-bit hashes, `search.analysis.pair_hash`) live out of line and are read through their
GIN indexes only, so a query over 100,000 documents
scans a couple of megabytes of rows instead of the documents' text. Facet values are small
integer codes (`search_facet_code`, see `search.facet_codes`).

SQLite: an FTS5 table of the analysed terms, ranked with bm25.

The migration (search.0001) creates them with SQL of its own, frozen as it ran; what is
here is what a rebuild needs to create the match table again (`search.fulltext`), and the
two must agree (tests/search/test_migrations.py compares them)."""

TABLE = "search_searchdocument"
MATCH_TABLE = "search_match"
FACET_CODE_TABLE = "search_facet_code"
# How many match rows of each (object_type, language) carry each facet code (`with_code`
# 0) and each code with each other one (`with_code` the other), kept by statement triggers
# on the match table (migration search.0006, whose functions the triggers call): a
# listing with no words, filtered by type, language and a value or two, reads its total
# and facet counts here instead of counting its matches (bench/pages.py at 100,000
# practices: see `search.backends.database.PostgresBackend._tallied_sql`).
TALLY_TABLE = "search_facet_tally"
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
    "title_pairs",
    "summary_pairs",
    "match_pairs",
)

# (name suffix, method, column) of the indexes: GIN for the vectors; a B-tree on the
# publication time for searches within a time window (a digest's week).
MATCH_INDEXES = (
    # Each vector with its word pairs (`search.analysis.pair_hash`) in one index: a phrase's
    # words and pairs are looked up in one scan, as the pairs were when they were lexemes.
    # As 64-bit integers the pairs cost the build half what they did as lexemes
    # (bench/README.md, "Current design (PostgreSQL)"; see migration 0009).
    ("vector", "gin", "match_vector, match_pairs"),
    ("summary", "gin", "summary_vector, summary_pairs"),
    ("title", "gin", "title_vector, title_pairs"),
    # Newest first, as listings and related items read (a time window reads it too):
    # `ORDER BY published_at DESC NULLS LAST, id DESC LIMIT 12` walks it and stops at the
    # twelfth match, where a plain published_at index left a sort of every match
    # (bench/pages.py, a theme page's newest practices at 100,000 on a loaded machine:
    # 137 ms; see migration 0004).
    ("published", "btree", "published_at DESC NULLS LAST, id DESC"),
    # A listing's page, and a theme or country page's sections: one type in one language,
    # newest first, read in order from the first row of that type and language; through
    # "published" a type with few items (guides among 100,000 practices) was a scan of
    # every row (bench/pages.py, a theme page's guides at 100,000 practices: 74 ms; see
    # migration 0007).
    ("listing", "btree", "object_type, language, published_at DESC NULLS LAST, id DESC"),
    # The rows carrying two facet values, whose facet counts a listing filtered by both
    # reads; every row was read to find them (bench/pages.py, the practice list filtered
    # by a theme and a country at 100,000 practices: see migration 0007).
    ("facets", "gin", "facets"),
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
            match_vector tsvector NOT NULL,
            title_pairs bigint[] NOT NULL,
            summary_pairs bigint[] NOT NULL,
            match_pairs bigint[] NOT NULL
        ) WITH (toast_tuple_target = 128)
        """,
        # What every match reads stays in the row, uncompressed. The vectors and pairs are
        # read only through their GIN indexes. Without statistics on a vector, the planner
        # takes any word for a rare one, so it always matches through the GIN index; told
        # that a word is common, it would weigh a sequential scan without counting the cost
        # of reading every row's out-of-line vector, many times slower.
        f"""
        ALTER TABLE {table}
            ALTER COLUMN facets SET STORAGE PLAIN,
            ALTER COLUMN facet_codes SET STORAGE PLAIN,
            ALTER COLUMN title_vector SET STORAGE EXTERNAL,
            ALTER COLUMN summary_vector SET STORAGE EXTERNAL,
            ALTER COLUMN match_vector SET STORAGE EXTERNAL,
            ALTER COLUMN title_pairs SET STORAGE EXTERNAL,
            ALTER COLUMN summary_pairs SET STORAGE EXTERNAL,
            ALTER COLUMN match_pairs SET STORAGE EXTERNAL,
            ALTER COLUMN title_vector SET STATISTICS 0,
            ALTER COLUMN summary_vector SET STATISTICS 0,
            ALTER COLUMN match_vector SET STATISTICS 0,
            ALTER COLUMN title_pairs SET STATISTICS 0,
            ALTER COLUMN summary_pairs SET STATISTICS 0,
            ALTER COLUMN match_pairs SET STATISTICS 0
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


def tally_triggers(table):
    """Statements putting the tally's triggers on `table` (a rebuild's new match table, once
    it is the live one: its rows are then counted with `TALLY_RECOUNT`)."""
    events = (
        ("added", "INSERT", "REFERENCING NEW TABLE AS added", "apply"),
        ("removed", "DELETE", "REFERENCING OLD TABLE AS removed", "apply"),
        ("changed", "UPDATE", "REFERENCING OLD TABLE AS removed NEW TABLE AS added", "apply"),
        ("truncated", "TRUNCATE", "", "clear"),
    )
    return [
        f"CREATE TRIGGER {TALLY_TABLE}_{name} AFTER {event} ON {table} {transition} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {TALLY_TABLE}_{function}()"
        for name, event, transition, function in events
    ]


# Every count from the match table's rows, in place of those kept.
TALLY_RECOUNT = [
    f"DELETE FROM {TALLY_TABLE}",
    f"INSERT INTO {TALLY_TABLE} (object_type, language, with_code, code, count) "
    "SELECT m.object_type, m.language, w.code, e.code, count(*) "
    f"FROM {MATCH_TABLE} m, unnest(m.facets) AS e(code), "
    "unnest(array_prepend(0::smallint, m.facets)) AS w(code) GROUP BY 1, 2, 3, 4",
]
