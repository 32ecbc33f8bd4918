"""The Elasticsearch backend: `search.documents.SearchItem` documents in a versioned index
(`<prefix>-items-<timestamp>`) behind the alias `<prefix>-items`.

Reads go to the alias. `rebuild()` loads a new index and moves the alias to it in one
`update_aliases` call, so searches never see a half-built index. Writes are bulk requests
through `elasticsearch.helpers.streaming_bulk`.

Text is analysed in Python, as for the database backend (see `search.documents`): the index
uses no analyzer but Elasticsearch's built-in `whitespace`, queries are sets of word forms,
and snippets are made by `search.highlight`.

Whatever goes wrong between us and the cluster (refused connection, timeout, an error
status, a server that is not Elasticsearch) is raised as `SearchUnavailable` with the
client's exception as its cause: `FallbackBackend` then answers from the database (its
circuit breaker counts the failure) and the outbox keeps the writes until the cluster is
back."""

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from functools import reduce
from itertools import islice
from operator import and_

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError
from elasticsearch.dsl import FacetedSearch, Q, Search, TermsFacet
from elasticsearch.helpers import scan, streaming_bulk
from elasticsearch.serializer import OrjsonSerializer

from search import highlight, parsing
from search.documents import (
    TEXT_PARTS,
    SearchItem,
    search_fields,
    search_index,
    suggest_terms,
)
from search.relaxation import search_leniently

from .base import (
    FACETS,
    SearchBackend,
    SearchHit,
    SearchQuery,
    SearchResponse,
    SearchUnavailable,
)
from .database import DatabaseBackend

# Elasticsearch refuses `from + size` beyond index.max_result_window (10,000 by default).
MAX_RESULT_WINDOW = 10_000
# A query is a multi_match over ~45 fields; beyond this many words the clause count could
# pass the cluster's limit, and no one types more to find a practice.
MAX_QUERY_WORDS = 64
# Documents per bulk request: 500 bench documents are about 4.3 MB; 2,000 a request made no
# measurable difference to the engine's CPU (9.5 s against 9.9 s for 20,000 documents).
BULK_CHUNK_SIZE = 500
# A rebuild has up to this many bulk requests in flight, sent by worker threads: while the
# engine indexes some chunks, the next is read from the database and serialised
# (`streaming_bulk` alone waits for each answer before it reads on). 20,000 bench documents,
# alternated on a machine at load average 10-11: 369 and 739 documents/s with two in
# flight, 357 and 491 with one (the CPU per document the same). Three, on an idle machine
# (`bench/search.py --reuse --no-wagtail`, 100,000 documents, a warm 2 GB node, runs
# alternated, 2 December 2026, load average 1.2-1.8): 5,417 and 5,477 documents/s (18.5
# and 18.3 s) against 4,902 with two (20.4 s): with two, the engine's indexing threads
# waited for the next chunk while the bench read it (1.5 of the 2 cores busy).
REBUILD_THREADS = 3
# A new index while a rebuild loads it: no refresh (nobody reads it before the swap): the
# engine ran 8.1-8.6 s of CPU for 20,000 bench documents against 24.2 s with its default
# refresh every second (one node, 512 MB heap; a faster durability setting, the translog
# synced asynchronously, changed nothing measurable: 8.2-8.4 s). No replica: on a cluster
# with a second node it would index every document a second time instead of copying the
# finished segments once (not measured: the bench's engine is one node). `restored_settings`
# puts back what `search_index` declares before the alias moves.
LOADING_SETTINGS = {
    "refresh_interval": "-1",
    "auto_expand_replicas": False,
    "number_of_replicas": 0,
}
# A rebuilt index is merged into two segments of about equal size before the alias moves to
# it: a search reads each segment in a slice of its own, on its own thread (Elasticsearch's
# concurrent segment search: slices of at least 50,000 documents, at most as many as its
# search threads), so on two cores a large index is searched by both. One index of
# 1,000,000 bench documents (`bench/engine_layout.py`, 2 December 2026, load average 1.4 to
# 1.5): as rebuilt, 512,573 and 487,427 documents, p95 65.0 ms, p50 30.6; merged into one
# segment, p95 85.6 and 72.4, p50 30.7 and 27.4. Two shards of one segment each were
# slower than one shard of two (p95 66.2 against 57.0 ms, load 1.2). At 100,000 the
# layouts are alike (p95 39.4 and 39.0 ms at load 2.5); the load's own segments (8 at
# 100,000 on a 512 MB heap) searched as they are: p95 38.4 against 21.3 ms merged (load
# 1.6).
FORCE_MERGE_SEGMENTS = 2
# Merged without a cap, the segments come out unequal (82,787 and 17,213 of 100,000: the
# small slice idles while the large one runs), since the merge leaves the largest segment
# alone and merges the rest. With the largest merged segment capped at half the index
# (`index.merge.policy.max_merged_segment`, for the merge only) they came out 53,108 and
# 46,892. Merging 100,000 documents from 8 segments cost the engine 4.3 s of CPU this way,
# 3.0-7.2 s into one segment.
MAX_MERGED_SEGMENT = "index.merge.policy.max_merged_segment"
# The merge answers when done: 1,000,000 bench documents took about half a minute (load
# 1.5), 2.5 minutes on a machine at load 15.
FORCE_MERGE_TIMEOUT = 3600
# How long a point in time (`point_in_time_pages`) outlives its last request: the time an
# export may take between two batches, a slow download included.
POINT_IN_TIME_KEEP_ALIVE = "5m"
# The `_source` fields `hit_from_elasticsearch` reads.
HIT_FIELDS = [
    "title",
    "url",
    "type",
    "language",
    "countries",
    "themes",
    "summary",
    "body",
    "source",
    "published_at",
]
# In a relaxed query each matched word scores 1; the usual relevance, scaled by this, breaks
# ties below 1 (a few hundred at most for a query's full length of words).
RELAXED_RANK_WEIGHT = 1e-4
logger = logging.getLogger("search")


