"""Writing the database backend's full-text index (see `search.schema`) from `SearchDocument`s.

Everything the index holds is derived from a document's own fields, so it can be rewritten
from the documents at any time (`write_index`); removing a document removes its index row
through a trigger.

PostgreSQL gets its tsvectors as literals built here, not through `to_tsvector`: the words
are already analysed (`search.analysis`), and a literal also carries the word pairs that
phrase queries look up (`analysis.shingles`), which PostgreSQL's parser would split."""

import queue
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from django.db import connections, models, transaction

from . import analysis, facet_codes
from .schema import (
    FTS_COLUMNS,
    FTS_TABLE,
    MATCH_COLUMNS,
    MATCH_PARTITIONS,
    MATCH_TABLE,
    TABLE,
    match_table,
    partition_indexes,
    table_indexes,
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


@lru_cache(maxsize=20_000)
def _label_lexemes(label):
    # Labels are in every UI language: normalised and folded, never stemmed.
    return frozenset(analysis.index_lexemes(label, ""))


def _labels(document):
    lexemes = set()
    shared, own = _label_texts(document)
    for label in shared:
        lexemes |= _label_lexemes(label)
    if own:
        lexemes |= analysis.index_lexemes(own, "")
    return lexemes


def match_values(document):
    """What `PostgresWriter` needs of `document` for its `search_match` row, in the order
    `MATCH_COLUMNS`, but with facet values as they are (the writer turns them into codes,
    and the status and label, which have no column, into codes only):
    the title vector, the summary vector, and the match vector of everything (title,
    summary, body, labels), of which only the GIN index is read."""
    language = document.language
    title = analysis.index_lexemes(document.title, language)
    summary = analysis.index_lexemes(document.summary, language)
    if document.english_summary:
        summary |= analysis.index_lexemes(document.english_summary, "en")
    everything = analysis.index_lexemes(document.body, language)
    everything |= title
    everything |= summary
    everything |= _labels(document)
    return (
        document.object_type,
        document.language,
        document.year,
        # Historical models of migrations before search.0007 have no status, before
        # search.0008 no label.
        getattr(document, "status", ""),
        getattr(document, "label", ""),
        document.organisation,
        document.published_at,
        list(document.themes),
        list(document.countries),
        len(title),
        _vector(title),
        _vector(summary),
        _vector(everything),
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
# Per session; a parallel rebuild runs `MATCH_PARTITIONS` of them.
INDEX_BUILD_MEMORY = "256MB"


class RebuildUnderWay(RuntimeError):
    """Another session is rebuilding the index of this database."""


class PostgresRebuild(PostgresWriter):
    """A whole new `search_match`, built beside the live one and swapped in at commit.

    Adding 100,000 documents' words to a GIN index one batch at a time costs about three
    times what building the index once over all of them does, and grows with the index;
    so a rebuild copies the rows into a table without indexes (`NEXT_TABLE`), indexes it,
    and replaces the live table in the transaction that saves the documents. Readers use the
    old table until the commit.

    With `parallel` (the caller is not inside a transaction of its own), the new table is
    filled by a session of its own, which commits as it goes, so that the GIN indexes of its
    partitions can be built by `MATCH_PARTITIONS` sessions at once: PostgreSQL 15 builds a
    GIN index on one CPU, and building them is most of a rebuild. The new table means
    nothing until the swap; `close` drops it if the rebuild fails. Without `parallel`,
    everything happens in the caller's transaction, one index after the other."""

    def __init__(self, connection, parallel=True):
        self.connection = connection
        self.parallel = parallel
        self.staging = None
        self._copier = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-rebuild")
        self._copy_in_flight = None

    def _session(self):
        """A new connection to the same database, committing each statement."""
        session = self.connection.get_new_connection(self.connection.get_connection_params())
        session.autocommit = True
        session.execute(f"SET maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
        # Its commits need not wait for the disk: until the swap, which the caller's session
        # commits, what it wrote is of no use to anyone, and a failed rebuild drops it.
        session.execute("SET synchronous_commit = off")
        return session

    def start(self, cursor):
        if self.parallel:
            self.staging = self._session()
            locked = self.staging.execute(
                "SELECT pg_try_advisory_lock(hashtext(%s))", [REBUILD_LOCK]
            ).fetchone()[0]
        else:
            cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", [REBUILD_LOCK])
            locked = cursor.fetchone()[0]
        if not locked:
            raise RebuildUnderWay(
                "Another search index rebuild is running on this database; "
                "run this one when it has finished."
            )
        # A table left by a rebuild whose process died before it could drop it.
        self._execute(cursor, [f"DROP TABLE IF EXISTS {NEXT_TABLE}", *match_table(NEXT_TABLE)])

    def _execute(self, cursor, statements):
        for statement in statements:
            (self.staging or cursor).execute(statement)

    def write(self, cursor, documents):
        rows = self.coded_rows(cursor, documents)
        if self.staging is None:
            _copy(cursor, NEXT_TABLE, rows)
            return
        # The staging session stores this batch while the caller goes on with the next one
        # (psycopg waits for the server without holding the GIL). One batch in flight at a
        # time: memory stays bounded, and a failed COPY fails the next write.
        self._wait_for_copy()
        self._copy_in_flight = self._copier.submit(self._copy_staged, rows)

    def _copy_staged(self, rows):
        with self.staging.cursor() as staging_cursor:
            _copy(staging_cursor, NEXT_TABLE, rows)

    def _wait_for_copy(self):
        in_flight, self._copy_in_flight = self._copy_in_flight, None
        if in_flight is not None:
            in_flight.result()

    def _build_indexes(self, cursor):
        statements = partition_indexes(NEXT_TABLE)
        if self.staging is None:
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
            for statement in statements:
                cursor.execute(statement)
            return
        pending = queue.SimpleQueue()
        for statement in statements:
            pending.put(statement)

        def build(session):
            while True:
                try:
                    statement = pending.get_nowait()
                except queue.Empty:
                    return
                session.execute(statement)

        sessions = [self.staging]
        try:
            sessions.extend(self._session() for _ in range(MATCH_PARTITIONS - 1))
            with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
                for future in [pool.submit(build, session) for session in sessions]:
                    future.result()
        finally:
            for session in sessions[1:]:
                session.close()

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
        self._wait_for_copy()
        self._build_indexes(cursor)
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
        for statement in table_indexes(NEXT_TABLE):
            cursor.execute(statement)
        cursor.execute(f"DROP TABLE {MATCH_TABLE}")
        # The new table, its partitions, keys and indexes take the names of the old ones.
        cursor.execute(
            "SELECT relname, relkind IN ('i', 'I') FROM pg_class "
            "WHERE relnamespace = to_regnamespace(current_schema()) AND relname LIKE %s "
            "AND relkind IN ('r', 'p', 'i', 'I')",
            [NEXT_TABLE.replace("_", "\\_") + "%"],
        )
        for name, is_index in cursor.fetchall():
            kind = "INDEX" if is_index else "TABLE"
            renamed = MATCH_TABLE + name[len(NEXT_TABLE) :]
            cursor.execute(f"ALTER {kind} {name} RENAME TO {renamed}")
        # Statistics for the planner now, not when autovacuum comes by (none of the vectors:
        # see `NO_VECTOR_STATISTICS`).
        cursor.execute(f"ANALYZE {MATCH_TABLE}")

    def close(self):
        """End the staging session, dropping the new table if the rebuild did not swap it
        in (after a commit it has the live table's name)."""
        # A COPY still running (the rebuild failed meanwhile) holds the staging session.
        self._copier.shutdown(wait=True)
        if self.staging is None:
            return
        try:
            self.staging.execute(f"DROP TABLE IF EXISTS {NEXT_TABLE}")
        finally:
            # Closing also releases the advisory lock.
            self.staging.close()
            self.staging = None


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


@dataclass(frozen=True)
class IndexInput:
    """What the analysis reads of a document: plain values, so that another process can do
    it (see `indexing.analysed_ahead`)."""

    object_type: str
    language: str
    year: int | None
    status: str
    label: str
    organisation: str
    published_at: object
    themes: tuple
    countries: tuple
    title: str
    summary: str
    english_summary: str
    body: str
    theme_labels: tuple
    country_labels: tuple
    organisation_name: str
    extra_labels: str

    @classmethod
    def of(cls, document):
        return cls(**{name: getattr(document, name) for name in cls.__dataclass_fields__})


def analyse_inputs(vendor, inputs):
    """The index values (`Writer.analyse`) of `inputs` for a `vendor` database. Needs no
    database and no Django setup."""
    writer = WRITERS[vendor]()
    return [writer.analyse(item) for item in inputs]


def attach(documents, values):
    """Give `documents` their analysed index values: `write_index` then only writes."""
    for document, value in zip(documents, values, strict=True):
        setattr(document, PREPARED, value)
    return documents


def rebuild_under_way(using="default"):
    """The `PostgresRebuild` running on this thread's connection, if any."""
    return _rebuilds.get(connections[using])


def write_index(documents, using="default"):
    """Write the index rows of saved `documents` (in the caller's transaction)."""
    documents = [document for document in documents if document.pk is not None]
    if not documents:
        return
    connection = connections[using]
    with connection.cursor() as cursor:
        (_rebuilds.get(connection) or writer_for(connection)).write(cursor, documents)


def write_index_of_all(apps, schema_editor, batch_size=500):
    """Write the index rows of every document, a batch at a time: for migrations that
    recreate the index (`apps` and `schema_editor` are a migration's)."""
    alias = schema_editor.connection.alias
    documents = apps.get_model("search", "SearchDocument").objects.using(alias)
    batch = []
    for document in documents.order_by("id").iterator(chunk_size=batch_size):
        batch.append(document)
        if len(batch) == batch_size:
            write_index(batch, using=alias)
            batch = []
    write_index(batch, using=alias)


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
    # Inside a transaction of the caller's (a test's, say) the new table must be written in
    # it too: its commit, not ours, would make the swap.
    rebuild = PostgresRebuild(connection, parallel=not connection.in_atomic_block)
    try:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            rebuild.start(cursor)
            _rebuilds[connection] = rebuild
            try:
                yield
            finally:
                del _rebuilds[connection]
            rebuild.finish(cursor)
    finally:
        rebuild.close()
