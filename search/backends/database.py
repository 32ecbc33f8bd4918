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

from search import analysis, highlight
from search.models import SearchDocument
from search.parsing import ParsedQuery, parse
from search.schema import FTS_TABLE, MATCH_TABLE, TABLE
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
    """Matches, ranks and counts facets on the narrow `search_match` table (see
    `search.schema`); the documents' own table is read only for the page's 20 rows."""

    table = MATCH_TABLE

    @contextmanager
    def session(self, connection, parsed):
        """Statements of one search. A text search always goes through the GIN indexes: the
        planner does not count the cost of reading each row's out-of-line vector when it
        weighs a sequential scan for a common word, and that scan is many times slower.
        SET LOCAL ends with the transaction."""
        if not parsed.groups:
            yield
            return
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            yield

    @staticmethod
    def _lexeme(token, prefix=False):
        quoted = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
        return quoted + (":*" if prefix else "")

    def _tsquery_term(self, term):
        """A word: any of its forms. A phrase: all its word pairs (`analysis.shingles`) as
        folded, which is how the index holds phrases (see `search.fulltext`)."""
        if len(term.positions) == 1:
            return "(" + " | ".join(self._lexeme(form) for (form,) in term.phrases()) + ")"
        folded = [position.get("folded", position["exact"]) for position in term.positions]
        pairs = dict.fromkeys(analysis.shingles(folded))
        return "(" + " & ".join(self._lexeme(pair) for pair in pairs) + ")"

    def tsquery(self, groups):
        """The query as a tsquery literal. Its lexemes are analysed already, so it is cast,
        never run through `to_tsquery`, which would split the word pairs."""
        return " & ".join(
            "(" + " | ".join(self._tsquery_term(term) for term in group) + ")" for group in groups
        )

    def match(self, parsed: ParsedQuery, ranked=False, positive=True):
        conditions, params = [], []
        if parsed.groups and positive:
            conditions.append("d.match_vector @@ %s::tsquery")
            params.append(self.tsquery(parsed.groups))
        if parsed.excluded:
            # Through the index: testing each match's own vector would read it from disk.
            conditions.append(
                f"d.id NOT IN (SELECT x.id FROM {MATCH_TABLE} x "
                "WHERE x.match_vector @@ %s::tsquery)"
            )
            # Any excluded term excludes: one group of alternatives.
            params.append(self.tsquery([list(parsed.excluded)]))
        return conditions, params

    def ranked(self, parsed):
        """(score expression, its parameters, FROM clause) of the first ranking statement.
        A title match scores between 1 and 2, more for a shorter title (a title that is
        little else than the words searched for is about them); anything else 0, and is
        ranked by `ranked_rest` when the page reaches past the title matches."""
        if not parsed.groups:
            return "0.0", [], f"{MATCH_TABLE} d"
        score = (
            "CASE WHEN d.title_vector @@ %s::tsquery "
            "THEN 1.0 + 1.0 / (1 + length(d.title_vector)) ELSE 0.0 END"
        )
        return score, [self.tsquery(parsed.groups)], f"{MATCH_TABLE} d"

    def ranked_rest(self, parsed):
        """The two tiers below title matches, as (score, its params, WHERE, its params):
        summary matches, then the rest (body, labels); newest first within each. Neither
        reads a vector of its rows: both tiers come from GIN indexes."""
        tsquery = self.tsquery(parsed.groups)
        exclusions, exclusion_params = self.match(parsed, positive=False)
        # A summary match is a match: its tier needs no test of the whole vector.
        summary = (
            "0.5",
            [],
            " AND ".join(
                [
                    "d.summary_vector @@ %s::tsquery",
                    "NOT (d.title_vector @@ %s::tsquery)",
                    *exclusions,
                ]
            ),
            [tsquery, tsquery, *exclusion_params],
        )
        match, match_params = self.match(parsed)
        rest = (
            "0.0",
            [],
            " AND ".join(
                [
                    *match,
                    f"d.id NOT IN (SELECT s.id FROM {MATCH_TABLE} s "
                    "WHERE s.summary_vector @@ %s::tsquery)",
                    "NOT (d.title_vector @@ %s::tsquery)",
                ]
            ),
            [*match_params, tsquery, tsquery],
        )
        return [summary, rest]

    def contains_any(self, column, values):
        return f"d.{column} && %s::text[]", [list(values)]

    def epoch(self, column):
        return f"CAST(extract(epoch FROM {column}) * 1000000 AS bigint)"

    def elements(self, cte, column):
        # In the select list (a ProjectSet), not FROM unnest(): one set-returning call per
        # row in FROM costs several times more over tens of thousands of matches.
        return f"(SELECT unnest({cte}.{column}) AS value FROM {cte}) elements"

    def shared_count(self, column, count):
        return f"(SELECT count(*) FROM unnest(d.{column}) AS e(value) WHERE e.value = ANY(%s))"

    def shared_params(self, values):
        return [list(values)]

    def title_prefix(self, words, prefix):
        query = " & ".join([self._lexeme(word) for word in words] + [self._lexeme(prefix, True)])
        return "d.title_vector @@ %s::tsquery", [query]