class BulkIndexingError(SearchUnavailable):
    """Some documents of a bulk request were refused (the others were written).

    A `SearchUnavailable`, so callers that retry on it (the outbox drain) keep the refused
    changes and try them again; `failures` says which keys failed and why."""

    def __init__(self, failures: dict[str, str], written: int):
        self.failures = failures
        self.written = written
        first = next(iter(failures.items()))
        super().__init__(
            f"{len(failures)} document(s) refused, {written} written; first: {first[0]}: {first[1]}"
        )


def _describe(error):
    """A short, safe description of a client error (it ends up in API responses)."""
    name = type(error).__name__
    status = getattr(getattr(error, "meta", None), "status", None)
    return f"{name} ({status})" if isinstance(error, ApiError) and status else name


@contextmanager
def unavailable_on_error():
    """Turn any error talking to the cluster into `SearchUnavailable`, chained."""
    try:
        yield
    except (TransportError, ApiError) as error:
        raise SearchUnavailable(_describe(error)) from error


def parse_query(query: SearchQuery):
    """The parsed words of `query` (`search.parsing`), as the database backend parses them."""
    text = " ".join(query.text.split()[:MAX_QUERY_WORDS])
    return parsing.parse(text, DatabaseBackend.stem_languages(query), query.ui_language)


def _weighted(fields):
    """[(field, boost)] of `search_fields()`."""
    weighted = []
    for spec in fields:
        name, _, boost = spec.partition("^")
        weighted.append((name, float(boost or 1)))
    return weighted


def term_query(term, fields):
    """A word as any of its analysed forms, a weighted multi_match over `fields`; a phrase
    as its words in a row in one kind of the indexed sequences (`Term.phrases`); a prefix
    term as the start of an indexed word (the word's folded form), in the best field."""
    if term.prefix:
        return Q(
            "dis_max",
            queries=[
                Q("prefix", **{name: {"value": term.folded, "boost": boost}})
                for name, boost in _weighted(fields)
            ],
        )
    if term.is_word:
        return Q(
            "multi_match",
            query=" ".join(sorted(term.forms())),
            fields=fields,
            type="best_fields",
            tie_breaker=0.3,
        )
    phrases = [
        Q("multi_match", query=" ".join(phrase), fields=fields, type="phrase")
        for phrase in term.phrases()
    ]
    return phrases[0] if len(phrases) == 1 else Q("bool", should=phrases, minimum_should_match=1)


def group_query(group, fields):
    """Any of a group's terms (typed with `or` between them, or added for them)."""
    if len(group) == 1:
        return term_query(group[0], fields)
    return Q("bool", should=[term_query(term, fields) for term in group], minimum_should_match=1)


