"""Writing the database backend's full-text index (see `search.schema`) from `SearchDocument`s.

Everything the index holds is derived from a document's own fields, so it can be rewritten
from the documents at any time (`write_index`); removing a document removes its index row
through a trigger.

PostgreSQL gets its tsvectors as literals built here, not through `to_tsvector`: the words
are already analysed (`search.analysis`), and a literal also carries the word pairs that
phrase queries look up (`analysis.shingles`), which PostgreSQL's parser would split."""

from contextlib import contextmanager
from functools import lru_cache

from django.db import connections, transaction

from . import analysis
from .schema import FTS_COLUMNS, FTS_TABLE, MATCH_COLUMNS, MATCH_INDEXES, MATCH_TABLE, TABLE

# PostgreSQL keeps word positions from 1 to 16,383 and at most 256 positions per lexeme.
MAX_POSITION = 16_383
MAX_POSITIONS_PER_LEXEME = 255


def _label_texts(document):
    """Label texts that repeat across documents (theme and country names in seven
    languages), then the document's own (organisation, places, tags)."""
    shared = [*document.theme_labels, *document.country_labels]
    own = "\n".join(part for part in (document.organisation_name, document.extra_labels) if part)
    return shared, own


def _summary_parts(document):
    parts = [analysis.analyse(document.summary, document.language)]
    if document.english_summary:
        parts.append(analysis.analyse(document.english_summary, "en"))
    return parts


# -- PostgreSQL ------------------------------------------------------------------------------


# Every query word is looked up under its folded form and the stems of that form, so those
# are all a document needs to hold: its exact and unfolded-stem forms would only make the
# index larger. Phrases are matched as typed, give or take case and diacritics: on the
# word pairs of the folded sequence.


def _sequences(indexed: analysis.IndexedText):
    if indexed.folded == indexed.folded_stemmed:
        return [indexed.folded]
    return [indexed.folded, indexed.folded_stemmed]


def _lexemes(indexed: analysis.IndexedText):
    lexemes = set(indexed.folded)
    lexemes.update(indexed.folded_stemmed)
    lexemes.update(analysis.shingles(indexed.folded))
    return lexemes


@lru_cache(maxsize=20_000)
def _label_lexemes(label):
    # Labels are in every UI language: normalised and folded, never stemmed.
    return frozenset(_lexemes(analysis.analyse(label, "")))


def positional_vector(parts):
    """A tsvector literal with positions (what `ts_rank` counts): every sequence of every
    part, then their word pairs, numbered one after the other."""
    positions = {}
    position = 0
    for indexed in parts:
        for sequence in (*_sequences(indexed), analysis.shingles(indexed.folded)):
            for lexeme in sequence:
                position = min(position + 1, MAX_POSITION)
                kept = positions.setdefault(lexeme, [])
                if len(kept) < MAX_POSITIONS_PER_LEXEME:
                    kept.append(position)
    # Analysed words are runs of word characters: no quote, backslash, colon or space to
    # escape.
    return " ".join(f"{lexeme}:{','.join(map(str, kept))}" for lexeme, kept in positions.items())


def match_vector(title, summary, body, document):
    """A tsvector literal without positions: every form of every word and every word pair
    of the whole document; only its GIN index is read."""
    lexemes = set()
    for indexed in (*title, *summary, body):
        lexemes |= _lexemes(indexed)
    shared, own = _label_texts(document)
    for label in shared:
        lexemes |= _label_lexemes(label)
    if own:
        lexemes |= _lexemes(analysis.analyse(own, ""))
    return " ".join(lexemes)


def match_values(document):
    """The `search_match` row of `document` but its id, in `MATCH_COLUMNS` order."""
    title = [analysis.analyse(document.title, document.language)]
    summary = _summary_parts(document)
    body = analysis.analyse(document.body, document.language)
    return (
        document.object_type,
        document.language,
        document.year,
        document.organisation,
        document.published_at,
        list(document.themes),
        list(document.countries),
        positional_vector(title),
        positional_vector(summary),
        match_vector(title, summary, body, document),
    )


