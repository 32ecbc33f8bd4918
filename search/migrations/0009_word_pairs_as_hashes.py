"""PostgreSQL: the word pairs that quoted phrases look up leave the tsvectors of
`search_match` for `bigint[]` columns of 64-bit hashes beside them (`title_pairs`,
`summary_pairs`, `match_pairs`), each indexed with its vector in one GIN index. Text keys
made the match vector's GIN index cost twice as much to build as the same pairs as integers
(bench/README.md, "The database build and p95, measured").

Existing rows are moved here, in SQL: a pair is a lexeme holding "+" (never part of a
word), its hash the first 8 bytes of the SHA-256 of its UTF-8 text as a signed 64-bit
integer, as the app computes it for new rows (`search.analysis.pair_hash`). Reversed, the
pairs' text cannot be had from their hashes: the vectors keep no pairs, and phrases find
nothing until `manage.py search_index rebuild`. SQLite: no change.

The table is locked while every row is rewritten (2 minutes at 100,000 bench documents);
the old row versions are left to (auto)vacuum, or a rebuild writes a compact table.

The SQL is frozen here as it ran; it calls nothing of the app's current schema code."""

from django.db import migrations

FORWARD = [
    "DROP INDEX IF EXISTS search_match_vector",
    "DROP INDEX IF EXISTS search_match_summary",
    "DROP INDEX IF EXISTS search_match_title",
    """
    ALTER TABLE search_match
        ADD COLUMN title_pairs bigint[] NOT NULL DEFAULT '{}',
        ADD COLUMN summary_pairs bigint[] NOT NULL DEFAULT '{}',
        ADD COLUMN match_pairs bigint[] NOT NULL DEFAULT '{}'
    """,
    """
    ALTER TABLE search_match
        ALTER COLUMN title_pairs SET STORAGE EXTERNAL,
        ALTER COLUMN summary_pairs SET STORAGE EXTERNAL,
        ALTER COLUMN match_pairs SET STORAGE EXTERNAL,
        ALTER COLUMN title_pairs SET STATISTICS 0,
        ALTER COLUMN summary_pairs SET STATISTICS 0,
        ALTER COLUMN match_pairs SET STATISTICS 0
    """,
    # A pair is a lexeme holding "+"; its hash the first 8 bytes of its SHA-256 as a signed
    # 64-bit integer. The title's and summary's pairs are among the match vector's: a row
    # whose match vector has none has none.
    """
    UPDATE search_match SET
        title_pairs = ARRAY(
            SELECT ('x' || left(encode(sha256(convert_to(l, 'UTF8')), 'hex'), 16))::bit(64)::bigint
            FROM unnest(tsvector_to_array(title_vector)) AS u(l) WHERE strpos(l, '+') > 0
        ),
        summary_pairs = ARRAY(
            SELECT ('x' || left(encode(sha256(convert_to(l, 'UTF8')), 'hex'), 16))::bit(64)::bigint
            FROM unnest(tsvector_to_array(summary_vector)) AS u(l) WHERE strpos(l, '+') > 0
        ),
        match_pairs = ARRAY(
            SELECT ('x' || left(encode(sha256(convert_to(l, 'UTF8')), 'hex'), 16))::bit(64)::bigint
            FROM unnest(tsvector_to_array(match_vector)) AS u(l) WHERE strpos(l, '+') > 0
        ),
        title_vector = ts_delete(title_vector, ARRAY(
            SELECT l FROM unnest(tsvector_to_array(title_vector)) AS u(l) WHERE strpos(l, '+') > 0
        )),
        summary_vector = ts_delete(summary_vector, ARRAY(
            SELECT l FROM unnest(tsvector_to_array(summary_vector)) AS u(l) WHERE strpos(l, '+') > 0
        )),
        match_vector = ts_delete(match_vector, ARRAY(
            SELECT l FROM unnest(tsvector_to_array(match_vector)) AS u(l) WHERE strpos(l, '+') > 0
        ))
    WHERE strpos(match_vector::text, '+') > 0
    """,
    """
    ALTER TABLE search_match
        ALTER COLUMN title_pairs DROP DEFAULT,
        ALTER COLUMN summary_pairs DROP DEFAULT,
        ALTER COLUMN match_pairs DROP DEFAULT
    """,
    "SET LOCAL maintenance_work_mem = '256MB'",
    "CREATE INDEX search_match_vector ON search_match USING gin (match_vector, match_pairs)",
    "CREATE INDEX search_match_summary ON search_match USING gin (summary_vector, summary_pairs)",
    "CREATE INDEX search_match_title ON search_match USING gin (title_vector, title_pairs)",
]

BACKWARD = [
    "DROP INDEX IF EXISTS search_match_vector",
    "DROP INDEX IF EXISTS search_match_summary",
    "DROP INDEX IF EXISTS search_match_title",
    "ALTER TABLE search_match DROP COLUMN title_pairs, DROP COLUMN summary_pairs, "
    "DROP COLUMN match_pairs",
    "CREATE INDEX search_match_vector ON search_match USING gin (match_vector)",
    "CREATE INDEX search_match_summary ON search_match USING gin (summary_vector)",
    "CREATE INDEX search_match_title ON search_match USING gin (title_vector)",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0008_document_text_lz4_compression")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
