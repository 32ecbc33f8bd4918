"""The database backend: PostgreSQL full-text search or SQLite FTS5 over `SearchDocument`.

`DatabaseBackend()` is `PostgresBackend` or `SqliteBackend`, by the connection's database;
they share everything but how the ranked page and the facet counts are read (`_page`).
Both search analysed words (see `search.analysis` and `search.fulltext`); their `Dialect`
classes hold the SQL of matching and filtering.

PostgreSQL ranks in tiers: title matches (shorter titles first), then summary matches, then
the rest, newest first within each. One statement reads the page from the first tier and,
in one pass over the matches, counts them and gathers the packed codes of their facet
values, which Python tallies (`search.facet_codes`); a page that reaches past the title
matches reads the tiers below from their GIN indexes.

SQLite ranks every match with bm25 in one statement that also counts the facets in SQL."""

import json
import time
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.db import connections
from django.db.models.functions import Substr
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from editorial.languages import language_name
from search import analysis, facet_codes, highlight
from search.models import SearchDocument
from search.parsing import ParsedQuery, parse
from search.relaxation import search_leniently
from search.schema import FTS_TABLE, MATCH_TABLE, TABLE, TALLY_TABLE
from taxonomy.countries import country_name

from .base import (
    FACETS,
    FacetValue,
    SearchBackend,
    SearchHit,
    SearchQuery,
    SearchResponse,
)


class HitRow(NamedTuple):
    """What a hit shows of a search document (`to_hit`), and no more of its body than a
    snippet reads (`analysis.MAX_ANALYSED_CHARS`)."""

    pk: int
    key: str
    title: str
    url: str
    object_type: str
    language: str
    countries: list
    themes: list
    source: str
    published_at: object
    summary: str
    body_start: str


HIT_FIELDS = HitRow._fields[1:-1]

# The `HitRow` of a hit (without its id) in a statement joining the documents as `doc`.
DOCUMENT_COLUMNS = ", ".join(
    [
        *(f"doc.{name}" for name in HIT_FIELDS),
        f"substr(doc.body, 1, {analysis.MAX_ANALYSED_CHARS}) AS body_start",
    ]
)

TYPE_LABELS = {
    "practice": _("Practice"),
    "guide": _("Guide"),
    "organisation": _("Organisation"),
    "thread": _("Forum thread"),
}

# The SQLite documents' JSON columns of the multi-valued facets.
FACET_COLUMNS = {"theme": "themes", "country": "countries"}

# Related items are the best scored of this many newest items sharing a theme or a country
# (`DatabaseBackend.more_like_this`).
RELATED_CANDIDATES = 500

# SQLite bm25 column weights, in TERM_COLUMNS order: title, summary, body, labels.
BM25_WEIGHTS = (10.0, 4.0, 1.0, 2.0)