def _copy(cursor, table, rows):
    with cursor.copy(f"COPY {table} ({', '.join(MATCH_COLUMNS)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


class Writer:
    """Turns documents into index rows (`analyse`: Python only, no database, so it may run
    in another thread, see `prepare`) and writes them."""

    def analyse(self, document):
        raise NotImplementedError

    def rows(self, documents):
        rows = []
        for document in documents:
            values = getattr(document, PREPARED, None) or self.analyse(document)
            rows.append((document.pk, *values))
        return rows

    def write(self, cursor, documents):
        raise NotImplementedError


PREPARED = "_index_values"


class PostgresWriter(Writer):
    def analyse(self, document):
        return match_values(document)

    def write(self, cursor, documents):
        rows = self.rows(documents)
        cursor.execute(f"DELETE FROM {MATCH_TABLE} WHERE id = ANY(%s)", [[row[0] for row in rows]])
        _copy(cursor, MATCH_TABLE, rows)


NEXT_TABLE = f"{MATCH_TABLE}_next"


class PostgresRebuild(PostgresWriter):
    """A whole new `search_match`, built beside the live one and swapped in at commit.

    Adding 100,000 documents' words to a GIN index one batch at a time costs about three
    times what building the index once over all of them does, and grows with the index;
    so a rebuild copies the rows into a table without indexes, indexes it, and replaces the
    live table in the same transaction. Readers use the old table until the commit."""

    def __init__(self, connection):
        self.connection = connection

    def start(self, cursor):
        cursor.execute(
            f"CREATE TABLE {NEXT_TABLE} (LIKE {MATCH_TABLE} INCLUDING DEFAULTS INCLUDING STORAGE) "
            "WITH (toast_tuple_target = 128)"
        )

    def write(self, cursor, documents):
        _copy(cursor, NEXT_TABLE, self.rows(documents))

    def finish(self, cursor):
        # Rows this rebuild did not write: documents saved meanwhile by other transactions,
        # or left out of a rebuild of some types only. The lock keeps them from changing
        # until the swap commits.
        cursor.execute(f"LOCK TABLE {MATCH_TABLE} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(
            f"INSERT INTO {NEXT_TABLE} SELECT * FROM {MATCH_TABLE} m "
            f"WHERE NOT EXISTS (SELECT 1 FROM {NEXT_TABLE} n WHERE n.id = m.id)"
        )
        # Documents removed since their row was written here.
        cursor.execute(
            f"DELETE FROM {NEXT_TABLE} n "
            f"WHERE NOT EXISTS (SELECT 1 FROM {TABLE} d WHERE d.id = n.id)"
        )
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute(f"ALTER TABLE {NEXT_TABLE} ADD PRIMARY KEY (id)")
        for name, column in MATCH_INDEXES:
            cursor.execute(f"CREATE INDEX {name}_next ON {NEXT_TABLE} USING gin ({column})")
        cursor.execute(f"DROP TABLE {MATCH_TABLE}")
        cursor.execute(f"ALTER TABLE {NEXT_TABLE} RENAME TO {MATCH_TABLE}")
        cursor.execute(f"ALTER INDEX {NEXT_TABLE}_pkey RENAME TO {MATCH_TABLE}_pkey")
        for name, _column in MATCH_INDEXES:
            cursor.execute(f"ALTER INDEX {name}_next RENAME TO {name}")
        cursor.execute(f"ANALYZE {MATCH_TABLE}")


# The rebuild under way on a connection (connections are per thread: a request served
# beside a rebuild writes as usual).
_rebuilds = {}


# -- SQLite ----------------------------------------------------------------------------------


@lru_cache(maxsize=20_000)
def _label_terms(label):
    return analysis.index_terms(label, "")


def fts_values(document):
    """(title, summary, body, labels) of `document`'s FTS5 row."""
    language = document.language
    summary = analysis.index_terms(document.summary, language)
    if document.english_summary:
        summary += " " + analysis.index_terms(document.english_summary, "en")
    shared, own = _label_texts(document)
    labels = [_label_terms(label) for label in shared]
    if own:
        labels.append(analysis.index_terms(own, ""))
    return (
        analysis.index_terms(document.title, language),
        summary,
        analysis.index_terms(document.body, language),
        " ".join(labels),
    )


class SqliteWriter(Writer):
    def analyse(self, document):
        return fts_values(document)

    def write(self, cursor, documents):
        rows = self.rows(documents)
        placeholders = ", ".join(["%s"] * len(rows))
        cursor.execute(
            f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})", [row[0] for row in rows]
        )
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(FTS_COLUMNS)}) "
            f"VALUES (%s, {', '.join(['%s'] * len(FTS_COLUMNS))})",
            rows,
        )


WRITERS = {"postgresql": PostgresWriter, "sqlite": SqliteWriter}


def writer_for(connection):
    if connection.vendor not in WRITERS:
        raise NotImplementedError(
            f"The database search backend does not support {connection.vendor}."
        )
    return WRITERS[connection.vendor]()


def prepare(documents, vendor):
    """Analyse `documents` for the index of a `vendor` database ahead of `write_index`, which
    then only writes. Touches no database: safe in a worker thread."""
    writer = WRITERS[vendor]()
    for document in documents:
        setattr(document, PREPARED, writer.analyse(document))
    return documents


def write_index(documents, using="default"):
    """Write the index rows of saved `documents` (in the caller's transaction)."""
    documents = [document for document in documents if document.pk is not None]
    if not documents:
        return
    connection = connections[using]
    with connection.cursor() as cursor:
        (_rebuilds.get(connection) or writer_for(connection)).write(cursor, documents)


@contextmanager
def rebuilding(using="default"):
    """Within it, `write_index` builds a new index that replaces the old one at the end
    (PostgreSQL; elsewhere it writes as usual). One transaction: if anything fails, the old
    index is untouched. Every document that exists at the end is in the new index."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        with transaction.atomic(using=using):
            yield
        return
    rebuild = PostgresRebuild(connection)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        rebuild.start(cursor)
        _rebuilds[connection] = rebuild
        try:
            yield
        finally:
            del _rebuilds[connection]
        rebuild.finish(cursor)
