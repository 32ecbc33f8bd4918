"""The database backend: PostgreSQL full-text search or SQLite FTS5 over `SearchDocument`.

Both engines search the analysed `*_terms` columns (see `search.analysis`) and share
everything but a few SQL fragments, which the two `Dialect` classes hold. A search is at most
three statements: the ranked page (with the total as a window count), the page's documents,
and one statement that counts every facet over the matched set (a materialised CTE per
distinct filter combination, since a facet's counts ignore its own filter)."""

import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from search import highlight
from search.models import SearchDocument
from search.parsing import ParsedQuery, parse
from search.schema import FTS_TABLE, TABLE
from taxonomy.countries import country_name
from taxonomy.languages import language_name

from .base import (
    FACETS,
    FacetValue,
    SearchBackend,
    SearchHit,
    SearchQuery,
    SearchResponse,
)

TYPE_LABELS = {
    "practice": _("Practice"),
    "guide": _("Guide"),
    "organisation": _("Organisation"),
    "thread": _("Forum thread"),
}

# SQLite bm25 column weights, in TERM_COLUMNS order: title, summary, body, labels.
BM25_WEIGHTS = (10.0, 4.0, 1.0, 2.0)


class PostgresDialect:
    @contextmanager
    def session(self, connection, parsed):
        """Statements of one search. A text search always goes through the GIN index: the
        planner does not count the cost of reading each document's out-of-line vector when
        it weighs a sequential scan for a common word, and that scan is several times
        slower. SET LOCAL ends with the transaction."""
        if not parsed.groups:
            yield
            return
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            yield

    def _tsquery_term(self, term):
        phrases = [
            " <-> ".join(self._lexeme(token) for token in phrase) for phrase in term.phrases()
        ]
        return "(" + " | ".join(f"({phrase})" for phrase in phrases) + ")"

    @staticmethod
    def _lexeme(token, prefix=False):
        quoted = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
        return quoted + (":*" if prefix else "")

    def tsquery(self, groups):
        return " & ".join(
            "(" + " | ".join(self._tsquery_term(term) for term in group) + ")" for group in groups
        )

    def match(self, parsed: ParsedQuery, ranked=False):
        conditions, params = [], []
        if parsed.groups:
            conditions.append("d.search_vector @@ to_tsquery('simple', %s)")
            params.append(self.tsquery(parsed.groups))
        if parsed.excluded:
            conditions.append("NOT (d.search_vector @@ to_tsquery('simple', %s))")
            params.append(self.tsquery([[term] for term in parsed.excluded]))
        return conditions, params

    def ranked(self, parsed):
        """(score expression, its parameters, FROM clause) of the ranking statement."""
        if not parsed.groups:
            return "0.0", [], f"{TABLE} d"
        score = "ts_rank(d.rank_vector, to_tsquery('simple', %s))"
        return score, [self.tsquery(parsed.groups)], f"{TABLE} d"

    def contains_any(self, column, values):
        return f"d.{column} ?| %s", [list(values)]

    def unnest(self, alias, column):
        return f"jsonb_array_elements_text({alias}.{column}) AS elements(value)"

    def shared_count(self, column, count):
        return (
            f"(SELECT count(*) FROM jsonb_array_elements_text(d.{column}) AS e(value) "
            "WHERE e.value = ANY(%s))"
        )

    def shared_params(self, values):
        return [list(values)]

    def title_prefix(self, words, prefix):
        query = " & ".join(
            [self._lexeme(word) + ":A" for word in words] + [self._lexeme(prefix, True) + "A"]
        )
        return "d.search_vector @@ to_tsquery('simple', %s)", [query]