class PostgresDialect:
    """Matches, ranks and counts facets on the narrow `search_match` table (see
    `search.schema`); the documents' own table is read only for the page's 20 rows.

    `relaxed`: an item matches with any of the query's words, and ranks by how many it has
    (`relaxed_source`; see `search.relaxation`)."""

    table = MATCH_TABLE
    # What scoring related items reads of each candidate (`shared_count`).
    related_columns = "d.facets"

    def __init__(self, relaxed=False, database=None):
        self.relaxed = relaxed
        # The database's name: whose committed facet codes may be written as literals.
        self.database = database

    @staticmethod
    def _lexeme(token, prefix=False):
        quoted = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
        return quoted + (":*" if prefix else "")

    def _term_query(self, term):
        """A term as (tsquery, None), or a phrase with word pairs as (None, their hashes).
        A word: any of its forms. A phrase: its word pairs (`analysis.shingles`: its
        function words left out) as folded, which is how the index holds phrases (see
        `search.fulltext`). A phrase of function words, or of one word and function words,
        has no pairs: its words must all be there."""
        if term.prefix:
            return "(" + self._lexeme(term.folded, prefix=True) + ")", None
        if len(term.positions) == 1:
            return "(" + " | ".join(self._lexeme(form) for (form,) in term.phrases()) + ")", None
        folded = [position.get("folded", position["exact"]) for position in term.positions]
        pairs = analysis.shingles(folded)
        if not pairs:
            words = " & ".join(self._lexeme(word) for word in dict.fromkeys(folded))
            return "(" + words + ")", None
        return None, list(dict.fromkeys(analysis.pair_hashes(pairs)))

    @staticmethod
    def _tsquery(groups, relaxed):
        """A tsquery literal of groups of words' tsqueries: every group, or (relaxed) any.
        Its lexemes are analysed already, so it is cast, never run through `to_tsquery`."""
        return (" | " if relaxed else " & ").join("(" + " | ".join(group) + ")" for group in groups)

    def matching(self, alias, field, groups, relaxed=None):
        """(SQL, parameters): the rows of `alias` whose `field` ("match", "title" or
        "summary") matches `groups`: every group, or (relaxed) any. Words are looked up in
        the field's vector (one tsquery for all of them), phrases in its word pairs
        (`{field}_pairs @>` their hashes); vector and pairs share one GIN index, so the two
        are one index scan. A phrase's pairs alone decide: a pair's words are in the vector
        it goes with. A hash collision (`analysis.pair_hash`) could only add an item to a
        phrase's matches, never take one away."""
        relaxed = self.relaxed if relaxed is None else relaxed
        vector, pairs = f"{alias}.{field}_vector", f"{alias}.{field}_pairs"
        analysed = [[self._term_query(term) for term in group] for group in groups]
        phrases = [any(hashes for _, hashes in group) for group in analysed]
        plain = [
            [tsquery for tsquery, _ in group]
            for group, phrased in zip(analysed, phrases, strict=True)
            if not phrased
        ]
        if not any(phrases):
            return f"{vector} @@ %s::tsquery", [self._tsquery(plain, relaxed)]
        conditions, params = [], []
        if plain:
            conditions.append(f"{vector} @@ %s::tsquery")
            params.append(self._tsquery(plain, relaxed))
        lone = []  # the pairs of every group that is one phrase (every group required)
        for group, phrased in zip(analysed, phrases, strict=True):
            if not phrased:
                continue
            if len(group) == 1 and not relaxed:
                lone += group[0][1]
                continue
            # Any of the group's terms: its words at once, each phrase's pairs apart.
            words = [tsquery for tsquery, hashes in group if hashes is None]
            either = [f"{vector} @@ %s::tsquery"] if words else []
            params += [self._tsquery([words], relaxed=False)] if words else []
            for _tsquery, hashes in group:
                if hashes is not None:
                    either.append(f"{pairs} @> %s::bigint[]")
                    params.append(hashes)
            conditions.append("(" + " OR ".join(either) + ")")
        if lone:
            conditions.append(f"{pairs} @> %s::bigint[]")
            params.append(list(dict.fromkeys(lone)))
        return "(" + (" OR " if relaxed else " AND ").join(conditions) + ")", params

    def present(self, terms):
        """(SQL, parameters) of one row telling, for each of `terms`, whether any item
        matches it. Each lookup is a materialised CTE, planned to read all its matches, so
        it goes through the GIN index (an EXISTS alone could be planned as a scan that
        stops at the first match, and reads every row when there is none); the EXISTS
        over it stops at the first."""
        ctes, params = [], []
        for number, term in enumerate(terms):
            condition, condition_params = self.matching("d", "match", [[term]], relaxed=False)
            ctes.append(
                f"t{number} AS MATERIALIZED (SELECT d.id FROM {MATCH_TABLE} d WHERE {condition})"
            )
            params += condition_params
        found = ", ".join(f"EXISTS (SELECT 1 FROM t{number})" for number in range(len(terms)))
        return f"WITH {', '.join(ctes)} SELECT {found}", params

    def relaxed_source(self, parsed, sort):
        """(FROM, its parameters, ORDER BY) of the relaxed page: the matches' rows with
        their `relaxed_score`, the number of groups (words) they match, plus below 1 for a
        match in the title (more for a shorter title) or the summary. Those with more
        words come first, then as `sort` says. Each group's matches, and the title and
        summary matches, are read from the GIN indexes once, as hashed sets."""
        matched, params = [], []
        for group in parsed.groups:
            condition, condition_params = self.matching("w", "match", [group], relaxed=False)
            matched.append(f"(m.id IN (SELECT w.id FROM {MATCH_TABLE} w WHERE {condition}))::int")
            params += condition_params
        title, title_params = self.matching("t", "title", parsed.groups)
        summary, summary_params = self.matching("s", "summary", parsed.groups)
        score = (
            f"({' + '.join(matched)})::float8 + CASE "
            f"WHEN m.id IN (SELECT t.id FROM {MATCH_TABLE} t WHERE {title}) "
            "THEN 0.1::float8 + 0.1::float8 / (1 + m.title_length) "
            f"WHEN m.id IN (SELECT s.id FROM {MATCH_TABLE} s WHERE {summary}) "
            "THEN 0.05::float8 ELSE 0::float8 END"
        )
        params += [*title_params, *summary_params]
        source = f"(SELECT m.*, {score} AS relaxed_score FROM {MATCH_TABLE} m) d"
        if sort == "title":
            order = f"floor(d.relaxed_score) DESC, {self.title_order}"
            return f"{source} {self.title_join}", params, order
        words_first = "d.relaxed_score" if sort == "relevance" else "floor(d.relaxed_score)"
        return source, params, f"{words_first} DESC, d.published_at DESC NULLS LAST, d.id DESC"

    def match(self, parsed: ParsedQuery, ranked=False, positive=True):
        conditions, params = [], []
        if parsed.groups and positive:
            condition, condition_params = self.matching("d", "match", parsed.groups)
            conditions.append(condition)
            params += condition_params
        if parsed.excluded:
            # Through the index: testing each match's own vector would read it from disk.
            # Any excluded term excludes: one group of alternatives.
            excluded, excluded_params = self.matching(
                "x", "match", [list(parsed.excluded)], relaxed=False
            )
            conditions.append(f"d.id NOT IN (SELECT x.id FROM {MATCH_TABLE} x WHERE {excluded})")
            params += excluded_params
        return conditions, params

    # The page comes from tiers (`title_tier`, then `ranked_rest`), the total and facet
    # counts from one pass over the matches (`PostgresBackend._page`).
    tiered = True

    def _titles_matching(self, parsed):
        # Through the title index: testing each row's own title vector would read it from
        # out of line storage.
        condition, params = self.matching("t", "title", parsed.groups)
        return f"d.id IN (SELECT t.id FROM {MATCH_TABLE} t WHERE {condition})", params

    def title_tier(self, parsed):
        """(score, WHERE, its parameters) of the first tier: title matches. A title match
        scores between 1 and 2, more for a shorter title (a title that is little else than
        the words searched for is about them)."""
        exclusions, exclusion_params = self.match(parsed, positive=False)
        title, title_params = self.matching("d", "title", parsed.groups)
        return (
            # float8: numeric arithmetic on every title match costs more than the sort.
            "1.0::float8 + 1.0::float8 / (1 + d.title_length)",
            " AND ".join([title, *exclusions]),
            [*title_params, *exclusion_params],
        )

    def ranked_rest(self, parsed):
        """The two tiers below title matches, as (score, its params, WHERE, its params):
        summary matches, then the rest (body, labels); newest first within each. Neither
        reads a vector of its rows: both tiers come from GIN indexes."""
        exclusions, exclusion_params = self.match(parsed, positive=False)
        titles, titles_params = self._titles_matching(parsed)
        not_title = f"NOT {titles}"
        # A summary match is a match: its tier needs no test of the whole vector.
        in_summary, in_summary_params = self.matching("d", "summary", parsed.groups)
        summary = (
            "0.5",
            [],
            " AND ".join([in_summary, not_title, *exclusions]),
            [*in_summary_params, *titles_params, *exclusion_params],
        )
        match, match_params = self.match(parsed)
        summaries, summaries_params = self.matching("s", "summary", parsed.groups)
        rest = (
            "0.0",
            [],
            " AND ".join(
                [
                    *match,
                    f"d.id NOT IN (SELECT s.id FROM {MATCH_TABLE} s WHERE {summaries})",
                    not_title,
                ]
            ),
            [*match_params, *summaries_params, *titles_params],
        )
        return [summary, rest]

    def contains_any(self, facet, values, resolved=None):
        codes, params = self._codes(facet, values, resolved)
        return f"d.facets && {codes}", params

    def status_in(self, values):
        # `search_match` has no status column: the status is one of the row's facet codes.
        return self.contains_any("status", values)

    def label_in(self, values):
        # Nor a label column: the quality label is a facet code too.
        return self.contains_any("label", values)

    # The page sorted by title reads the titles from the documents' table.
    title_join = f"JOIN {TABLE} t ON t.id = d.id"
    title_order = "t.title, d.id"

    def shared_count(self, facet, values, resolved=None):
        codes, params = self._codes(facet, values, resolved)
        sql = f"(SELECT count(*) FROM unnest(d.facets) AS e(code) WHERE e.code = ANY({codes}))"
        return sql, params

    def _codes(self, facet, values, resolved):
        if resolved is not None:
            return "%s::smallint[]", [resolved.get(facet, [])]
        return facet_codes.codes_of(facet, values, self.database)

    @staticmethod
    def resolve_codes(execute, wanted):
        """{facet: [codes]} of `wanted` ({facet: values}), read in one query: written into
        a statement as a literal array, the planner sees how many rows they match, where it
        takes `codes_of`'s subquery for a few. Related items' newest candidates then walk
        the published index instead of sorting every match (bench/pages.py, a guide page's
        related items at 100,000 practices on a loaded machine: 64 ms, then 2 ms)."""
        facets = [facet for facet, values in wanted.items() for _ in values]
        values = [str(value) for values in wanted.values() for value in values]
        rows = execute(
            f"SELECT c.facet, c.code FROM {facet_codes.FACET_CODE_TABLE} c "
            "JOIN unnest(%s::text[], %s::text[]) AS w(facet, value) "
            "ON c.facet = w.facet AND c.value = w.value",
            [facets, values],
        )
        resolved = {facet: [] for facet in wanted}
        for facet, code in rows:
            resolved[facet].append(code)
        return resolved

    def title_prefix(self, words, prefix):
        query = " & ".join([self._lexeme(word) for word in words] + [self._lexeme(prefix, True)])
        return "d.title_vector @@ %s::tsquery", [query]