class ItemSearch(FacetedSearch):
    """A `SearchQuery` as an Elasticsearch request: each group of the parsed query
    (`parsed`, by default the text parsed with its joined words) required, or with
    `relaxed`, any, the score counting the groups matched (`search.relaxation`); facet
    filters as a post_filter so that each facet counts values as if its own filter were off
    (OR within a facet, AND between facets), highlighted snippets, sorting and paging."""

    doc_types = [SearchItem]
    facets = {
        "theme": TermsFacet(field="themes", size=100),
        "country": TermsFacet(field="countries", size=100),
        "type": TermsFacet(field="type", size=10),
        "language": TermsFacet(field="language", size=50),
        "year": TermsFacet(field="year", size=100),
        "status": TermsFacet(field="status", size=20),
        "label": TermsFacet(field="label", size=20),
    }

    def __init__(self, query: SearchQuery, *, using, index, parsed=None, relaxed=False):
        self.search_query = query
        self.using = using
        self.index = index
        self.fields = search_fields()
        self.parsed = parsed if parsed is not None else parse_query(query).with_joined_words()
        self.relaxed = relaxed
        filters = {
            "theme": list(query.themes),
            "country": [code.upper() for code in query.countries],
            "type": list(query.types),
            "language": list(query.languages),
            "year": [str(year) for year in query.years],
            "status": list(query.statuses),
            "label": list(query.labels),
        }
        searched = self.parsed.groups or self.parsed.excluded
        super().__init__(
            query.text if searched else None, {name: v for name, v in filters.items() if v}
        )
        start = min(max(query.offset, 0), MAX_RESULT_WINDOW)
        self._s = self._s[start : min(start + query.page_size, MAX_RESULT_WINDOW)]

    def search(self):
        # Only what a hit shows: the analysed forms and labels are two thirds of `_source`.
        search = super().search().extra(track_total_hits=True).source(HIT_FIELDS)
        if self.search_query.organisations:
            search = search.filter("terms", organisation=list(self.search_query.organisations))
        window = {}
        if self.search_query.published_after is not None:
            window["gt"] = self.search_query.published_after.isoformat()
        if self.search_query.published_until is not None:
            window["lte"] = self.search_query.published_until.isoformat()
        if window:
            search = search.filter("range", published_at=window)
        return search

    def query(self, search, query):
        groups = [group_query(group, self.fields) for group in self.parsed.groups]
        excluded = [term_query(term, self.fields) for term in self.parsed.excluded]
        if not self.relaxed:
            # In a bool of its own, which the organisation filter can be added to.
            return search.query("bool", must=groups, must_not=excluded)
        # Each group matched scores 1; sorted by relevance, the usual score (scaled down
        # below 1) ranks items with as many words.
        counted = Q(
            "bool",
            should=[Q("constant_score", filter=group, boost=1.0) for group in groups],
            minimum_should_match=1,
        )
        ranked = []
        if self.search_query.sort == "relevance":
            ranked = [Q("bool", should=groups, boost=RELAXED_RANK_WEIGHT)]
        return search.query("bool", must=[counted], should=ranked, must_not=excluded)

    def highlight(self, search):
        return search  # snippets are made in Python (`search.highlight`)

    def highlighter(self):
        """Marks every form of every word looked for, and the words starting with a
        prefix term's."""
        return highlight.Highlighter(self.parsed.forms(), self.parsed.prefixes())

    def sort(self, search):
        newest = {"published_at": {"order": "desc", "missing": "_last"}}
        # Relaxed, the score is first the number of words matched: it comes first.
        words_first = ["_score"] if self.relaxed else []
        if self.search_query.sort == "title":
            return search.sort(*words_first, "title", "key").extra(track_scores=True)
        if self.search_query.sort == "newest":
            if self.relaxed:
                return search.sort("_score", newest)
            return search.sort(newest, "_score").extra(track_scores=True)
        return search.sort("_score", newest)

    def aggregate(self, search):
        """Each facet counts the matches as filtered by the other facets, not by its own. A
        facet whose count needs no filter is a plain terms aggregation at the top, and the
        facets that need the same filter share one `filter` aggregation, named
        `_filter_<their names>`, instead of one `match_all` or filter wrapper each (what
        `FacetedSearch.aggregate` builds). 100,000 bench documents, the 12 bench queries
        without facet filters: 23.8 → 16.8 ms of the engine's CPU per search on the index
        as loaded (6 segments); the same on one merged segment (15.3 and 15.2 ms): it counts
        on an index that writes split again."""
        if not self.search_query.with_facets:
            return
        groups = {}
        for name in self.facets:
            others = tuple(other for other in self._filters if other != name)
            groups.setdefault(others, []).append(name)
        for others, names in groups.items():
            if not others:
                for name in names:
                    search.aggs.bucket(name, self.facets[name].get_aggregation())
                continue
            shared = reduce(and_, (self._filters[other] for other in others))
            group = search.aggs.bucket("_filter_" + "_".join(names), "filter", filter=shared)
            for name in names:
                group.bucket(name, self.facets[name].get_aggregation())