class SqliteDialect:
    def session(self, connection, parsed):
        # No transaction: with transaction_mode IMMEDIATE it would take the write lock.
        return nullcontext()

    @staticmethod
    def _string(token):
        return '"' + token.replace('"', '""') + '"'

    def _fts_term(self, term):
        phrases = [" ".join(self._string(t) for t in phrase) for phrase in term.phrases()]
        # A multi-word phrase must be one string for FTS5: "a b".
        phrases = [p if " " not in p else '"' + p.replace('"', "") + '"' for p in phrases]
        return "(" + " OR ".join(phrases) + ")"

    def fts_query(self, groups):
        return " AND ".join(
            "(" + " OR ".join(self._fts_term(term) for term in group) + ")" for group in groups
        )

    def match(self, parsed: ParsedQuery, ranked=False):
        conditions, params = [], []
        if parsed.groups and ranked:
            conditions.append(f"{FTS_TABLE} MATCH %s")
            params.append(self.fts_query(parsed.groups))
        elif parsed.groups:
            conditions.append(f"d.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)")
            params.append(self.fts_query(parsed.groups))
        if parsed.excluded:
            conditions.append(
                f"d.id NOT IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"
            )
            params.append(self.fts_query([[term] for term in parsed.excluded]))
        return conditions, params

    def ranked(self, parsed):
        """(score expression, its parameters, FROM clause) of the ranking statement.
        bm25() needs the FTS table in the FROM clause, matched there (see `match`)."""
        if not parsed.groups:
            return "0.0", [], f"{TABLE} d"
        weights = ", ".join(str(weight) for weight in BM25_WEIGHTS)
        return (
            f"-bm25({FTS_TABLE}, {weights})",
            [],
            f"{FTS_TABLE} JOIN {TABLE} d ON d.id = {FTS_TABLE}.rowid",
        )

    def contains_any(self, column, values):
        placeholders = ", ".join(["%s"] * len(values))
        return (
            f"EXISTS (SELECT 1 FROM json_each(d.{column}) WHERE value IN ({placeholders}))",
            list(values),
        )

    def unnest(self, alias, column):
        return f"json_each({alias}.{column}) AS elements"

    def shared_count(self, column, count):
        placeholders = ", ".join(["%s"] * count)
        return f"(SELECT count(*) FROM json_each(d.{column}) WHERE value IN ({placeholders}))"

    def shared_params(self, values):
        return list(values)

    def title_prefix(self, words, prefix):
        parts = [self._string(word) for word in words] + [self._string(prefix) + " *"]
        query = "{title_terms} : (" + " AND ".join(parts) + ")"
        return f"d.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)", [query]


DIALECTS = {"postgresql": PostgresDialect, "sqlite": SqliteDialect}


@dataclass
class _Filters:
    """The SQL of each active filter, by facet, so a facet's counts can leave its own out."""

    by_facet: dict[str, tuple[str, list]]
    other: list[tuple[str, list]]

    def where(self, match, except_facet=None):
        conditions = list(match[0])
        params = list(match[1])
        for facet, (sql, values) in self.by_facet.items():
            if facet != except_facet:
                conditions.append(sql)
                params.extend(values)
        for sql, values in self.other:
            conditions.append(sql)
            params.extend(values)
        return " AND ".join(conditions) or "1 = 1", params


