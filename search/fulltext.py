"""Writing the database backend's full-text index (see `search.schema`) from `SearchDocument`s.

Everything the index holds is derived from a document's own fields, so it can be rewritten
from the documents at any time (`write_index`); removing a document removes its index row
through a trigger.

PostgreSQL gets its tsvectors as literals built here, not through `to_tsvector`: the words
are already analysed (`search.analysis`). The word pairs that phrase queries look up
(`analysis.shingles`) go beside each vector as 64-bit hashes (`analysis.pair_hash`) in a
`bigint[]`."""

from contextlib import contextmanager
from functools import lru_cache

from django.db import connections, models, transaction

from . import analysis, facet_codes
from .schema import (
    FTS_COLUMNS,
    FTS_TABLE,
    MATCH_COLUMNS,
    MATCH_INDEXES,
    MATCH_TABLE,
    TABLE,
    TALLY_RECOUNT,
    match_indexes,
    match_table,
    tally_triggers,
)


def _label_texts(document):
    """Label texts that repeat across documents (theme and country names in seven
    languages), then the document's own (organisation, places, tags)."""
    shared = [*document.theme_labels, *document.country_labels]
    own = "\n".join(part for part in (document.organisation_name, document.extra_labels) if part)
    return shared, own


# -- PostgreSQL ------------------------------------------------------------------------------


# Every query word is looked up under its folded form and the stems of that form, so those
# are all a document needs to hold (`analysis.index_lexemes`): its exact and unfolded-stem
# forms would only make the index larger. Phrases are matched as typed, give or take case
# and diacritics: on the word pairs of the folded sequence.


def _vector(lexemes):
    # Analysed words are runs of word characters: no quote, backslash, colon or space to
    # escape. No positions: phrases are word pairs, and ranking goes by field and date
    # (`PostgresDialect.ranked`), not by where in a field a word stands.
    return " ".join(lexemes)


def _pairs(pairs):
    """The `bigint[]` literal of `pairs`' hashes (`analysis.pair_hash`), as COPY takes it."""
    return "{" + ",".join(map(str, analysis.pair_hashes(pairs))) + "}"


@lru_cache(maxsize=20_000)
def _label_lexemes(label):
    # Labels are in every UI language: normalised and folded, never stemmed.
    lexemes, pairs = analysis.index_lexemes(label, "")
    return frozenset(lexemes), frozenset(pairs)


def _union(*analysed):
    """(lexemes, pairs) holding those of every (lexemes, pairs) of `analysed`."""
    return (
        set().union(*(lexemes for lexemes, _pairs in analysed)),
        set().union(*(pairs for _lexemes, pairs in analysed)),
    )


def _labels(document):
    """(lexemes, pairs) of the document's labels."""
    shared, own = _label_texts(document)
    analysed = [_label_lexemes(label) for label in shared]
    if own:
        analysed.append(analysis.index_lexemes(own, ""))
    return _union(*analysed)


# The parts of a document analysed once when it is saved (`analyse_documents`), each with the
# field that stores its analysed forms.
ANALYSED_PARTS = (("title", "title_terms"), ("summary", "summary_terms"), ("body", "body_terms"))


def analyse_documents(documents, lexemes=False):
    """Analyse each document's title, summary and body once (`analysis.analyse`): their
    forms are stored in the document (`title_terms`, ...), which SQLite's index and
    Elasticsearch's bulk indexing take as they are; with `lexemes` (PostgreSQL), the same
    analysis also gives the lexemes and word pairs `match_values` writes, kept on the
    instance until then."""
    for document in documents:
        language = document.language
        found = {}
        for part, field in ANALYSED_PARTS:
            indexed = analysis.analyse(getattr(document, part) or "", language)
            setattr(document, field, analysis.joined_sequences(indexed))
            if lexemes:
                found[part] = analysis.folded_lexemes(indexed)
        if lexemes:
            document._lexemes = found


def stored_terms(document, part):
    """The analysed forms of `part` ("title", "summary", "body") of `document`: those stored
    when it was saved, or, for a document saved before they were (or never saved), its
    text analysed now."""
    terms = getattr(document, f"{part}_terms")
    text = getattr(document, part)
    if terms or not text:
        return terms
    return analysis.index_terms(text, document.language)


def _part_lexemes(document):
    """{part: (lexemes, pairs)} of the title, summary and body, from `analyse_documents`
    when it ran on this instance."""
    found = document.__dict__.pop("_lexemes", None)  # read once: the rows are written once
    if found is not None:
        return found
    return {
        part: analysis.index_lexemes(getattr(document, part), document.language)
        for part, _field in ANALYSED_PARTS
    }