class SqliteDialect:
    """`relaxed`: as `PostgresDialect`'s."""

    table = TABLE
    related_columns = "d.themes, d.countries"
    # One statement ranks every match with bm25 and counts the facets over them.
    tiered = False

    def __init__(self, relaxed=False, database=None):
        self.relaxed = relaxed

    @staticmethod
    def _string(token):
        return '"' + token.replace('"', '""') + '"'

    def _fts_term(self, term):
        if term.prefix:
            return "(" + self._string(term.folded) + " *)"
        phrases = [" ".join(self._string(t) for t in phrase) for phrase in term.phrases()]
        # A multi-word phrase must be one string for FTS5: "a b".
        phrases = [p if " " not in p else '"' + p.replace('"', "") + '"' for p in phrases]
        return "(" + " OR ".join(phrases) + ")"

    def fts_query(self, groups):
        """Every group, or (relaxed) any."""
        return (" OR " if self.relaxed else " AND ").join(
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
        source = f"{FTS_TABLE} JOIN {TABLE} d ON d.id = {FTS_TABLE}.rowid"
        if not self.relaxed:
            return f"-bm25({FTS_TABLE}, {weights})", [], source
        # The number of groups (words) matched, plus bm25 squeezed below 1 (bm25() is never
        # positive: better matches are more negative).
        matched = " + ".join(
            f"(d.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s))"
            for _group in parsed.groups
        )
        bm25 = f"bm25({FTS_TABLE}, {weights})"
        return (
            f"({matched}) + (-{bm25}) / (1.0 - {bm25})",
            [self.fts_query([group]) for group in parsed.groups],
            source,
        )

    @staticmethod
    def relaxed_order(sort):
        """ORDER BY of the relaxed page, over its `hits`: those with more words first
        (the whole part of the score, see `ranked`), then as `sort` says."""
        if sort == "title":
            return "CAST(h.score AS INTEGER) DESC, h.title, h.id"
        if sort == "newest":
            return "CAST(h.score AS INTEGER) DESC, h.published_at DESC NULLS LAST, h.id DESC"
        return "h.score DESC, h.published_at DESC NULLS LAST, h.id DESC"

    def present(self, terms):
        """(SQL, parameters) of one row telling, for each of `terms`, whether any item
        matches it."""
        found = ", ".join(
            f"EXISTS (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)" for _term in terms
        )
        return f"SELECT {found}", [self.fts_query([[term]]) for term in terms]

    @staticmethod
    def _values_in(facet, values):
        """(FROM ... WHERE, parameters) of a document's `facet` values among `values`."""
        placeholders = ", ".join(["%s"] * len(values))
        return (
            f"json_each(d.{FACET_COLUMNS[facet]}) WHERE value IN ({placeholders})",
            list(values),
        )

    def contains_any(self, facet, values, resolved=None):
        found, params = self._values_in(facet, values)
        return f"EXISTS (SELECT 1 FROM {found})", params

    def status_in(self, values):
        placeholders = ", ".join(["%s"] * len(values))
        return f"d.status IN ({placeholders})", list(values)

    def label_in(self, values):
        placeholders = ", ".join(["%s"] * len(values))
        return f"d.label IN ({placeholders})", list(values)

    def epoch(self, column):
        return f"julianday({column})"

    def elements(self, cte, column):
        return f"{cte}, json_each({cte}.{column}) AS elements"

    def shared_count(self, facet, values, resolved=None):
        found, params = self._values_in(facet, values)
        return f"(SELECT count(*) FROM {found})", params

    @staticmethod
    def resolve_codes(execute, wanted):
        """SQLite reads facet values, not codes: nothing to resolve."""
        return None

    def title_prefix(self, words, prefix):
        parts = [self._string(word) for word in words] + [self._string(prefix) + " *"]
        query = "{title} : (" + " AND ".join(parts) + ")"
        return f"d.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)", [query]


@dataclass
class _Filters:
    """The SQL of each active filter, by facet, so a facet's counts can leave its own out."""

    by_facet: dict[str, tuple[str, list]]
    other: list[tuple[str, list]]

    def where(self, match, except_facet=None, facets=True):
        """(WHERE, parameters): `match` and the filters, but that of `except_facet`, or of
        every facet when `facets` is false."""
        conditions = list(match[0])
        params = list(match[1])
        if facets:
            sql, values = self.facet_condition(except_facet)
            conditions.append(sql)
            params.extend(values)
        for sql, values in self.other:
            conditions.append(sql)
            params.extend(values)
        return " AND ".join(conditions) or "TRUE", params

    def facet_condition(self, except_facet=None):
        """(SQL, parameters) of the facets' filters but that of `except_facet`."""
        conditions, params = [], []
        for facet, (sql, values) in self.by_facet.items():
            if facet != except_facet:
                conditions.append(sql)
                params.extend(values)
        return " AND ".join(conditions) or "TRUE", params


class DatabaseBackend(SearchBackend):
    """What the PostgreSQL and SQLite backends share: parsing, filters, hits and snippets,
    facet labels, suggestions and related items. Each subclass reads the ranked page and
    the facet counts its own way (`_page`) with its `Dialect`'s SQL.

    `DatabaseBackend()` is the backend of the connection's database (the default
    `SEARCH_BACKEND`)."""

    name = "database"
    dialect_class: type

    def __new__(cls, using="default"):
        if cls is DatabaseBackend:
            vendor = connections[using].vendor
            if vendor not in BACKENDS:
                raise NotImplementedError(f"The database search backend does not support {vendor}.")
            cls = BACKENDS[vendor]
        return super().__new__(cls)

    def __init__(self, using="default"):
        self.using = using

    @property
    def connection(self):
        return connections[self.using]

    @property
    def dialect(self):
        return self.dialect_class(database=self._database_name)

    @property
    def _database_name(self):
        return self.connection.settings_dict["NAME"]

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
            by_facet["theme"] = dialect.contains_any("theme", query.themes)
        if query.countries:
            by_facet["country"] = dialect.contains_any("country", query.countries)
        for facet, column, values in (
            ("type", "object_type", query.types),
            ("language", "language", query.languages),
            ("year", "year", query.years),
        ):
            if values:
                placeholders = ", ".join(["%s"] * len(values))
                by_facet[facet] = (f"d.{column} IN ({placeholders})", list(values))
        if query.statuses:
            by_facet["status"] = dialect.status_in(query.statuses)
        if query.labels:
            by_facet["label"] = dialect.label_in(query.labels)
        other = []
        if query.organisations:
            placeholders = ", ".join(["%s"] * len(query.organisations))
            other.append((f"d.organisation IN ({placeholders})", list(query.organisations)))
        # `d` is the match table (PostgreSQL, indexed on published_at) or the documents
        # (SQLite, likewise): a window reads only its own documents.
        adapt = self.connection.ops.adapt_datetimefield_value
        if query.published_after is not None:
            other.append(("d.published_at > %s", [adapt(query.published_after)]))
        if query.published_until is not None:
            other.append(("d.published_at <= %s", [adapt(query.published_until)]))
        return _Filters(by_facet, other)

    def search(self, query: SearchQuery, timeout=None) -> SearchResponse:
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

        def run(parsed, relaxed):
            dialect = self.dialect_class(relaxed=relaxed, database=self._database_name)
            filters = self._filters(query, dialect)
            total, ranked, counts, documents = self._ranked_page(query, parsed, dialect, filters)
            facets = self._labelled(counts, query.ui_language) if query.with_facets else {}
            hits = self._hits(ranked, parsed, documents)
            return SearchResponse(total=total, hits=hits, facets=facets, backend=self.name)

        response = search_leniently(parsed, run, self._present)
        response.took_ms = (time.perf_counter() - started) * 1000
        return response

    def _present(self, terms):
        """Whether any item matches each of `terms` (`search.relaxation`)."""
        sql, params = self.dialect.present(terms)
        return [bool(found) for found in self._execute(sql, params)[0]]

    def _ranked_page(self, query, parsed, dialect, filters):
        """(total, [(id, score)] of the requested page, facet counts as {facet: [(value,
        count)]}, {id: HitRow} of the page's documents read on the way)."""
        by_date = query.sort == "newest" or not parsed.groups
        return self._page(query, parsed, dialect, filters, by_date)

    def _page(self, query, parsed, dialect, filters, by_date):
        raise NotImplementedError

    def _hits(self, ranked, parsed, documents):
        """The `SearchHit`s of `ranked`, whose documents not in `documents` ({id: HitRow})
        are read here."""
        missing = [pk for pk, _score in ranked if pk not in documents]
        if missing:
            rows = (
                SearchDocument.objects.using(self.using)
                .filter(pk__in=missing)
                .annotate(body_start=Substr("body", 1, analysis.MAX_ANALYSED_CHARS))
                .values_list("pk", *HIT_FIELDS, "body_start")
            )
            documents = {**documents, **{row[0]: HitRow(*row) for row in rows}}
        highlighter = highlight.Highlighter(parsed.forms(), parsed.prefixes())
        hits = []
        for pk, score in ranked:
            document = documents.get(pk)
            if document is None:  # deleted between the two statements
                continue
            snippet = highlighter.snippet(
                [document.summary, document.body_start], document.language
            )
            hits.append(to_hit(document, score=score, snippet=snippet))
        return hits

    # -- facet labels and suggestions ---------------------------------------------------

    @staticmethod
    def _labelled(counts, ui_language):
        from search.indexing import quality_labels, status_labels
        from taxonomy.models import Theme

        themes = Theme.labels_by_slug([value for value, _ in counts["theme"]], ui_language)
        statuses = status_labels()
        labels = quality_labels()
        result = {}
        with translation.override(ui_language or settings.LANGUAGE_CODE):
            for facet, values in counts.items():
                labelled = []
                for value, count in values:
                    if facet == "theme":
                        label = themes.get(value, value)
                    elif facet == "country":
                        label = country_name(value, ui_language)
                    elif facet == "type":
                        label = str(TYPE_LABELS.get(value, value))
                    elif facet == "language":
                        label = str(language_name(value))
                    elif facet == "status":
                        label = str(statuses.get(value, value))
                    elif facet == "label":
                        label = str(labels.get(value, value))
                    else:
                        label = value
                    labelled.append(FacetValue(value=value, label=label, count=count))
                if facet == "year":
                    labelled.sort(key=lambda item: item.value, reverse=True)
                else:
                    labelled.sort(key=lambda item: (-item.count, item.label.casefold()))
                result[facet] = labelled
        return result

    def suggest(self, prefix, language="", limit=8, timeout=None):
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

    def more_like_this(self, key, limit=5, timeout=None):
        """Items in the same language sharing themes or countries, most shared first (a
        shared theme counts double); translations of the item are in other languages and so
        never listed."""
        document = SearchDocument.objects.using(self.using).filter(key=key).first()
        if document is None or not (document.themes or document.countries):
            return []
        dialect = self.dialect
        shared_facets = (("theme", "themes", 2), ("country", "countries", 1))
        resolved = dialect.resolve_codes(
            self._execute,
            {facet: getattr(document, column) for facet, column, _ in shared_facets},
        )
        scores, params, conditions = [], [], []
        for facet, column, weight in shared_facets:
            values = getattr(document, column)
            if values:
                shared, shared_params = dialect.shared_count(facet, values, resolved)
                scores.append(f"{weight} * {shared}")
                params.extend(shared_params)
                conditions.append(dialect.contains_any(facet, values, resolved))
        where = "(" + " OR ".join(sql for sql, _ in conditions) + ")"
        where_params = [value for _, values_params in conditions for value in values_params]
        # Scored among the newest RELATED_CANDIDATES items sharing anything (the published
        # time's index reads them in order), not among all of them: in a library where
        # nearly every item shares a theme or country, scoring them all grew with the
        # library (bench/pages.py, practice page at 100,000 practices on a loaded machine:
        # this statement 1,145 ms; the window of 500: 13 ms).
        sql = (
            f"SELECT d.id, {' + '.join(scores)} AS score FROM ("
            f"SELECT d.id, d.published_at, {dialect.related_columns} FROM {dialect.table} d "
            f"WHERE {where} AND d.language = %s AND d.id <> %s "
            "ORDER BY d.published_at DESC NULLS LAST, d.id DESC LIMIT %s) d "
            "ORDER BY score DESC, d.published_at DESC NULLS LAST, d.id DESC LIMIT %s"
        )
        rows = self._execute(
            sql,
            [
                *params,
                *where_params,
                document.language,
                document.pk,
                RELATED_CANDIDATES,
                limit,
            ],
        )
        documents = SearchDocument.objects.using(self.using).in_bulk([pk for pk, _ in rows])
        return [
            to_hit(document, score=float(score), snippet=highlight.snippet([document.summary], ()))
            for pk, score in rows
            if (document := documents.get(pk)) is not None
        ]


class PostgresBackend(DatabaseBackend):
    """PostgreSQL: the page from ranked tiers, the facet counts tallied in Python from the
    matches' packed codes (see the module's docstring)."""

    dialect_class = PostgresDialect

    def _page(self, query, parsed, dialect, filters, by_date):
        """PostgreSQL, in one statement: the page from the first tier (title matches; every
        match when sorting by date), and one pass over the matches that counts them and
        gathers the codes of their facet values (`_counted_sql`). When the page reaches past
        the title matches, `_ranked_tiers` fills it from the tiers below (see
        `PostgresDialect.ranked_rest`)."""
        match = dialect.match(parsed)
        by_title = query.sort == "title"
        source = f"{MATCH_TABLE} d"
        source_params = []
        if dialect.relaxed:
            # Every item with a word, those with more words first, in one tier.
            source, source_params, order = dialect.relaxed_source(parsed, query.sort)
            score, condition = "d.relaxed_score", " AND ".join(match[0])
            tier_params = match[1]
        elif by_title:
            score, condition = "0.0", " AND ".join(match[0]) or "TRUE"
            tier_params = match[1]
            source = f"{MATCH_TABLE} d {dialect.title_join}"
            order = dialect.title_order
        elif by_date:
            score, condition = "0.0", " AND ".join(match[0]) or "TRUE"
            tier_params = match[1]
            order = "d.published_at DESC NULLS LAST, d.id DESC"
        else:
            score, condition, tier_params = dialect.title_tier(parsed)
            order = "score DESC, d.published_at DESC NULLS LAST, d.id DESC"
        where, params = filters.where(([condition], tier_params))
        # Columns: kind, id, score, n, codes, then the document's `HitRow`. A hit carries
        # its id, score and document (whose publication time restores the order below:
        # UNION ALL keeps no order); "total" the number of matches and the codes of their
        # facet values; a facet with a filter the codes of the matches without that filter.
        # Sorted by title, a hit's n is its place in the order, which restores it below (the
        # database's collation, not Python's, orders titles). Otherwise score and date do.
        positioned = by_title or dialect.relaxed
        position = f"row_number() OVER (ORDER BY {order})" if positioned else "NULL::bigint"
        page_sql = (
            f"SELECT 'hit' AS kind, p.id, p.score, p.n, NULL::bytea AS codes, "
            f"{DOCUMENT_COLUMNS} "
            f"FROM (SELECT d.id, {score} AS score, {position} AS n FROM {source} "
            f"WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s) p "
            f"JOIN {TABLE} doc ON doc.id = p.id"
        )
        no_document = ", NULL" * len(HitRow._fields[1:])
        tallied = self._tallied_sql(query, parsed)
        if tallied is not None:
            # Columns of a count: kind, its facet code in the id's place, and the count.
            counted_sql, counted_params = tallied
            sql = (
                f"WITH counted AS MATERIALIZED ({counted_sql}) "
                f"SELECT * FROM ({page_sql}) page UNION ALL "
                f"SELECT kind, code::bigint, NULL, n, codes{no_document} FROM counted"
            )
        else:
            counted_sql, counted_params, facets = self._counted_sql(
                match, filters, query.with_facets
            )
            sql = (
                f"WITH counted AS MATERIALIZED ({counted_sql}) "
                f"SELECT * FROM ({page_sql}) page "
                f"UNION ALL SELECT 'total', NULL, NULL, total, codes{no_document} FROM counted"
            )
            for facet in facets:
                sql += (
                    f" UNION ALL SELECT '{facet}', NULL, NULL, NULL, without_{facet}"
                    f"{no_document} FROM counted"
                )
        rows = self._execute(
            sql, [*counted_params, *source_params, *params, query.page_size, query.offset]
        )
        page, counted, documents = [], {"total": {}}, {}
        total = 0
        for kind, pk, score_, n, codes, *document in rows:
            if kind == "hit":
                documents[pk] = row = _hit_row(pk, document)
                published = row.published_at and row.published_at.timestamp()
                page.append((pk, float(score_), published, n))
            elif tallied is not None:
                if pk is not None:
                    counted.setdefault(kind, {})[pk] = n
                elif n is not None:
                    total = n
                else:
                    counted[kind] = facet_codes.count(codes)
            else:
                counted[kind] = facet_codes.count(codes)
                total = n if kind == "total" else total
        if positioned:
            page.sort(key=lambda hit: hit[3])
        else:
            page.sort(key=lambda hit: (-hit[1], -_or_oldest(hit[2]), -hit[0]))
        page = [(pk, score_) for pk, score_, _published, _n in page]
        if not (by_date or positioned) and len(page) < query.page_size:
            # The first tier ends on this page, or before it (then only a count says where).
            if page or not query.offset:
                scored = query.offset + len(page)
            else:
                scored = self._count(f"{MATCH_TABLE} d WHERE {where}", params)
            page += self._ranked_tiers(
                query, filters, dialect.ranked_rest(parsed), scored, len(page), documents
            )
        counts = self._decoded_counts(counted) if query.with_facets else {}
        return total, page, counts, documents

    @staticmethod
    def _tally_filter(query, parsed):
        """The facet values (facet, value) beyond type and language that `query` is
        filtered by, when the facet tally (`search.schema.TALLY_TABLE`) answers it: a search
        without words whose other filters are at most two facets of one value each; else
        None. The tally counts rows per type, language and code, or pair of codes."""
        if parsed.groups or parsed.excluded or query.organisations:
            return None
        if query.published_after is not None or query.published_until is not None:
            return None
        values = []
        for facet, chosen in (
            ("theme", query.themes),
            ("country", query.countries),
            ("year", query.years),
            ("status", query.statuses),
            ("label", query.labels),
        ):
            if len(chosen) > 1:
                return None
            values += [(facet, str(value)) for value in chosen]
        return values if len(values) <= 2 else None

    def _tallied_sql(self, query, parsed):
        """(SQL, parameters) of rows (kind, code, n, codes) of the total and facet counts,
        read from the facet tally where it has them: the total (kind "total", n), each
        code's count over the matches ("total", code and n) and, for each filtered facet,
        over the matches without that filter (kind the facet), since a facet's counts
        ignore its own filter. With two values beyond type and language, the counts of the
        matches carrying both come from one pass over them (the GIN index on the codes
        finds them) as packed codes (codes); the type's and language's from the tally's
        rows of the pair. None when the tally cannot answer
        (`_tally_filter`).

        bench/pages.py at 100,000 practices, cpu of the page before and after: the practice
        list 159 -> 45 ms, the guide list 101 -> 42 ms (counting their matches' codes was
        most of it); filtered by a theme and a country: see bench/README.md."""
        values = self._tally_filter(query, parsed)
        if values is None:
            return None
        database = self._database_name
        codes = []
        for facet, value in values:
            sql, params = facet_codes.codes_of(facet, [value], database)
            codes.append((facet, f"({sql})[1]", params))

        def where(but=None, with_code=None):
            conditions, params = _type_and_language(query, "t", but)
            conditions.insert(0, "t.count > 0")
            if with_code is None:
                conditions.append("t.with_code = 0")
            else:
                conditions.append(f"t.with_code = {with_code[1]}")
                params += with_code[2]
            return " AND ".join(conditions), params

        n_sql = "coalesce(sum(t.count), 0)::bigint"
        if not codes:
            # Every document carries its type's code once: those rows count the matches.
            condition, params = where()
            total = (
                f"SELECT 'total' AS kind, NULL::smallint AS code, {n_sql} AS n, "
                f"NULL::bytea AS codes FROM {TALLY_TABLE} t "
                f"JOIN {facet_codes.FACET_CODE_TABLE} c ON c.code = t.code "
                f"AND c.facet = 'type' AND c.value = t.object_type WHERE {condition}"
            )
        else:
            # A document carries a code once: the rows with the first and the last value
            # (the same one when there is one) are the matches.
            condition, params = where(with_code=codes[0])
            total = (
                f"SELECT 'total' AS kind, NULL::smallint AS code, {n_sql} AS n, "
                f"NULL::bytea AS codes FROM {TALLY_TABLE} t "
                f"WHERE {condition} AND t.code = {codes[-1][1]}"
            )
            params += codes[-1][2]
        parts, all_params = [total], params
        if not query.with_facets:
            return " UNION ALL ".join(parts), all_params

        def tallied(kind, condition, params):
            parts.append(
                f"SELECT '{kind}', t.code, sum(t.count)::bigint, NULL::bytea "
                f"FROM {TALLY_TABLE} t WHERE {condition} GROUP BY t.code"
            )
            all_params.extend(params)

        filtered = [
            facet
            for facet, chosen in (("type", query.types), ("language", query.languages))
            if chosen
        ]
        if len(codes) < 2:
            with_code = codes[0] if codes else None
            tallied("total", *where(with_code=with_code))
            for facet in filtered:
                tallied(facet, *where(but=facet, with_code=with_code))
            if codes:
                tallied(codes[0][0], *where())
            return " UNION ALL ".join(parts), all_params
        # Without one of the two values, the matches are those carrying the other.
        tallied(codes[0][0], *where(with_code=codes[1]))
        tallied(codes[1][0], *where(with_code=codes[0]))
        # The type's (language's) counts read only a row's type (language) code, one per
        # row: the tally's rows of the pair of values, per type and language, are those
        # counts. Only the total's counts need the codes of the rows carrying both: one
        # pass over them, one buffer of packed codes. (It gathered three, one per kind:
        # bench/pages.py, filtered practice list at 100,000 practices, 12,309 rows carrying
        # both, quiet machine: cpu 36.5 -> 32.1 ms, p95 38.5 -> 32.6-35.4; bench/README.md.)
        for facet in filtered:
            column = "object_type" if facet == "type" else "language"
            condition, params = where(but=facet, with_code=codes[0])
            parts.append(
                f"SELECT '{facet}', c.code, sum(t.count)::bigint, NULL::bytea "
                f"FROM {TALLY_TABLE} t JOIN {facet_codes.FACET_CODE_TABLE} c "
                f"ON c.facet = '{facet}' AND c.value = t.{column} "
                f"WHERE {condition} AND t.code = {codes[1][1]} GROUP BY c.code"
            )
            all_params.extend([*params, *codes[1][2]])
        conditions, pass_params = _type_and_language(query, "d")
        both = f"ARRAY[{codes[0][1]}, {codes[1][1]}]::smallint[]"
        pass_params += [*codes[0][2], *codes[1][2]]
        # The type and language as a FILTER, not in the WHERE: the plan stays the GIN
        # index's, whatever the planner thinks of the listing's.
        passed = (
            "WITH passed AS MATERIALIZED (SELECT string_agg(d.facet_codes, ''::bytea) "
            f"FILTER (WHERE {' AND '.join(conditions) or 'TRUE'}) AS codes "
            f"FROM {MATCH_TABLE} d WHERE d.facets @> {both}) "
        )
        parts.append("SELECT 'total', NULL::smallint, NULL::bigint, p.codes FROM passed p")
        return passed + " UNION ALL ".join(parts), [*pass_params, *all_params]

    @staticmethod
    def _counted_sql(match, filters, with_facets):
        """(SQL, parameters, facets with a filter) of one pass over the matches: their
        number, the packed codes of their facet values (see `search.facet_codes`), and for
        each facet with a filter, the codes of the matches without that filter, since a
        facet's counts ignore its own filter."""
        where, where_params = filters.where(match, facets=False)
        every, every_params = filters.facet_condition()
        columns = [f"count(*) FILTER (WHERE {every}) AS total"]
        params = list(every_params)
        if with_facets:
            columns.append(f"string_agg(d.facet_codes, ''::bytea) FILTER (WHERE {every}) AS codes")
            params += every_params
            for facet in filters.by_facet:
                others, others_params = filters.facet_condition(except_facet=facet)
                columns.append(
                    f"string_agg(d.facet_codes, ''::bytea) FILTER (WHERE {others}) "
                    f"AS without_{facet}"
                )
                params += others_params
        else:
            columns.append("NULL::bytea AS codes")
        sql = f"SELECT {', '.join(columns)} FROM {MATCH_TABLE} d WHERE {where}"
        return sql, [*params, *where_params], list(filters.by_facet) if with_facets else []

    def _decoded_counts(self, tallied):
        """{facet: [(value, count)]} from {kind: {code: count}}: "total" those of the
        matches, a facet's name those of the matches without its filter."""
        tallies = {facet: tallied.get(facet, tallied["total"]) for facet in FACETS}
        with self.connection.cursor() as cursor:
            names = facet_codes.decode(
                cursor, {code for tally in tallies.values() for code in tally}
            )
        counts = {facet: [] for facet in FACETS}
        for facet, tally in tallies.items():
            for code, count in tally.items():
                code_facet, value = names.get(code, (None, None))
                if code_facet == facet:
                    counts[facet].append((value, count))
        return counts

    def _ranked_tiers(self, query, filters, tiers, above, taken, documents):
        """Rows of the tiers below the title matches for the rest of the page: `above`
        matches rank before the first tier, `taken` of them are on the page already. Their
        documents are read on the way, into `documents`."""
        rows = []
        wanted = query.page_size - taken
        skip = max(0, query.offset - above)
        filter_sql, filter_params = filters.where(([], []))
        for score, score_params, condition, condition_params in tiers:
            if wanted <= 0:
                break
            where = f"{condition} AND {filter_sql}"
            params = [*condition_params, *filter_params]
            # The window's count is of the tier's matches: it is taken before the LIMIT.
            tier_rows = self._execute(
                f"SELECT p.id, p.score, p.n, {DOCUMENT_COLUMNS} "
                f"FROM (SELECT d.id, {score} AS score, count(*) OVER () AS n "
                f"FROM {MATCH_TABLE} d WHERE {where} "
                "ORDER BY score DESC, d.published_at DESC NULLS LAST, d.id DESC "
                f"LIMIT %s OFFSET %s) p JOIN {TABLE} doc ON doc.id = p.id "
                "ORDER BY p.score DESC, doc.published_at DESC NULLS LAST, p.id DESC",
                [*score_params, *params, wanted, skip],
            )
            for pk, score_, _n, *document in tier_rows:
                documents[pk] = _hit_row(pk, document)
                rows.append((pk, float(score_)))
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


class SqliteBackend(DatabaseBackend):
    """SQLite: every match ranked with bm25 and every facet counted in one statement."""

    dialect_class = SqliteDialect

    def _page(self, query, parsed, dialect, filters, by_date):
        """SQLite: one statement reads the matches once; it ranks them all (bm25), counts
        them and counts every facet over them."""
        score, score_params, source = dialect.ranked(parsed)
        where, where_params = filters.where(dialect.match(parsed, ranked=True))
        by_title = query.sort == "title"
        if dialect.relaxed:
            order = dialect.relaxed_order(query.sort)
        elif by_title:
            order = "h.title, h.id"
        elif by_date:
            order = "h.published_at DESC NULLS LAST, h.score DESC, h.id DESC"
        else:
            order = "h.score DESC, h.published_at DESC NULLS LAST, h.id DESC"
        ctes = [
            "hits AS MATERIALIZED (SELECT d.id, d.published_at, d.title, d.object_type, "
            f"d.language, d.year, d.status, d.label, d.themes, d.countries, {score} AS score "
            f"FROM {source} WHERE {where})"
        ]
        params = [*score_params, *where_params]
        # Columns: kind, value, score, n. A hit carries its id, score and publication time,
        # or sorted by title its place in the order (either restores the order below: UNION
        # ALL keeps none); the total the number of matches; a facet value its count.
        positioned = by_title or dialect.relaxed
        position = f"row_number() OVER (ORDER BY {order})"
        selects = [
            "SELECT * FROM (SELECT 'hit' AS kind, CAST(h.id AS TEXT) AS value, h.score AS score, "
            f"{position if positioned else dialect.epoch('h.published_at')} AS n FROM hits h "
            f"ORDER BY {order} LIMIT %s OFFSET %s) page",
            "SELECT 'total', NULL, NULL, count(*) FROM hits",
        ]
        select_params = [query.page_size, query.offset]
        if query.with_facets:
            facet_ctes, facet_selects, facet_params = self._facet_sql(parsed, dialect, filters)
            ctes += facet_ctes
            params += facet_params
            selects += facet_selects
        sql = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(selects)
        page, counts = [], {facet: [] for facet in FACETS}
        total = 0
        for kind, value, score_, n in self._execute(sql, [*params, *select_params]):
            if kind == "hit":
                page.append((int(value), float(score_), n))
            elif kind == "total":
                total = int(n)
            elif value is not None:
                counts[kind].append((str(value), int(n)))
        if positioned:
            page.sort(key=lambda hit: hit[2])
        elif by_date:
            page.sort(key=lambda hit: (-_or_oldest(hit[2]), -hit[1], -hit[0]))
        else:
            page.sort(key=lambda hit: (-hit[1], -_or_oldest(hit[2]), -hit[0]))
        return total, [(pk, score_) for pk, score_, _published in page], counts, {}

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
                    f"d.status, d.label, d.themes, d.countries FROM {dialect.table} d "
                    f"WHERE {where})"
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
        column = {"type": "object_type", "language": "language", "year": "year"}.get(facet)
        if facet in ("status", "label"):
            # Items of kinds without statuses (labels) have none: no value, not a count
            # under "".
            return (
                f"SELECT '{facet}', NULLIF({facet}, ''), NULL, count(*) FROM {cte} GROUP BY {facet}"
            )
        return (
            f"SELECT '{facet}', CAST({column} AS TEXT), NULL, count(*) FROM {cte} GROUP BY {column}"
        )


BACKENDS = {"postgresql": PostgresBackend, "sqlite": SqliteBackend}


def _type_and_language(query, alias, but=None):
    """([condition], [parameter]) restricting the rows of `alias` (the facet tally's or the
    match table's: both have these columns) to `query`'s types and languages, all but the
    facet `but`."""
    conditions, params = [], []
    for facet, column, chosen in (
        ("type", "object_type", query.types),
        ("language", "language", query.languages),
    ):
        if chosen and facet != but:
            conditions.append(f"{alias}.{column} = ANY(%s::text[])")
            params.append(list(chosen))
    return conditions, params


def _hit_row(pk, values):
    """A `HitRow` from a raw PostgreSQL row: Django reads jsonb as text, for JSONField to
    decode."""
    row = HitRow(pk, *values)
    return row._replace(countries=_json_list(row.countries), themes=_json_list(row.themes))


def _json_list(value):
    return json.loads(value) if isinstance(value, str) else list(value or [])


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