class DatabaseBackend(SearchBackend):
    name = "database"

    def __init__(self, using="default"):
        self.using = using

    @property
    def connection(self):
        return connections[self.using]

    @property
    def dialect(self):
        vendor = self.connection.vendor
        if vendor not in DIALECTS:
            raise NotImplementedError(f"The database search backend does not support {vendor}.")
        return DIALECTS[vendor]()

    def _execute(self, sql, params):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    # -- search --------------------------------------------------------------------------

    @staticmethod
    def stem_languages(query: SearchQuery):
        languages = [*query.languages, query.ui_language, settings.LANGUAGE_CODE]
        return tuple(dict.fromkeys(code.split("-")[0] for code in languages if code))

    def parse(self, query: SearchQuery):
        return parse(query.text, self.stem_languages(query), query.ui_language)

    def _filters(self, query, dialect):
        by_facet = {}
        if query.themes:
            by_facet["theme"] = dialect.contains_any("themes", query.themes)
        if query.countries:
            by_facet["country"] = dialect.contains_any("countries", query.countries)
        for facet, column, values in (
            ("type", "object_type", query.types),
            ("language", "language", query.languages),
            ("year", "year", query.years),
        ):
            if values:
                placeholders = ", ".join(["%s"] * len(values))
                by_facet[facet] = (f"d.{column} IN ({placeholders})", list(values))
        other = []
        if query.organisations:
            placeholders = ", ".join(["%s"] * len(query.organisations))
            other.append((f"d.organisation IN ({placeholders})", list(query.organisations)))
        return _Filters(by_facet, other)

    def search(self, query: SearchQuery) -> SearchResponse:
        started = time.perf_counter()
        parsed = self.parse(query)
        if query.text.strip() and parsed.is_empty:
            # Only punctuation, emoji or marks: nothing that can match.
            return SearchResponse(
                total=0,
                hits=[],
                facets={facet: [] for facet in FACETS} if query.with_facets else {},
                took_ms=(time.perf_counter() - started) * 1000,
                backend=self.name,
            )
        dialect = self.dialect
        match = dialect.match(parsed)
        filters = self._filters(query, dialect)
        with dialect.session(self.connection, parsed):
            total, ranked = self._ranked_page(query, parsed, dialect, filters)
            facets = self._facets(query, dialect, match, filters) if query.with_facets else {}
        hits = self._hits(ranked, parsed, query)
        return SearchResponse(
            total=total,
            hits=hits,
            facets=facets,
            took_ms=(time.perf_counter() - started) * 1000,
            backend=self.name,
        )

    def _ranked_page(self, query, parsed, dialect, filters):
        """(total, [(id, score)]) for the requested page."""
        score, score_params, source = dialect.ranked(parsed)
        where, where_params = filters.where(dialect.match(parsed, ranked=True))
        if query.sort == "newest" or not parsed.groups:
            order = "r.published_at DESC NULLS LAST, r.score DESC, r.id DESC"
        else:
            order = "r.score DESC, r.published_at DESC NULLS LAST, r.id DESC"
        # The window count rides on the page's rows; SQLite's bm25() must be computed in
        # the statement that holds the MATCH, hence the subquery.
        sql = (
            "SELECT r.id, r.score, count(*) OVER () AS total FROM ("
            f"SELECT d.id, d.published_at, {score} AS score FROM {source} WHERE {where}"
            f") r ORDER BY {order} LIMIT %s OFFSET %s"
        )
        rows = self._execute(sql, [*score_params, *where_params, query.page_size, query.offset])
        if rows:
            return rows[0][2], [(row[0], float(row[1])) for row in rows]
        if query.offset == 0:
            return 0, []
        # Past the last page: the window count had no row to ride on.
        count = self._execute(f"SELECT count(*) FROM {source} WHERE {where}", where_params)
        return count[0][0], []

    def _hits(self, ranked, parsed, query):
        documents = (
            SearchDocument.objects.using(self.using)
            .defer("title_terms", "summary_terms", "body_terms", "label_terms")
            .in_bulk([pk for pk, _score in ranked])
        )
        forms = parsed.forms()
        hits = []
        for pk, score in ranked:
            document = documents.get(pk)
            if document is None:  # deleted between the two statements
                continue
            hits.append(
                to_hit(
                    document,
                    score=score,
                    snippet=highlight.snippet(
                        [document.summary, document.body], forms, document.language
                    ),
                )
            )
        return hits

    # -- facets --------------------------------------------------------------------------

    def _facets(self, query, dialect, match, filters):
        """Counts per facet value. Filters combine with AND across facets and OR within one;
        each facet is counted with every filter but its own, so its other values stay
        visible with the counts they would give."""
        groups = {}  # which filter is left out -> facets counted that way
        for facet in FACETS:
            left_out = facet if facet in filters.by_facet else None
            groups.setdefault(left_out, []).append(facet)
        ctes, selects, params = [], [], []
        for index, (left_out, facets) in enumerate(groups.items()):
            where, where_params = filters.where(match, except_facet=left_out)
            ctes.append(
                f"m{index} AS MATERIALIZED (SELECT d.object_type, d.language, d.year, "
                f"d.themes, d.countries FROM {TABLE} d WHERE {where})"
            )
            params.extend(where_params)
            for facet in facets:
                selects.append(self._facet_select(dialect, facet, f"m{index}"))
        sql = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(selects)
        counts = {facet: [] for facet in FACETS}
        for facet, value, count in self._execute(sql, params):
            if value is not None:
                counts[facet].append((str(value), count))
        return self._labelled(counts, query.ui_language)

    @staticmethod
    def _facet_select(dialect, facet, cte):
        if facet in ("theme", "country"):
            column = "themes" if facet == "theme" else "countries"
            return (
                f"SELECT '{facet}' AS facet, elements.value AS value, count(*) AS n "
                f"FROM {cte}, {dialect.unnest(cte, column)} GROUP BY elements.value"
            )
        column = {"type": "object_type", "language": "language", "year": "year"}[facet]
        return (
            f"SELECT '{facet}' AS facet, CAST({column} AS TEXT) AS value, count(*) AS n "
            f"FROM {cte} GROUP BY {column}"
        )

    @staticmethod
    def _labelled(counts, ui_language):
        from taxonomy.models import Theme

        themes = {
            theme.slug: theme
            for theme in Theme.objects.filter(slug__in=[v for v, _ in counts["theme"]])
        }
        result = {}
        with translation.override(ui_language or settings.LANGUAGE_CODE):
            for facet, values in counts.items():
                labelled = []
                for value, count in values:
                    if facet == "theme":
                        label = themes[value].label(ui_language) if value in themes else value
                    elif facet == "country":
                        label = country_name(value, ui_language)
                    elif facet == "type":
                        label = str(TYPE_LABELS.get(value, value))
                    elif facet == "language":
                        label = str(language_name(value))
                    else:
                        label = value
                    labelled.append(FacetValue(value=value, label=label, count=count))
                if facet == "year":
                    labelled.sort(key=lambda item: item.value, reverse=True)
                else:
                    labelled.sort(key=lambda item: (-item.count, item.label.casefold()))
                result[facet] = labelled
        return result

    # -- suggestions and related items ----------------------------------------------------

    def suggest(self, prefix, language="", limit=8):
        parsed = parse(prefix, (language or settings.LANGUAGE_CODE,), language)
        if not parsed.groups:
            return []
        words = [
            term.positions[0]["exact"]
            for group in parsed.groups
            for term in group
            if len(term.positions) == 1
        ]
        last = parsed.prefix_word()
        words = [word for word in words if word != last]
        condition, params = self.dialect.title_prefix(words, last)
        rows = self._execute(
            f"SELECT d.title FROM {TABLE} d WHERE {condition} "
            "ORDER BY CASE WHEN d.language = %s THEN 0 ELSE 1 END, "
            "d.published_at DESC NULLS LAST, d.id DESC LIMIT %s",
            [*params, language or "", limit * 3],
        )
        return list(dict.fromkeys(title for (title,) in rows))[:limit]

    def more_like_this(self, key, limit=5):
        """Items in the same language sharing themes or countries, most shared first (a
        shared theme counts double); translations of the item are in other languages and so
        never listed."""
        document = SearchDocument.objects.using(self.using).filter(key=key).first()
        if document is None or not (document.themes or document.countries):
            return []
        dialect = self.dialect
        scores, params, conditions = [], [], []
        for column, weight in (("themes", 2), ("countries", 1)):
            values = getattr(document, column)
            if values:
                scores.append(f"{weight} * {dialect.shared_count(column, len(values))}")
                params.extend(dialect.shared_params(values))
                sql, values_params = dialect.contains_any(column, values)
                conditions.append((sql, values_params))
        where = "(" + " OR ".join(sql for sql, _ in conditions) + ")"
        where_params = [value for _, values_params in conditions for value in values_params]
        sql = (
            f"SELECT d.id, {' + '.join(scores)} AS score FROM {TABLE} d "
            f"WHERE {where} AND d.language = %s AND d.id <> %s "
            "ORDER BY score DESC, d.published_at DESC NULLS LAST, d.id DESC LIMIT %s"
        )
        rows = self._execute(sql, [*params, *where_params, document.language, document.pk, limit])
        documents = SearchDocument.objects.using(self.using).in_bulk([pk for pk, _ in rows])
        return [
            to_hit(document, score=float(score), snippet=highlight.snippet([document.summary], ()))
            for pk, score in rows
            if (document := documents.get(pk)) is not None
        ]


def to_hit(document, score, snippet):
    return SearchHit(
        key=document.key,
        title=document.title,
        url=document.url,
        type=document.object_type,
        language=document.language,
        countries=list(document.countries),
        themes=list(document.themes),
        snippet=snippet,
        score=score,
        source=document.source,
        published_at=document.published_at,
    )