def indexed_fields(document):
    """{field: (lexemes, word pairs)} of `document`'s "title", "summary" and "match" (everything:
    title, summary, body, labels)."""
    lexemes = _part_lexemes(document)
    title, summary = lexemes["title"], lexemes["summary"]
    if document.english_summary:
        summary = _union(summary, analysis.index_lexemes(document.english_summary, "en"))
    return {
        "title": title,
        "summary": summary,
        "match": _union(lexemes["body"], title, summary, _labels(document)),
    }


def match_values(document):
    """What `PostgresWriter` needs of `document` for its `search_match` row, in the order
    `MATCH_COLUMNS`, but with facet values as they are (the writer turns them into codes,
    and the status and label, which have no column, into codes only):
    the title vector, the summary vector, and the match vector of everything (title,
    summary, body, labels), of which only the GIN index is read, then the word pairs of
    each of the three (`indexed_fields`)."""
    fields = indexed_fields(document)
    title, title_pairs = fields["title"]
    return (
        document.object_type,
        document.language,
        document.year,
        document.status,
        document.label,
        document.organisation,
        document.published_at,
        list(document.themes),
        list(document.countries),
        # As many as when the pairs were lexemes of the title vector: the same ranking.
        len(title) + len(title_pairs),
        *(_vector(fields[field][0]) for field in ("title", "summary", "match")),
        *(_pairs(fields[field][1]) for field in ("title", "summary", "match")),
    )


def _copy(cursor, table, rows):
    with cursor.copy(f"COPY {table} ({', '.join(MATCH_COLUMNS)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


class Writer:
    """Turns documents into index rows (`analyse`) and writes them."""

    def analyse(self, document):
        raise NotImplementedError

    def rows(self, documents):
        return [(document.pk, *self.analyse(document)) for document in documents]

    def write(self, cursor, documents):
        raise NotImplementedError


class PostgresWriter(Writer):
    def analyse(self, document):
        return match_values(document)

    def coded_rows(self, cursor, documents):
        """`rows` as `MATCH_COLUMNS`: the facet values replaced by their codes (see
        `search.facet_codes`), as an array and packed."""
        analysed = []
        for row in self.rows(documents):
            pk, object_type, language, year, status, label, organisation, published_at, *rest = row
            themes, countries, title_length, *vectors = rest
            pairs = facet_codes.pairs_of(
                object_type, language, year, status, themes, countries, label
            )
            head = (pk, object_type, language, year, organisation, published_at, title_length)
            analysed.append((head, pairs, vectors))
        codes = facet_codes.assign(cursor, (pair for _, pairs, _ in analysed for pair in pairs))
        coded = []
        for head, pairs, vectors in analysed:
            row_codes = sorted({codes[pair] for pair in pairs})
            coded.append((*head, row_codes, facet_codes.pack(row_codes), *vectors))
        return coded

    def write(self, cursor, documents):
        rows = self.coded_rows(cursor, documents)
        cursor.execute(f"DELETE FROM {MATCH_TABLE} WHERE id = ANY(%s)", [[row[0] for row in rows]])
        _copy(cursor, MATCH_TABLE, rows)


NEXT_TABLE = f"{MATCH_TABLE}_next"

# One rebuild at a time per database: they would share `NEXT_TABLE`.
REBUILD_LOCK = "search_match rebuild"
INDEX_BUILD_MEMORY = "256MB"


class RebuildUnderWay(RuntimeError):
    """Another session is rebuilding the index of this database."""


class PostgresRebuild(PostgresWriter):
    """A whole new `search_match`, built beside the live one and swapped in at commit.

    Adding 100,000 documents' words to a GIN index one batch at a time costs about three
    times what building the index once over all of them does, and grows with the index;
    so a rebuild copies the rows into a table without indexes (`NEXT_TABLE`), indexes it,
    and replaces the live table in the transaction that saves the documents. Readers use the
    old table until the commit."""

    def __init__(self, connection):
        self.connection = connection

    def start(self, cursor):
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", [REBUILD_LOCK])
        if not cursor.fetchone()[0]:
            raise RebuildUnderWay(
                "Another search index rebuild is running on this database; "
                "run this one when it has finished."
            )
        for statement in [f"DROP TABLE IF EXISTS {NEXT_TABLE}", *match_table(NEXT_TABLE)]:
            cursor.execute(statement)

    def write(self, cursor, documents):
        _copy(cursor, NEXT_TABLE, self.coded_rows(cursor, documents))

    def replace_documents(self, cursor, documents):
        """Save `documents` in place of those with the same keys, and write their index
        rows: a DELETE and two COPYs, a fraction of what an upsert through the ORM costs.
        The documents get new ids; nothing refers to a document by its id but its index row,
        which is written here."""
        from .models import SearchDocument

        fields = SearchDocument._meta.concrete_fields
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [TABLE, len(documents)],
        )
        for document, (pk,) in zip(documents, cursor.fetchall(), strict=True):
            document.pk = pk
        cursor.execute(f"DELETE FROM {TABLE} WHERE key = ANY(%s)", [[d.key for d in documents]])
        columns = ", ".join(field.column for field in fields)
        prepared = [(field.attname, _db_preparation(field)) for field in fields]
        connection = self.connection
        with cursor.copy(f"COPY {TABLE} ({columns}) FROM STDIN") as copy:
            for document in documents:
                row = []
                for name, prepare in prepared:
                    value = getattr(document, name)
                    row.append(prepare(value, connection) if prepare else value)
                copy.write_row(row)
        self.write(cursor, documents)

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
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
        for statement in match_indexes(NEXT_TABLE):
            cursor.execute(statement)
        cursor.execute(f"DROP TABLE {MATCH_TABLE}")
        # The new table, its key and indexes take the names of the old ones.
        cursor.execute(f"ALTER TABLE {NEXT_TABLE} RENAME TO {MATCH_TABLE}")
        cursor.execute(
            f"ALTER TABLE {MATCH_TABLE} RENAME CONSTRAINT {NEXT_TABLE}_pkey TO {MATCH_TABLE}_pkey"
        )
        for suffix, _method, _column in MATCH_INDEXES:
            cursor.execute(f"ALTER INDEX {NEXT_TABLE}_{suffix} RENAME TO {MATCH_TABLE}_{suffix}")
        # The facet tally's triggers went with the old table; the new one's rows are
        # counted once, not batch by batch as they were copied.
        for statement in [*tally_triggers(MATCH_TABLE), *TALLY_RECOUNT]:
            cursor.execute(statement)
        # Statistics for the planner now, not when autovacuum comes by (none of the vectors:
        # see `search.schema.match_table`).
        cursor.execute(f"ANALYZE {MATCH_TABLE}")