def hit_from_elasticsearch(raw, highlighter=None) -> SearchHit:
    """A `SearchHit` from one entry of an Elasticsearch response's hits.hits; its snippet
    marks the words `highlighter` (a `search.highlight.Highlighter`) looks for."""
    source = raw.get("_source", {})
    language = source.get("language", "")
    published_at = source.get("published_at")
    highlighter = highlighter or highlight.Highlighter(())
    return SearchHit(
        key=raw["_id"],
        title=source.get("title", ""),
        url=source.get("url", ""),
        type=source.get("type", ""),
        language=language,
        countries=list(source.get("countries", [])),
        themes=list(source.get("themes", [])),
        snippet=highlighter.snippet([source.get("summary", ""), source.get("body", "")], language),
        score=float(raw.get("_score") or 0.0),
        source=source.get("source", ""),
        published_at=datetime.fromisoformat(published_at) if published_at else None,
    )


def facet_counts(aggregations) -> dict[str, list[tuple[str, int]]]:
    """{facet: [(value, count)]} from the aggregations `ItemSearch.aggregate` asks for: a
    facet's terms at the top or inside a shared `_filter_...` aggregation."""
    counts = {}
    for name, result in aggregations.items():
        if name in ItemSearch.facets:
            counts[name] = [
                (str(bucket["key"]), bucket["doc_count"]) for bucket in result["buckets"]
            ]
        elif name.startswith("_filter_"):
            counts.update(
                facet_counts(
                    {key: value for key, value in result.items() if isinstance(value, dict)}
                )
            )
    return counts