class SqliteDialect:
    table = TABLE

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

    def match(self, parsed: ParsedQuery, ranked=False, positive=True):
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
            params.append(self.fts_query([list(parsed.excluded)]))
        return conditions, params

    def ranked(self, parsed):
        """(score expression, its parameters, FROM clause) of the ranking statement.
        bm25() needs the FTS table in the FROM clause, matched there (see `match`). It ranks
        every match in one statement: there are no further tiers."""
        if not parsed.groups:
            return "0.0", [], f"{TABLE} d"
        weights = ", ".join(str(weight) for weight in BM25_WEIGHTS)
        return (
            f"-bm25({FTS_TABLE}, {weights})",
            [],
            f"{FTS_TABLE} JOIN {TABLE} d ON d.id = {FTS_TABLE}.rowid",
        )

    def ranked_rest(self, parsed):
        return []

    def contains_any(self, column, values):
        placeholders = ", ".join(["%s"] * len(values))
        return (
            f"EXISTS (SELECT 1 FROM json_each(d.{column}) WHERE value IN ({placeholders}))",
            list(values),
        )

    def epoch(self, column):
        return f"julianday({column})"

    def elements(self, cte, column):
        return f"{cte}, json_each({cte}.{column}) AS elements"

    def shared_count(self, column, count):
        placeholders = ", ".join(["%s"] * count)
        return f"(SELECT count(*) FROM json_each(d.{column}) WHERE value IN ({placeholders}))"

    def shared_params(self, values):
        return list(values)

    def title_prefix(self, words, prefix):
        parts = [self._string(word) for word in words] + [self._string(prefix) + " *"]
        query = "{title} : (" + " AND ".join(parts) + ")"
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
        filters = self._filters(query, dialect)
        with dialect.session(self.connection, parsed):
            total, ranked, counts = self._ranked_page(query, parsed, dialect, filters)
        facets = self._labelled(counts, query.ui_language) if query.with_facets else {}
        hits = self._hits(ranked, parsed, query)
        return SearchResponse(
            total=total,
            hits=hits,
            facets=facets,
            took_ms=(time.perf_counter() - started) * 1000,
            backend=self.name,
        )

    def _ranked_page(self, query, parsed, dialect, filters):
        """(total, [(id, score)] of the requested page, facet counts).

        One statement reads the matches once: it ranks them, counts them and counts every
        facet over them. On PostgreSQL it scores only title matches; when the page reaches
        past them, `_ranked_tiers` fills it from the tiers below (see
        `PostgresDialect.ranked_rest`)."""
        score, score_params, source = dialect.ranked(parsed)
        where, where_params = filters.where(dialect.match(parsed, ranked=True))
        by_date = query.sort == "newest" or not parsed.groups
        if by_date:
            order = "h.published_at DESC NULLS LAST, h.score DESC, h.id DESC"
        else:
            order = "h.score DESC, h.published_at DESC NULLS LAST, h.id DESC"
        ctes = [
            "hits AS MATERIALIZED (SELECT d.id, d.published_at, d.object_type, d.language, "
            f"d.year, d.themes, d.countries, {score} AS score FROM {source} WHERE {where})"
        ]
        params = [*score_params, *where_params]
        # Columns: kind, value, score, n. A hit carries its id, score and publication time
        # (for the order, restored below: UNION ALL keeps no order); the counts carry the
        # number of matches and, as "score", how many of them scored (title matches).
        selects = [
            "SELECT * FROM (SELECT 'hit' AS kind, CAST(h.id AS TEXT) AS value, h.score AS score, "
            f"{dialect.epoch('h.published_at')} AS n FROM hits h "
            f"ORDER BY {order} LIMIT %s OFFSET %s) page",
            "SELECT 'total', NULL, count(CASE WHEN score > 0 THEN 1 END), count(*) FROM hits",
        ]
        select_params = [query.page_size, query.offset]
        if query.with_facets:
            facet_ctes, facet_selects, facet_params = self._facet_sql(parsed, dialect, filters)
            ctes += facet_ctes
            params += facet_params
            selects += facet_selects
        sql = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(selects)
        page, counts = [], {facet: [] for facet in FACETS}
        total = scored = 0
        for kind, value, score_, n in self._execute(sql, [*params, *select_params]):
            if kind == "hit":
                page.append((int(value), float(score_), n))
            elif kind == "total":
                total, scored = int(n), int(score_)
            elif value is not None:
                counts[kind].append((str(value), int(n)))
        if by_date:
            page.sort(key=lambda hit: (-_or_oldest(hit[2]), -hit[1], -hit[0]))
        else:
            page.sort(key=lambda hit: (-hit[1], -_or_oldest(hit[2]), -hit[0]))
        page = [(pk, score_) for pk, score_, _published in page]
        tiers = [] if by_date else dialect.ranked_rest(parsed)
        if tiers and scored < query.offset + query.page_size:
            page = [(pk, score_) for pk, score_ in page if score_ > 0]
            page += self._ranked_tiers(query, filters, tiers, scored, len(page))
        return total, page, counts

    def _ranked_tiers(self, query, filters, tiers, above, taken):
        """Rows of the tiers below the title matches for the rest of the page: `above`
        matches rank before the first tier, `taken` of them are on the page already."""
        rows = []
        wanted = query.page_size - taken
        skip = max(0, query.offset - above)
        filter_sql, filter_params = filters.where(([], []))
        for score, score_params, condition, condition_params in tiers:
            if wanted <= 0:
                break
            where = f"{condition} AND {filter_sql}"
            params = [*condition_params, *filter_params]
            tier_rows = self._execute(
                f"SELECT d.id, {score} AS score, count(*) OVER () FROM {MATCH_TABLE} d "
                f"WHERE {where} ORDER BY score DESC, d.published_at DESC NULLS LAST, d.id DESC "
                "LIMIT %s OFFSET %s",
                [*score_params, *params, wanted, skip],
            )
            rows.extend((row[0], float(row[1])) for row in tier_rows)
            wanted -= len(tier_rows)
            size = (
                tier_rows[0][2]
                if tier_rows
                else self._count(f"{MATCH_TABLE} d WHERE {where}", params)
            )
            skip = max(0, skip - size)
        return rows

    def _count(self, from_where, params):
        return self._execute(f"SELECT count(*) FROM {from_where}", params)[0][0]

    def _hits(self, ranked, parsed, query):
        documents = (
            SearchDocument.objects.using(self.using)
            .defer("english_summary", "extra_labels", "theme_labels", "country_labels")
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

    def _facet_sql(self, parsed, dialect, filters):
        """(CTEs, SELECTs, CTE parameters) counting every facet. Filters combine with AND
        across facets and OR within one; each facet is counted with every filter but its
        own, so its other values stay visible with the counts they would give. Facets whose
        filter is not set count the ranked matches (`hits`) themselves."""
        match = dialect.match(parsed)
        ctes, selects, params = [], [], []
        for facet in FACETS:
            cte = "hits"
            if facet in filters.by_facet:
                cte = f"without_{facet}"
                where, where_params = filters.where(match, except_facet=facet)
                ctes.append(
                    f"{cte} AS MATERIALIZED (SELECT d.object_type, d.language, d.year, "
                    f"d.themes, d.countries FROM {dialect.table} d WHERE {where})"
                )
                params.extend(where_params)
            selects.append(self._facet_select(dialect, facet, cte))
        return ctes, selects, params

    @staticmethod
    def _facet_select(dialect, facet, cte):
        if facet in ("theme", "country"):
            column = "themes" if facet == "theme" else "countries"
            return (
                f"SELECT '{facet}', elements.value, NULL, count(*) "
                f"FROM {dialect.elements(cte, column)} GROUP BY elements.value"
            )
        column = {"type": "object_type", "language": "language", "year": "year"}[facet]
        return (
            f"SELECT '{facet}', CAST({column} AS TEXT), NULL, count(*) FROM {cte} GROUP BY {column}"
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
            f"SELECT d.id FROM {self.dialect.table} d WHERE {condition} "
            "ORDER BY CASE WHEN d.language = %s THEN 0 ELSE 1 END, "
            "d.published_at DESC NULLS LAST, d.id DESC LIMIT %s",
            [*params, language or "", limit * 3],
        )
        titles = dict(
            SearchDocument.objects.using(self.using)
            .filter(pk__in=[pk for (pk,) in rows])
            .values_list("pk", "title")
        )
        return list(dict.fromkeys(titles[pk] for (pk,) in rows if pk in titles))[:limit]

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
            f"SELECT d.id, {' + '.join(scores)} AS score FROM {dialect.table} d "
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


def _or_oldest(epoch):
    """Publication time for sorting: undated items come last, as NULLS LAST puts them."""
    return float("-inf") if epoch is None else epoch


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