# Fields whose Python value is already what the database takes: text and whole numbers.
# Asking Django to prepare them costs more than copying the row (a rebuild copies 21 fields
# of 100,000 documents).
_AS_IS = (models.CharField, models.TextField, models.IntegerField)


def _db_preparation(field):
    """None for a field whose values go to the database as they are, else the field's
    `get_db_prep_save`."""
    return None if isinstance(field, _AS_IS) else field.get_db_prep_save


# The rebuild under way on a connection (connections are per thread: a request served
# beside a rebuild writes as usual).
_rebuilds = {}


# -- SQLite ----------------------------------------------------------------------------------


@lru_cache(maxsize=20_000)
def label_terms(label):
    """`analysis.index_terms` of a label: theme and country names in every UI language and
    organisations' names recur across documents, so each is analysed once per process."""
    return analysis.index_terms(label, "")


def fts_values(document):
    """(title, summary, body, labels) of `document`'s FTS5 row."""
    summary = stored_terms(document, "summary")
    if document.english_summary:
        summary += " " + analysis.index_terms(document.english_summary, "en")
    shared, own = _label_texts(document)
    labels = [label_terms(label) for label in shared]
    if own:
        labels.append(analysis.index_terms(own, ""))
    return (
        stored_terms(document, "title"),
        summary,
        stored_terms(document, "body"),
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


def writes_lexemes(using="default"):
    """Whether the index of this database takes lexemes (PostgreSQL) rather than the stored
    terms (SQLite)."""
    return connections[using].vendor == "postgresql"


def rebuild_under_way(using="default"):
    """The `PostgresRebuild` running on this thread's connection, if any."""
    return _rebuilds.get(connections[using])


def write_index(documents, using="default", analysed=False):
    """Write the index rows of saved `documents` (in the caller's transaction). Their text
    is analysed here unless `analysed` says `analyse_documents` just did (`save_documents`):
    documents read back from the database may carry forms older than their text."""
    documents = [document for document in documents if document.pk is not None]
    if not documents:
        return
    if not analysed:
        analyse_documents(documents, lexemes=writes_lexemes(using))
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