def labelled_facets(counts, ui_language):
    """{facet: [FacetValue]} from {facet: [(value, count)]}: labels in the UI language and the
    order of the facet lists, exactly as the database backend gives them, so that the page
    and the API look the same whichever backend answered."""
    return DatabaseBackend._labelled(counts, ui_language)


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"
    uses_outbox = True

    def __init__(self, url, index_prefix="practice-commons", *, timeout=5.0, client=None):
        self.alias = f"{index_prefix}-items"
        self.index_prefix = index_prefix
        # Retries of writes are the outbox's job; here one quick retry covers a dropped
        # keep-alive connection without making a down cluster slow to detect.
        # orjson serialises bulk bodies: 0.005-0.010 ms of CPU per bench document against
        # 0.043-0.049 ms with the standard library's json (5,000 documents, twice each).
        # No request compression (`http_compress`): on loopback, gzip of the bulk bodies
        # cost the bench's process 0.24 ms of CPU per document (6.5 s against 1.7-2.1 s for
        # 20,000) and the engine more to unpack, for nothing.
        self.client = client or Elasticsearch(
            url,
            request_timeout=timeout,
            max_retries=1,
            retry_on_timeout=False,
            serializer=OrjsonSerializer(),
        )
        self._index_ready = False

    def close(self):
        self.client.close()

    def _reader(self, timeout):
        """The client, with a shorter request timeout for a call that has one."""
        return self.client if timeout is None else self.client.options(request_timeout=timeout)

    # --- Reading -------------------------------------------------------------------------

    def build_search(
        self, query: SearchQuery, timeout=None, parsed=None, relaxed=False
    ) -> ItemSearch:
        """The request for `query`; by default the first one a search sends (every word,
        with its joined words)."""
        return ItemSearch(
            query, using=self._reader(timeout), index=self.alias, parsed=parsed, relaxed=relaxed
        )

    def search(self, query: SearchQuery, timeout=None) -> SearchResponse:
        took = []

        def run(parsed, relaxed):
            faceted = self.build_search(query, timeout, parsed=parsed, relaxed=relaxed)
            with unavailable_on_error():
                response = faceted.execute()
            raw = response.to_dict()
            took.append(float(raw.get("took", 0)))
            highlighter = faceted.highlighter()
            facets = {}
            if query.with_facets:
                counts = {name: [] for name in FACETS}
                counts.update(facet_counts(raw.get("aggregations", {})))
                facets = labelled_facets(counts, query.ui_language)
            return SearchResponse(
                total=raw["hits"]["total"]["value"],
                hits=[hit_from_elasticsearch(hit, highlighter) for hit in raw["hits"]["hits"]],
                facets=facets,
                backend=self.name,
            )

        response = search_leniently(
            parse_query(query), run, lambda terms: self._present(terms, timeout)
        )
        response.took_ms = sum(took)
        return response

    def presence_body(self, terms) -> dict:
        """The request telling whether any item matches each of `terms`: one count per term
        (a `filters` aggregation over the whole index), no hits."""
        fields = search_fields()
        return {
            "size": 0,
            "track_total_hits": False,
            "aggs": {
                "present": {
                    "filters": {
                        "filters": {
                            f"t{number}": term_query(term, fields).to_dict()
                            for number, term in enumerate(terms)
                        }
                    }
                }
            },
        }

    def _present(self, terms, timeout=None) -> list[bool]:
        with unavailable_on_error():
            raw = self._reader(timeout).search(index=self.alias, **self.presence_body(terms))
        buckets = raw["aggregations"]["present"]["buckets"]
        return [buckets[f"t{number}"]["doc_count"] > 0 for number in range(len(terms))]

    def point_in_time_pages(self, query: SearchQuery) -> Iterator[SearchResponse]:
        """Every result of `query`, in its order, in pages of `query.page_size` hits, past
        index.max_result_window: a point in time (a frozen view of the index) walked with
        search_after, so that no result is seen twice or missed while others are written.
        The first page's `total` counts them all. Hits carry their key and score, not their
        text (an export reads the documents from the database). The point in time is closed
        when the walk ends or is abandoned (`close()`)."""
        faceted = self.build_search(replace(query, page=1, with_facets=False))
        body = faceted._s.to_dict()
        body.pop("from", None)
        body.pop("_source", None)  # hits carry their key and score only
        size = body["size"] = query.page_size
        # The shard and document numbers break ties, so search_after resumes exactly.
        body["sort"] = [*body.get("sort", ["_score"]), {"_shard_doc": "asc"}]
        keep_alive = POINT_IN_TIME_KEEP_ALIVE
        with unavailable_on_error():
            pit = self.client.open_point_in_time(index=self.alias, keep_alive=keep_alive)["id"]
        try:
            while True:
                with unavailable_on_error():
                    raw = self.client.search(
                        pit={"id": pit, "keep_alive": keep_alive}, source=False, **body
                    ).body
                pit = raw.get("pit_id", pit)
                hits = raw["hits"]["hits"]
                yield SearchResponse(
                    total=raw["hits"].get("total", {}).get("value", 0),
                    hits=[hit_from_elasticsearch(hit) for hit in hits],
                    took_ms=float(raw.get("took", 0)),
                    backend=self.name,
                )
                if len(hits) < size:
                    return
                body["search_after"] = hits[-1]["sort"]
                body["track_total_hits"] = False  # counted once, on the first page
        finally:
            try:
                self.client.close_point_in_time(id=pit)
            except (TransportError, ApiError) as error:
                # It expires by itself after keep_alive; the walk's own outcome matters.
                logger.warning("search: could not close a point in time: %s", _describe(error))

    def suggest_search(self, prefix, language="", limit=8, timeout=None) -> Search:
        """Titles with the words of `prefix`, folded (`suggest_terms`), the last one as the
        start of a word: matched against `title_terms`, whose folded sequence holds the
        title's words so folded. No field of their own with prefixes indexed
        (`index_prefixes`, 1 to 19 characters): that was about 60 more terms to index per
        document, a tenth of them all (20,000 bench documents: 1,929 and 2,825 documents per
        engine CPU-second with it, 2,225 and 2,933 without, alternated on a busy machine)."""
        terms = suggest_terms(prefix, language)
        search = (
            Search(using=self._reader(timeout), index=self.alias)
            .query("match_bool_prefix", title_terms={"query": terms, "operator": "and"})
            .source(["title"])
        )
        if language:
            search = search.filter("term", language=language)
        # More than `limit`: the same title in several documents is suggested once.
        return search[: limit * 2]

    def suggest(self, prefix, language="", limit=8, timeout=None) -> list[str]:
        prefix = " ".join(prefix.split()[:MAX_QUERY_WORDS])
        if not suggest_terms(prefix, language):
            return []
        with unavailable_on_error():
            response = self.suggest_search(prefix, language, limit, timeout).execute()
        titles = []
        for hit in response.to_dict()["hits"]["hits"]:
            title = hit["_source"].get("title", "")
            if title and title not in titles:
                titles.append(title)
        return titles[:limit]

    def more_like_this_search(self, key, limit=5, timeout=None) -> Search:
        item = key.rsplit(":", 1)[0] + ":"  # the same item in other languages is not related
        fields = [f"{part}_terms" for part in TEXT_PARTS] + ["theme_labels"]
        related = Q(
            "more_like_this",
            fields=fields,
            like=[{"_index": self.alias, "_id": key}],
            min_term_freq=1,
            min_doc_freq=1,
            max_query_terms=25,
            minimum_should_match="30%",
        )
        query = Q("bool", must=[related], must_not=[Q("prefix", key=item)])
        search = Search(using=self._reader(timeout), index=self.alias).query(query)
        return search.source(HIT_FIELDS)[:limit]

    def more_like_this(self, key, limit=5, timeout=None) -> list[SearchHit]:
        with unavailable_on_error():
            response = self.more_like_this_search(key, limit, timeout).execute()
        return [hit_from_elasticsearch(hit) for hit in response.to_dict()["hits"]["hits"]]

    def count(self) -> int:
        """Documents behind the alias; 0 before the first index exists."""
        try:
            with unavailable_on_error():
                return self.client.count(index=self.alias)["count"]
        except SearchUnavailable as error:
            if isinstance(error.__cause__, NotFoundError):
                return 0
            raise

    def versions(self) -> Iterator[tuple[str, str | None]]:
        """(key, updated_at) of every document behind the alias: what `search.outbox.
        fingerprint` compares with the database's. Nothing before the first index exists."""
        try:
            with unavailable_on_error():
                hits = scan(
                    self.client,
                    index=self.alias,
                    query={"query": {"match_all": {}}, "_source": ["updated_at"]},
                    size=1000,
                )
                for hit in hits:
                    yield hit["_id"], hit.get("_source", {}).get("updated_at")
        except SearchUnavailable as error:
            if not isinstance(error.__cause__, NotFoundError):
                raise

    # --- Writing -------------------------------------------------------------------------

    def index_documents(self, documents) -> int:
        """Index (create or replace) `SearchDocument`s; returns how many were written."""
        self.ensure_index()
        return self._bulk(self._index_actions(documents, self.alias))

    def delete_documents(self, keys: Iterable[str]) -> int:
        """Delete documents by key; returns how many existed. Missing ones are not errors."""
        self.ensure_index()
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": key} for key in keys)
        return self._bulk(actions)

    def rebuild(self, documents) -> int:
        """Load every document into a new index, merge it into two segments of about equal
        size (`FORCE_MERGE_SEGMENTS`), then move the alias to it atomically and delete the
        index it pointed to. Until the swap, searches read the old index; if
        loading fails, the new index is deleted and the alias is left untouched."""
        new_index = f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"
        with unavailable_on_error():
            previous = self._alias_indices()
            replaced_index = not previous and self.client.indices.exists(index=self.alias)
            self._create_index(new_index, loading=True)
        try:
            written = self._bulk(self._index_actions(documents, new_index), pipelined=True)
            with unavailable_on_error():
                self.client.indices.put_settings(index=new_index, settings=self.restored_settings())
                self._merge(new_index)
        except BaseException:  # Ctrl-C in `search_index rebuild` too: no half-built index stays
            self._discard(new_index)
            raise
        actions = [{"remove": {"index": name, "alias": self.alias}} for name in previous]
        if replaced_index:
            # An index (not an alias) squats the alias's name, e.g. auto-created by a write
            # before the first rebuild: it goes in the same atomic step.
            actions.append({"remove_index": {"index": self.alias}})
        actions.append({"add": {"index": new_index, "alias": self.alias}})
        with unavailable_on_error():
            self.client.indices.update_aliases(actions=actions)
            self._index_ready = True
            if previous:
                self.client.indices.delete(index=",".join(previous))
        return written

    def refresh(self):
        """Make everything written so far searchable (tests and the index command)."""
        with unavailable_on_error():
            self.client.indices.refresh(index=self.alias)

    def ensure_index(self):
        """Create the first versioned index with the alias, unless the alias exists. Without
        this, a write to the alias would auto-create an index with a guessed mapping."""
        if self._index_ready:
            return
        with unavailable_on_error():
            if not self.client.indices.exists(index=self.alias):
                name = f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"
                self._create_index(name, aliases={self.alias: {}})
        self._index_ready = True

    def index_body(self) -> dict:
        """Settings and mappings of a new index (the snapshot tests compare this)."""
        return search_index("unused").to_dict()

    # --- Internals -----------------------------------------------------------------------

    def _alias_indices(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return []

    def restored_settings(self) -> dict:
        """The index settings `LOADING_SETTINGS` changes, as `search_index` declares them
        (None: the engine's default)."""
        declared = self.index_body()["settings"]
        return {name: declared.get(name) for name in LOADING_SETTINGS}

    def _create_index(self, name, aliases=None, loading=False):
        body = self.index_body()
        if aliases:
            body["aliases"] = aliases
        if loading:
            body["settings"] = {**body["settings"], **LOADING_SETTINGS}
        self.client.indices.create(index=name, **body)

    def _merge(self, index):
        """Merge a loaded `index` into `FORCE_MERGE_SEGMENTS` segments of about equal size
        (`MAX_MERGED_SEGMENT`), and make them searchable."""
        self.client.indices.refresh(index=index)  # the store's size counts written segments
        stats = self.client.indices.stats(index=index, metric="store")
        size = stats["_all"]["primaries"]["store"]["size_in_bytes"]
        cap = {MAX_MERGED_SEGMENT: f"{size // FORCE_MERGE_SEGMENTS + 1}b"}
        self.client.indices.put_settings(index=index, settings=cap)
        self.client.options(request_timeout=FORCE_MERGE_TIMEOUT).indices.forcemerge(
            index=index, max_num_segments=FORCE_MERGE_SEGMENTS
        )
        self.client.indices.put_settings(index=index, settings={MAX_MERGED_SEGMENT: None})
        self.client.indices.refresh(index=index)

    def _discard(self, index):
        """Delete a half-built index; the error that made us give up is what gets raised."""
        try:
            self.client.indices.delete(index=index)
        except (TransportError, ApiError):
            logger.warning(
                "search: could not delete the unfinished index %s; delete it by hand", index
            )

    def _send(self, actions):
        """(ok, result) of each action, sent in bulk requests one after another."""
        return streaming_bulk(
            self.client.options(request_timeout=60),
            actions,
            chunk_size=BULK_CHUNK_SIZE,
            raise_on_error=False,
            max_retries=3,
            initial_backoff=1,
        )

    def _pipelined(self, actions):
        """`_send`, with up to `REBUILD_THREADS` chunks in flight, sent by worker threads:
        while the engine indexes a chunk, this thread reads the next one from `actions`
        (which may read the database: only on the thread whose connection it is)."""
        actions = iter(actions)
        with ThreadPoolExecutor(max_workers=REBUILD_THREADS) as pool:
            in_flight = deque()
            while chunk := list(islice(actions, BULK_CHUNK_SIZE)):
                in_flight.append(pool.submit(lambda chunk: list(self._send(chunk)), chunk))
                if len(in_flight) >= REBUILD_THREADS:
                    yield from in_flight.popleft().result()
            while in_flight:
                yield from in_flight.popleft().result()

    @staticmethod
    def _index_actions(documents, index) -> Iterator[dict]:
        for document in documents:
            yield {
                "_op_type": "index",
                "_index": index,
                "_id": document.key,
                "_source": SearchItem.source_of(document),
            }

    def _bulk(self, actions, pipelined=False) -> int:
        """Send `actions` in bulk requests of `BULK_CHUNK_SIZE`, retrying the documents
        refused as too many; with `pipelined` (a rebuild), `_pipelined` sends them."""
        written = 0
        failures = {}
        results = (self._pipelined if pipelined else self._send)(actions)
        with unavailable_on_error():
            for ok, result in results:
                ((operation, item),) = result.items()
                if ok:
                    written += 1
                elif operation == "delete" and item.get("status") == 404:
                    continue  # already gone: what a delete wants
                else:
                    error = item.get("error", {})
                    reason = error.get("reason", "") if isinstance(error, dict) else str(error)
                    kind = error.get("type", "") if isinstance(error, dict) else ""
                    failures[item.get("_id", "?")] = f"{kind}: {reason}".strip(": ")
        if failures:
            raise BulkIndexingError(failures, written)
        return written
