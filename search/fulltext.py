"""Writing the database backend's full-text index (see `search.schema`) from `SearchDocument`s.

Everything the index holds is derived from a document's own fields, so it can be rewritten
from the documents at any time (`write_index`); removing a document removes its index row
through a trigger.

PostgreSQL gets its tsvectors as literals built here, not through `to_tsvector`: the words
are already analysed (`search.analysis`), and a literal also carries the word pairs that
phrase queries look up (`analysis.shingles`), which PostgreSQL's parser would split."""

from functools import lru_cache

from django.db import connections

from . import analysis
from .schema import FTS_COLUMNS, FTS_TABLE, MATCH_COLUMNS, MATCH_TABLE

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


def _lexemes(indexed: analysis.IndexedText):
    lexemes = set(indexed.exact)
    lexemes.update(indexed.folded, indexed.stemmed, indexed.folded_stemmed)
    for sequence in indexed.phrase_sequences():
        lexemes.update(analysis.shingles(sequence))
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
        sequences = [*indexed.sequences()]
        sequences += [analysis.shingles(sequence) for sequence in indexed.phrase_sequences()]
        for sequence in sequences:
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


def match_row(document):
    """The `search_match` row of `document`, in `MATCH_COLUMNS` order."""
    title = [analysis.analyse(document.title, document.language)]
    summary = _summary_parts(document)
    body = analysis.analyse(document.body, document.language)
    return (
        document.pk,
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


class PostgresWriter:
    def write(self, cursor, documents):
        rows = [match_row(document) for document in documents]
        cursor.execute(f"DELETE FROM {MATCH_TABLE} WHERE id = ANY(%s)", [[row[0] for row in rows]])
        with cursor.copy(f"COPY {MATCH_TABLE} ({', '.join(MATCH_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


# -- SQLite ----------------------------------------------------------------------------------


@lru_cache(maxsize=20_000)
def _label_terms(label):
    return analysis.index_terms(label, "")


def fts_row(document):
    """(rowid, title, summary, body, labels) of `document`'s FTS5 row."""
    language = document.language
    summary = analysis.index_terms(document.summary, language)
    if document.english_summary:
        summary += " " + analysis.index_terms(document.english_summary, "en")
    shared, own = _label_texts(document)
    labels = [_label_terms(label) for label in shared]
    if own:
        labels.append(analysis.index_terms(own, ""))
    return (
        document.pk,
        analysis.index_terms(document.title, language),
        summary,
        analysis.index_terms(document.body, language),
        " ".join(labels),
    )


class SqliteWriter:
    def write(self, cursor, documents):
        rows = [fts_row(document) for document in documents]
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


def write_index(documents, using="default"):
    """Write the index rows of saved `documents` (in the caller's transaction)."""
    documents = [document for document in documents if document.pk is not None]
    if not documents:
        return
    connection = connections[using]
    with connection.cursor() as cursor:
        writer_for(connection).write(cursor, documents)
