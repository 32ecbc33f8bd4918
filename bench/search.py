"""Search benchmark: the public search API against Wagtail's stock database search and a raw
full-text query, over the same N documents and the same queries, in one run.

    python bench/search.py [--n 100000] [--queries q1 q2 ...] [--repeat 5] [--warmup 2]
                           [--database-url postgres://postgres@127.0.0.1:5432/pc_bench]

What is measured (see bench/README.md for the why):

- build:    N `SearchDocument`s built from varied copies of the Participedia records and the
            five seeds (bench/corpus.py) through the search core's own bulk indexing path;
            documents per second, analysis and the tsvector/FTS index included.
- api:      GET /api/search/ through Django's test `Client` (URL routing, middleware, view,
            backend, JSON), with facets; with facets and a country + theme filter; and
            without facets.
- wagtail:  Wagtail's stock database search backend (`get_search_backend("default")`, the
            backend Wagtail's own search uses) over the same rows: a bench-only proxy of
            `SearchDocument` indexed into Wagtail's index table, queried the way a Wagtail
            search view does (the first page of 20 hits and the total count).
- raw:      hand-written SQL on the same table and index (the floor): the top 20 by
            `ts_rank` (PostgreSQL) or `bm25` (SQLite); and the same plus the total and the
            five facets' counts.

The database named by --database-url is the bench's own: it is created and migrated when
missing, and every search document in it is replaced. Its name must contain "bench".
"""

import argparse
import importlib
import json
import math
import os
import platform
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from itertools import chain
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pc_bench"
RESULTS_DIR = ROOT / "bench" / "results"

# A dozen queries people type: English words, a quoted phrase, a rare and a common term,
# and the seed languages typed the way people type them (no diacritics, no vowel marks).
DEFAULT_QUERIES = [
    "citizens assembly",  # English, two words
    '"participatory budgeting"',  # a quoted phrase
    "climate",  # English, one word
    "youth council",  # English, two words
    "sortition",  # rare: about 0.3% of the documents
    "community",  # common: about a fifth of the documents
    "public consultation",  # two common words
    "spolecznosci lokalnych",  # Polish without diacritics (społeczności lokalnych)
    "comunitatilor vulnerabile",  # Romanian without diacritics (comunităților)
    "الحكومات المحلية",  # Arabic, without the shadda of the seed's المحلّية
    "ადგილობრივი თვითმმართველობის",  # Georgian
    "граѓански организации",  # Macedonian Cyrillic
]

TARGETS = {
    "stock_over_api": 10.0,  # the API at least 10× faster than Wagtail's stock search
    "api_over_raw": 2.0,  # the API at most 2× the raw floor
    "p95_with_facets_ms": 30.0,
    "build_docs_per_s": 1000.0,
    "engine_p95_with_facets_ms": 30.0,
    "engine_bulk_docs_per_s": 5000.0,
    # The engine alone at 1,000,000 documents (`--engine-only --n 1000000`).
    "engine_large_p95_with_facets_ms": 50.0,
    "engine_large_documents": 1_000_000,
}
DEFAULT_ENGINE_URL = "http://127.0.0.1:9200"

ROWS = [
    ("api+facets", "GET /api/search/?q= (facets on)"),
    ("api+facets+filters", "GET /api/search/?q=&country=&theme= (facets on)"),
    ("api no facets", "the API view's body with with_facets=False (the API has no switch)"),
    ("wagtail stock", "Wagtail database backend: first 20 hits + count"),
    ("raw floor", "SQL: the backend's match and ranking tiers, top 20 and the total; no facets"),
    ("raw floor+facets", "SQL: top 20 + total + the five facet counts"),
    ("engine api+facets", "GET /api/search/?q= answered by Elasticsearch (facets on)"),
]


def configure_django(database_url):
    """Point Django at the bench database before anything imports a model."""
    os.environ["DATABASE_URL"] = database_url
    # The bench measures the database backend, the default; never a configured cluster.
    os.environ["ELASTICSEARCH_URL"] = ""
    # Test settings: DEBUG off (no query log), any host allowed for the test client.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def ensure_database():
    """Create the bench database when it is missing, then migrate it."""
    from django.core.management import call_command
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if "bench" not in str(name):
        raise SystemExit(
            f"refusing to run on database {name!r}: the benchmark replaces every search "
            "document in its database, so the database's name must contain 'bench'"
        )
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.get_connection_params()
        params = {key: value for key, value in params.items() if key != "cursor_factory"}
        params["dbname"] = "postgres"
        with psycopg.connect(**params, autocommit=True) as admin:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                admin.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", interactive=False, verbosity=0)


# --- the Wagtail side ------------------------------------------------------------------------

_STOCK_MODEL = None


def wagtail_stock_model():
    """A proxy of `SearchDocument` that Wagtail's search indexes: same rows, same table.

    Defined at run time, only in the bench, so the product's models and migrations do not
    know about it. `index_entries` is the relation Wagtail's database backend joins on; Wagtail
    adds it to indexed models when the app registry loads, which is before this proxy exists.
    """
    global _STOCK_MODEL
    if _STOCK_MODEL is not None:
        return _STOCK_MODEL
    from django.db import models
    from wagtail.search import index
    from wagtail.search.models import IndexEntry

    from search.models import SearchDocument

    try:
        from modelsearch.abstract_models import TextIDGenericRelation
    except ImportError:  # Wagtail < 7.1 kept the search code in wagtail.search
        from wagtail.search.models import TextIDGenericRelation

    class WagtailStockDocument(index.Indexed, SearchDocument):
        # What a Wagtail developer indexes for such a page: the title boosted as on Page,
        # the text fields, the theme and country labels; filter fields for the facets.
        search_fields = [
            index.SearchField("title", boost=2),
            index.SearchField("summary"),
            index.SearchField("body"),
            index.SearchField("organisation_name"),
            index.SearchField("theme_labels"),
            index.SearchField("country_labels"),
            index.FilterField("object_type"),
            index.FilterField("language"),
            index.FilterField("year"),
        ]

        class Meta:
            proxy = True
            app_label = "bench"

    assert isinstance(WagtailStockDocument._meta.get_field("id"), models.Field)
    TextIDGenericRelation(IndexEntry).contribute_to_class(WagtailStockDocument, "index_entries")
    _STOCK_MODEL = WagtailStockDocument
    return _STOCK_MODEL


def wagtail_backend():
    from wagtail.search.backends import get_search_backend

    return get_search_backend("default")


def build_wagtail_index(batch_size=5000, progress=None):
    """Index every search document into Wagtail's index table through its public API."""
    model = wagtail_stock_model()
    backend = wagtail_backend()
    ids = list(model.objects.order_by("id").values_list("id", flat=True))
    started = time.perf_counter()
    for start in range(0, len(ids), batch_size):
        batch = list(model.objects.filter(id__in=ids[start : start + batch_size]))
        backend.add_bulk(model, batch)
        if progress:
            progress(start + len(batch), len(ids))
    return time.perf_counter() - started


def wagtail_search(query_text):
    """What a Wagtail search view does: the first page of hits and the total for the pager."""
    model = wagtail_stock_model()
    results = wagtail_backend().search(query_text, model.objects.all())
    hits = [(doc.key, doc.title, doc.url) for doc in results[:20]]
    return results.count(), hits


def clear_wagtail_index():
    from django.contrib.contenttypes.models import ContentType
    from wagtail.search.models import IndexEntry

    content_type = ContentType.objects.get_for_model(wagtail_stock_model())
    IndexEntry.objects.filter(content_type=content_type).delete()


# --- measuring ---------------------------------------------------------------------------------


class CpuClock:
    """CPU time actually run, in ms, by this process and by the PostgreSQL backend serving
    its connection (Linux /proc/<pid>/schedstat, nanoseconds), and time spent waiting for a
    CPU. Wall-clock latency on a shared machine includes other processes' turns; these
    figures show how much of it was this work. Unavailable (None) when the database is not
    a local PostgreSQL or /proc is not readable."""

    def __init__(self):
        from django.db import connection

        self.pids = ["self"]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backend = cursor.fetchone()[0]
            if self._read(backend) is not None:
                self.pids.append(backend)
        self.available = self._read("self") is not None

    @staticmethod
    def _read(pid):
        try:
            with open(f"/proc/{pid}/schedstat") as handle:
                run_ns, wait_ns, _slices = handle.read().split()
        except (OSError, ValueError):
            return None
        return int(run_ns), int(wait_ns)

    def process_cpu_ms(self):
        """CPU of every thread of this process and of its ended child processes (10 ms
        resolution) plus the database backend's: for a run on several threads or
        processes."""
        times = os.times()
        backend = sum((self._read(pid) or (0, 0))[0] for pid in self.pids[1:]) / 1e6
        own = times.user + times.system + times.children_user + times.children_system
        return own * 1000 + backend

    def read(self):
        """(cpu ms, waiting ms) summed over this process's main thread and the database
        backend."""
        if not self.available:
            return (0.0, 0.0)
        run = wait = 0
        for pid in self.pids:
            sample = self._read(pid) or (0, 0)
            run += sample[0]
            wait += sample[1]
        return run / 1e6, wait / 1e6


def percentile(samples, fraction):
    """Nearest-rank percentile of `samples` (milliseconds)."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Row:
    name: str
    what: str
    samples_ms: list[float] = field(default_factory=list)
    # query -> the total hits that system reported for it (the same documents, other analysis).
    totals: dict[str, int] = field(default_factory=dict)
    per_query_ms: dict[str, list[float]] = field(default_factory=dict)
    cpu_ms: float = 0.0  # CPU run by the bench process and the database backend, all samples
    wait_ms: float = 0.0  # time the two waited for a CPU held by other processes

    @property
    def cpu_per_query(self):
        return self.cpu_ms / self.queries if self.queries else float("nan")

    @property
    def wait_per_query(self):
        return self.wait_ms / self.queries if self.queries else float("nan")

    @property
    def p50(self):
        return percentile(self.samples_ms, 0.50)

    @property
    def p95(self):
        return percentile(self.samples_ms, 0.95)

    @property
    def queries(self):
        return len(self.samples_ms)


def measure(systems, queries, repeat, warmup, progress=None):
    """Run every system on every query, interleaved, `warmup + repeat` rounds; the first
    `warmup` rounds are not recorded. Interleaving makes the systems share the same cache
    state and the same background noise, which a system-after-system run would not.

    `systems` is {name: (what, run)}, `run(query) -> total hits`."""
    rows = {name: Row(name, what) for name, (what, _) in systems.items()}
    clock = CpuClock()
    rounds = warmup + repeat
    for round_number in range(rounds):
        for query in queries:
            for name, (_, run) in systems.items():
                cpu_before, wait_before = clock.read()
                started = time.perf_counter()
                total = run(query)
                elapsed_ms = (time.perf_counter() - started) * 1000
                cpu_after, wait_after = clock.read()
                row = rows[name]
                row.totals[query] = total
                if round_number >= warmup:
                    row.samples_ms.append(elapsed_ms)
                    row.per_query_ms.setdefault(query, []).append(elapsed_ms)
                    row.cpu_ms += cpu_after - cpu_before
                    row.wait_ms += wait_after - wait_before
        if progress:
            progress(round_number + 1, rounds)
    return rows


def ratio(numerator, denominator):
    if not denominator or math.isnan(denominator) or math.isnan(numerator):
        return float("nan")
    return numerator / denominator


def evaluate(rows, build_rate, engine=None):
    """The targets, each with its figure and whether it is met: the database backend's
    (unless `rows` has none: `--engine-only`), then the engine's (`engine`: its bulk rate
    and document count, or None when it was not measured)."""
    checks = []

    def check(name, value, target, met, how, unit="x", on_cpu=None):
        checks.append(
            {
                "name": name,
                "value": value,
                "unit": unit,
                "target": target,
                "met": bool(met),
                "how": how,
                # The same ratio of mean CPU per query: what it would be without other
                # processes' turns on the CPUs (the target is judged on `value`).
                "on_cpu": on_cpu,
            }
        )

    def cpu_ratio(numerator, denominator):
        return ratio(rows[numerator].cpu_per_query, rows[denominator].cpu_per_query)

    if "api+facets" in rows:
        database_targets(rows, build_rate, check, cpu_ratio)
    if engine is not None:
        engine_targets(rows["engine api+facets"], engine, check)
    return checks


def engine_targets(row, engine, check):
    large = engine["documents"] >= TARGETS["engine_large_documents"]
    goal = TARGETS["engine_large_p95_with_facets_ms" if large else "engine_p95_with_facets_ms"]
    check(
        f"engine p95 with facets at {engine['documents']:,} (ms)",
        row.p95,
        f"<= {goal:g} ms",
        row.p95 <= goal,
        "engine api+facets p95",
        unit="ms",
    )
    if engine["docs_per_s"] is None:
        return  # a kept index measured again: nothing was loaded
    check(
        "engine bulk indexing (docs/s)",
        engine["docs_per_s"],
        f">= {TARGETS['engine_bulk_docs_per_s']:,.0f}",
        engine["docs_per_s"] >= TARGETS["engine_bulk_docs_per_s"],
        "search documents analysed and bulk-indexed into a new index per second",
        unit="docs/s",
    )


def database_targets(rows, build_rate, check, cpu_ratio):
    api = rows["api+facets"]
    stock = ratio(rows["wagtail stock"].p50, api.p50)
    check(
        "wagtail stock / api+facets (p50)",
        stock,
        f">= {TARGETS['stock_over_api']:g}x",
        stock >= TARGETS["stock_over_api"],
        "how many times slower Wagtail's stock search is than the API with facets",
        on_cpu=cpu_ratio("wagtail stock", "api+facets"),
    )
    floor = ratio(rows["api no facets"].p50, rows["raw floor"].p50)
    check(
        "api no facets / raw floor (p50)",
        floor,
        f"<= {TARGETS['api_over_raw']:g}x",
        floor <= TARGETS["api_over_raw"],
        "the API's overhead over the bare full-text query",
        on_cpu=cpu_ratio("api no facets", "raw floor"),
    )
    floor_facets = ratio(api.p50, rows["raw floor+facets"].p50)
    check(
        "api+facets / raw floor+facets (p50)",
        floor_facets,
        f"<= {TARGETS['api_over_raw']:g}x",
        floor_facets <= TARGETS["api_over_raw"],
        "the same, both computing the total and the facet counts",
        on_cpu=cpu_ratio("api+facets", "raw floor+facets"),
    )
    check(
        "p95 with facets (ms)",
        api.p95,
        f"<= {TARGETS['p95_with_facets_ms']:g} ms",
        api.p95 <= TARGETS["p95_with_facets_ms"],
        "api+facets p95",
        unit="ms",
    )
    check(
        "index build rate (docs/s)",
        build_rate,
        f">= {TARGETS['build_docs_per_s']:,.0f}",
        build_rate >= TARGETS["build_docs_per_s"],
        "search documents built and indexed per second",
        unit="docs/s",
    )


def format_table(result):
    """The printed report: the latency table, the targets, then the per-query detail."""
    lines = []
    head = result["head"]
    lines.append(
        f"Search benchmark: {head['documents']:,} documents, {head['vendor']} "
        f"{head['server_version']}, {len(result['queries'])} queries x {head['repeat']} "
        f"rounds (+{head['warmup']} warm-up rounds not counted), {head['cpus']} CPUs, "
        f"load average {head['load'][0]:.1f} before / {head['load'][1]:.1f} after"
    )
    lines.append("")
    lines.append(
        f"{'':22} {'p50 ms':>9} {'p95 ms':>9} {'queries':>8} {'cpu ms':>8} {'cpu wait':>9}   what"
    )
    for row in result["rows"]:
        lines.append(
            f"{row['name']:22} {row['p50_ms']:9.2f} {row['p95_ms']:9.2f} {row['queries']:8d}"
            f" {row['cpu_ms_per_query']:8.2f} {row['cpu_wait_ms_per_query']:9.2f}   {row['what']}"
        )
    lines.append(
        "(cpu ms: mean CPU per query run by the bench process and its PostgreSQL backend; "
        "cpu wait: mean time both waited for a CPU other processes held)"
    )
    lines.append("")
    build = result["build"]
    if build is None:
        lines.append("index build: not measured (--reuse: the documents already there)")
    else:
        lines.append(
            f"index build: {build['documents']:,} documents in {build['seconds']:.1f} s = "
            f"{build['docs_per_s']:,.0f} docs/s (building the documents "
            f"{build['analysis_seconds']:.1f} s, saving them: word analysis, rows, indexes "
            f"{build['database_seconds']:.1f} s; {build['path']})"
        )
        if build.get("cpu_seconds"):
            lines.append(
                f"  CPU run by the bench and its PostgreSQL backend: {build['cpu_seconds']:.1f} s"
                f" = {build['documents'] / build['cpu_seconds']:,.0f} docs per CPU-second"
            )
    engine = result.get("engine")
    if engine and engine["docs_per_s"] is None:
        lines.append(
            f"engine bulk indexing: not measured (--reuse: the {engine['documents']:,} documents "
            f"a --keep-engine-index run left; Elasticsearch {engine['version']}, heap "
            f"{engine['heap_mb']:,} MB)"
        )
    elif engine:
        lines.append(
            f"engine bulk indexing: {engine['documents']:,} documents in "
            f"{engine['seconds']:.1f} s = {engine['docs_per_s']:,.0f} docs/s (Elasticsearch "
            f"{engine['version']}, heap {engine['heap_mb']:,} MB; ElasticsearchBackend.rebuild)"
        )
        if engine.get("source_note"):
            lines.append(f"  {engine['source_note']}")
        cpu = [engine.get("bench_cpu_seconds"), engine.get("engine_cpu_seconds")]
        if None not in cpu:
            lines.append(
                f"  CPU run by the bench (and its PostgreSQL backend) {cpu[0]:.1f} s, by the "
                f"engine {cpu[1]:.1f} s = {engine['documents'] / sum(cpu):,.0f} docs per "
                f"CPU-second ({engine['documents'] / cpu[1]:,.0f} per engine CPU-second)"
            )
    if result.get("wagtail_build"):
        wagtail_build = result["wagtail_build"]
        lines.append(
            f"wagtail index build (for reference): {wagtail_build['seconds']:.1f} s = "
            f"{wagtail_build['docs_per_s']:,.0f} docs/s"
        )
    lines.append("")
    lines.append(f"{'target':40} {'value':>10} {'goal':>11}   result        on CPU")
    for check in result["targets"]:
        value = check["value"]
        shown = f"{value:.2f}x" if check["unit"] == "x" else f"{value:,.1f}"
        verdict = "not measured" if math.isnan(value) else "met" if check["met"] else "NOT met"
        on_cpu = check.get("on_cpu")
        on_cpu = f"{on_cpu:.2f}x" if on_cpu is not None and not math.isnan(on_cpu) else ""
        line = f"{check['name']:40} {shown:>10} {check['target']:>11}   {verdict:12}  {on_cpu}"
        lines.append(line.rstrip())
    lines.append("")
    names = [row["name"] for row in result["rows"]]
    short = {
        name: name.replace("api+facets+filters", "api+filt").replace("wagtail ", "")
        for name in names
    }
    lines.append("per query: p50 ms (total hits)")
    lines.append(f"{'query':32} " + " ".join(f"{short[name]:>18}" for name in names))
    for query in result["queries"]:
        cells = []
        for row in result["rows"]:
            detail = row["per_query"].get(query, {})
            cells.append(f"{detail.get('p50_ms', float('nan')):8.2f} ({detail.get('total', 0):>7})")
        lines.append(f"{query[:32]:32} " + " ".join(f"{cell:>18}" for cell in cells))
    return "\n".join(lines)


# --- the systems -------------------------------------------------------------------------------

API_PATH = "/api/search/"


class Api:
    """The public search API through Django's test client: URL resolution, middleware, the
    view, the backend and the JSON encoding, as a request from a browser gets them."""

    def __init__(self):
        from django.test import Client, RequestFactory

        self.client = Client()
        self.factory = RequestFactory()
        self.filters = {}

    def get(self, params):
        response = self.client.get(API_PATH, params)
        if response.status_code != 200:
            raise RuntimeError(
                f"{API_PATH} answered {response.status_code} for {params}: "
                f"{response.content[:300]!r}"
            )
        return response

    def with_facets(self, query):
        return json.loads(self.get({"q": query}).content)["count"]

    def with_filters(self, query):
        return json.loads(self.get({"q": query, **self.filters.get(query, {})}).content)["count"]

    def without_facets(self, query):
        """The API has no switch for facets, so this is the body of its view (`api_search`)
        with `with_facets=False`: parameters, backend, JSON encoding; no URL routing or
        middleware (under 1 ms of the other rows)."""
        from dataclasses import replace

        from django.http import JsonResponse
        from django.utils import translation

        from search.backends import get_search_backend
        from search.params import parse_search
        from search.views import response_json

        request = self.factory.get(API_PATH, {"q": query})
        search_query = replace(parse_search(request.GET, ui_language="en"), with_facets=False)
        with translation.override(search_query.ui_language):
            response = get_search_backend().search(search_query)
            data = response_json(response, request)
            JsonResponse(data, json_dumps_params={"ensure_ascii": False})
        return response.total

    def choose_filters(self, queries):
        """For each query, a country and a theme filter a user would click: the query's most
        frequent country and theme in its own facets, so the filtered search has results."""
        for query in queries:
            facets = json.loads(self.get({"q": query}).content).get("facets", {})
            chosen = {}
            for facet, param in (("country", "country"), ("theme", "theme")):
                values = facets.get(facet) or []
                if values:
                    chosen[param] = values[0]["value"]
            self.filters[query] = chosen
        return self.filters


class RawFloor:
    """Hand-written SQL on the search documents' own full-text index: what the engine costs
    with nothing around it. It does the database backend's matching and ranking and nothing
    else: the same tsquery / FTS5 MATCH string built from the typed words and the same score
    (`Dialect.title_tier` or `.ranked`, `.match`), so the two differ only in the work around
    the match (the tiers below the first, facet labels, documents, snippets, JSON, HTTP)."""

    def __init__(self):
        from django.db import connection

        from search.backends.database import DatabaseBackend

        self.connection = connection
        self.backend = DatabaseBackend()
        self.dialect = self.backend.dialect

    def _parse(self, text):
        from search.backends.base import SearchQuery

        return self.backend.parse(SearchQuery(text=text))

    def _rows(self, sql, params):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def top(self, text):
        """The first 20 hits by the backend's ranking and the number of matches: the least
        any answer to a search needs (the API's `count` included). On PostgreSQL that is the
        backend's own tiers: title matches and the total in one statement, then, while the
        page is short, the summary matches and the rest (`Dialect.ranked_rest`)."""
        parsed = self._parse(text)
        conditions, params = self.dialect.match(parsed, ranked=True)
        where = " AND ".join(conditions) or "TRUE"
        if self.dialect.tiered:
            score, condition, tier_params = self.dialect.title_tier(parsed)
            sql = (
                f"SELECT NULL, NULL, count(*) FROM {self.dialect.table} d WHERE {where} "
                f"UNION ALL (SELECT d.id, {score} AS score, NULL "
                f"FROM {self.dialect.table} d WHERE {condition} "
                "ORDER BY score DESC, d.published_at DESC NULLS LAST LIMIT 20)"
            )
            rows = self._rows(sql, [*params, *tier_params])
            total = next(n for pk, _score, n in rows if pk is None)
            wanted = 20 - (len(rows) - 1)
            for _score, _params, tier, tier_params in self.dialect.ranked_rest(parsed):
                if wanted <= 0:
                    break
                sql = (
                    f"SELECT d.id FROM {self.dialect.table} d WHERE {tier} "
                    "ORDER BY d.published_at DESC NULLS LAST, d.id DESC LIMIT %s"
                )
                wanted -= len(self._rows(sql, [*tier_params, wanted]))
            return total
        score, score_params, source = self.dialect.ranked(parsed)
        sql = (
            "WITH r AS MATERIALIZED ("
            f"SELECT d.id, d.published_at, {score} AS score FROM {source} WHERE {where}"
            ") SELECT r.id, r.score, (SELECT count(*) FROM r) FROM r "
            "ORDER BY r.score DESC, r.published_at DESC NULLS LAST LIMIT 20"
        )
        rows = self._rows(sql, [*score_params, *params])
        return rows[0][2] if rows else 0

    def top_and_facets(self, text):
        """The first 20 hits, then the total and the five facets' counts in one statement:
        on PostgreSQL the matches' packed facet codes, tallied (`search.facet_codes`) but
        not named; on SQLite grouped in SQL."""
        self.top(text)
        parsed = self._parse(text)
        conditions, params = self.dialect.match(parsed)
        where = " AND ".join(conditions) or "TRUE"
        if self.dialect.tiered:
            from search import facet_codes

            sql = (
                "SELECT count(*), string_agg(d.facet_codes, ''::bytea) "
                f"FROM {self.dialect.table} d WHERE {where}"
            )
            ((total, packed),) = self._rows(sql, params)
            facet_codes.count(packed)
            return total
        sql = f"""
            WITH hits AS MATERIALIZED (
                SELECT d.object_type, d.language, d.year, d.themes, d.countries
                FROM {self.dialect.table} d WHERE {where}
            )
            SELECT 'total', NULL, count(*) FROM hits
            UNION ALL SELECT 'theme', value, count(*) FROM hits, json_each(hits.themes)
                GROUP BY value
            UNION ALL SELECT 'country', value, count(*) FROM hits, json_each(hits.countries)
                GROUP BY value
            UNION ALL SELECT 'type', object_type, count(*) FROM hits GROUP BY object_type
            UNION ALL SELECT 'language', language, count(*) FROM hits GROUP BY language
            UNION ALL SELECT 'year', year, count(*) FROM hits GROUP BY year
        """
        rows = self._rows(sql, params)
        return next(count for facet, _, count in rows if facet == "total")


def clear_documents():
    """Remove the previous run's documents. On PostgreSQL by TRUNCATE (the full-text table
    follows through its trigger): deleting them would leave 100,000 dead rows in the tables
    and their indexes for the build to work around until autovacuum comes by."""
    from django.db import connection

    from search.models import SearchDocument

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {SearchDocument._meta.db_table}")
    else:
        SearchDocument.objects.all().delete()


def bench_builders():
    """One `DocumentBuilder` per object type for the generated items: the search core's own
    `build()` (analysis, theme ancestry, labels in every language) applied to a `BenchItem`
    instead of a page. Only `fields()` is the bench's: it reads the item's attributes."""
    from search.indexing import DocumentBuilder

    class BenchItemBuilder(DocumentBuilder):
        def __init__(self, object_type, themes_by_slug):
            self.object_type = object_type
            self.themes_by_slug = themes_by_slug

        def language(self, item):
            return item.language

        def fields(self, item, labels):
            return {
                "title": item.title,
                "summary": item.summary,
                "body": item.body,
                "extra_labels": "",
                "themes": [self.themes_by_slug[slug] for slug in item.themes],
                "countries": item.countries,
                "year": item.year,
                "organisation": item.organisation,
                "organisation_name": item.organisation_name,
                "url": item.url,
                "source": item.source,
                "published_at": item.published_at,
            }

    from search.indexing import TaxonomyLabels

    labels = TaxonomyLabels()
    themes_by_slug = {theme.slug: theme for theme in labels.themes.values()}
    builders = {
        object_type: BenchItemBuilder(object_type, themes_by_slug)
        for object_type in ("practice", "guide", "organisation", "thread")
    }
    return builders, labels


def index_items(items, batch_size=None, progress=None, total=None):
    """Build and store a `SearchDocument` for each item the way `search_index rebuild` does:
    `DocumentBuilder.build` per item, the documents written `BULK_BATCH_SIZE` at a time
    (`save_documents`: one INSERT ... ON CONFLICT per batch), in one transaction
    (`fulltext.rebuilding`: on PostgreSQL the full-text rows are copied into a new table,
    indexed at the end and swapped in at commit; all of that time is counted).

    Returns {"documents", "seconds", "analysis_seconds", "database_seconds"}: wall-clock
    time from the first document to the commit, split into building the documents
    (`DocumentBuilder.build`: labels, themes) and the rest: saving them (`save_documents`:
    the words' analysis, the COPY, and at the end the GIN indexes and the swap). Generating
    the items is not timed."""
    from search.indexing import BULK_BATCH_SIZE, save_documents

    batch_size = batch_size or BULK_BATCH_SIZE
    builders, labels = bench_builders()
    figures = {"documents": 0, "seconds": 0.0, "analysis_seconds": 0.0, "database_seconds": 0.0}
    # Generating the items is not timed, nor counted in the CPU figure.
    items = list(items)
    clock = CpuClock()
    cpu_started = clock.process_cpu_ms()

    def built_batches():
        batch = []
        for item in items:
            batch.append(item)
            if len(batch) >= batch_size:
                yield build(batch)
                batch = []
        if batch:
            yield build(batch)

    def build(batch):
        started = time.perf_counter()
        documents = [builders[item.object_type].build(item, labels) for item in batch]
        figures["analysis_seconds"] += time.perf_counter() - started
        return documents

    from search import fulltext

    with fulltext.rebuilding():
        started = time.perf_counter()
        for documents in built_batches():
            save_documents(documents)
            figures["documents"] += len(documents)
            if progress:
                progress(figures["documents"], total)
    figures["seconds"] = time.perf_counter() - started
    figures["database_seconds"] = figures["seconds"] - figures["analysis_seconds"]
    # CPU run by this process (both threads) and its database backend.
    figures["cpu_seconds"] = (
        (clock.process_cpu_ms() - cpu_started) / 1000 if clock.available else None
    )
    return figures


def analyze_tables():
    """Tables as autovacuum leaves them on a live site after a bulk load: fresh planner
    statistics, and (outside a transaction, i.e. not in the smoke test) vacuumed, which
    merges the GIN indexes' pending entries and marks the pages all-visible."""
    from django.db import connection

    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("search_searchdocument", "search_match", "wagtailsearch_indexentry"):
                cursor.execute(f"{command} {table}")
        else:
            cursor.execute("ANALYZE")


def server_version():
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return cursor.fetchone()[0].split(" ")[0]


# --- the engine side ---------------------------------------------------------------------------


class Engine:
    """The engine backend on a real Elasticsearch, in an index of the bench's own
    (`<prefix>-items-<timestamp>` behind the alias `<prefix>-items`), deleted by `drop`.

    Bulk indexing is `ElasticsearchBackend.rebuild`, as `search_index rebuild` does on a site
    with `ELASTICSEARCH_URL`: each saved document read with the analysed forms stored when
    it was saved (`SearchItem.from_search_document`), streamed to a new index in bulk
    requests, refreshed and swapped in. Queries go through the same public API as the
    database rows, with `SEARCH_BACKEND` pointing at that index."""

    def __init__(self, url, prefix):
        from search.backends.elasticsearch import ElasticsearchBackend

        self.url = url
        self.prefix = prefix
        self.backend = ElasticsearchBackend(url, index_prefix=prefix, timeout=60)
        # The integration-test distribution has no `GET /`: the version from the nodes API.
        nodes = self.backend.client.nodes.info(node_id="_local", metric="jvm,process")["nodes"]
        (node,) = nodes.values()
        self.version = node["version"]
        self.heap_mb = node["jvm"]["mem"]["heap_max_in_bytes"] // 2**20
        self.pid = node["process"]["id"]
        try:
            with open(f"/proc/{self.pid}/cmdline", "rb") as handle:
                self.local = b"elasticsearch" in handle.read()
        except OSError:
            self.local = False  # an engine on another machine

    def cpu_seconds(self):
        """CPU run by every thread of the engine's process so far, when it runs on this
        machine (/proc/<pid>/stat); else None."""
        if not self.local:
            return None
        try:
            with open(f"/proc/{self.pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def bulk(self, documents, progress=None, total=None):
        """Index `documents` (an iterable of unsaved or saved `SearchDocument`s); returns
        {"documents", "seconds", "docs_per_s"}."""
        counted = 0

        def counting():
            nonlocal counted
            for document in documents:
                counted += 1
                if progress and counted % 5000 == 0:
                    progress(counted, total)
                yield document

        clock = CpuClock()
        bench_started, engine_started = clock.process_cpu_ms(), self.cpu_seconds()
        started = time.perf_counter()
        written = self.backend.rebuild(counting())
        seconds = time.perf_counter() - started
        bench_cpu = (clock.process_cpu_ms() - bench_started) / 1000 if clock.available else None
        engine_cpu = self.cpu_seconds()
        engine_cpu = engine_cpu - engine_started if engine_started is not None else None
        if progress:
            progress(counted, total)
        return {
            "documents": written,
            "seconds": seconds,
            "docs_per_s": written / seconds,
            "bench_cpu_seconds": bench_cpu,
            "engine_cpu_seconds": engine_cpu,
        }

    def settings(self):
        return {
            "BACKEND": "search.backends.elasticsearch.ElasticsearchBackend",
            "OPTIONS": {"url": self.url, "index_prefix": self.prefix, "timeout": 10.0},
        }

    def measure(self, api, queries, repeat, warmup, progress=None):
        """The API with facets answered by the engine. A search the engine failed would be
        answered by the database behind it: any such answer stops the bench."""
        from django.test import override_settings

        def with_facets(query):
            data = json.loads(api.get({"q": query}).content)
            if data.get("backend") != "elasticsearch" or "fallback_reason" in data:
                raise RuntimeError(
                    f"the engine did not answer {query!r}: {data.get('fallback_reason')}"
                )
            return data["count"]

        with override_settings(SEARCH_BACKEND=self.settings()):
            return measure(
                {"engine api+facets": (dict(ROWS)["engine api+facets"], with_facets)},
                queries,
                repeat,
                warmup,
                progress=progress,
            )

    def drop(self):
        # The engine refuses wildcards in deletions: the indices by name.
        indices = self.backend._alias_indices()
        if indices:
            self.backend.client.indices.delete(index=",".join(indices))
        self.backend.close()


def engine_prefix(database_name):
    """The bench's index prefix: its database's name, as an index name may have it."""
    return "bench-" + re.sub(r"[^a-z0-9]+", "-", Path(str(database_name)).name.lower())


def saved_documents(batch_size=2000):
    from search.models import SearchDocument

    return SearchDocument.objects.order_by("id").iterator(chunk_size=batch_size)


# Where the generated texts are cut into the pieces `SourceTextAnalysis` analyses once: after
# a sentence's end, where bench/corpus.py reorders a record's sentences.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
CHECKED_DOCUMENTS = 200
SENTENCES_REMEMBERED = 50_000


class SourceTextAnalysis:
    """The stored forms (`SearchDocument.title_terms`...) of generated documents, as
    `save_documents` stores them, with each distinct sentence of the source records analysed
    once: bench/corpus.py makes a million documents from about 3,100 records by reordering
    their sentences and adding a city, so most of the text recurs. Words never span the
    whitespace a text is cut at, so a text's forms are its sentences' forms one after the
    other (the first `CHECKED_DOCUMENTS` are compared with a whole analysis). Data
    generation for a latency measurement only: the bulk rate of saved documents is the
    full bench's."""

    def __init__(self):
        from search import analysis

        self.analysis = analysis
        # Bounded, so that a million documents take the memory of a thousand: the titles
        # (a city and year added) and many summaries are pieces seen once.
        self._analysed = lru_cache(maxsize=SENTENCES_REMEMBERED)(analysis.analyse)
        self.checked = 0

    def terms(self, text, language):
        analysis = self.analysis
        if not text or len(text) > analysis.MAX_ANALYSED_CHARS:  # cut: analysed whole
            return analysis.index_terms(text or "", language)
        parts = [self._analysed(piece, language) for piece in SENTENCE_END.split(text)]
        if len(parts) == 1:
            indexed = parts[0]
        else:
            indexed = analysis.IndexedText(
                *(
                    tuple(chain.from_iterable(getattr(part, name) for part in parts))
                    for name in ("exact", "folded", "stemmed", "folded_stemmed")
                )
            )
        return analysis.joined_sequences(indexed)

    def store(self, document):
        for part in ("title", "summary", "body"):
            terms = self.terms(getattr(document, part), document.language)
            if self.checked < CHECKED_DOCUMENTS:
                whole = self.analysis.index_terms(getattr(document, part), document.language)
                if terms != whole:
                    raise AssertionError(f"{document.key}: {part} analysed by sentence differs")
            setattr(document, f"{part}_terms", terms)
        self.checked += 1


def unsaved_documents(n, seed):
    """`n` `SearchDocument`s built as `index_items` builds them, never saved: the engine
    alone at a size the database side need not hold. Their analysed forms are stored as
    `save_documents` stores them, each distinct source sentence analysed once
    (`SourceTextAnalysis`)."""
    from django.utils import timezone

    builders, labels = bench_builders()
    now = timezone.now()
    analysed = SourceTextAnalysis()
    for item in _generate(n, seed):
        document = builders[item.object_type].build(item, labels)
        document.updated_at = now
        analysed.store(document)
        yield document


def _generate(n, seed):
    from bench.corpus import generate

    return generate(n, seed=seed)


# --- one run -----------------------------------------------------------------------------------


def _printer(stream):
    def progress(label):
        def report(done, total):
            if stream is not None:
                total_text = f"/{total:,}" if total else ""
                stream.write(f"\r  {label}: {done:,}{total_text}   ")
                stream.flush()
                if total and done >= total:
                    stream.write("\n")

        return report

    return progress


def run_benchmark(
    n,
    queries=None,
    repeat=5,
    warmup=2,
    seed=2026,
    with_wagtail=True,
    reuse=False,
    log=None,
    engine_url=None,
    engine_only=False,
    keep_engine_index=False,
):
    """Build `n` documents, measure every system on `queries`; returns the result as a dict
    (what `format_table` prints and what is written as JSON). Runs on the active database.

    `reuse` measures the documents (and Wagtail index) a previous run left, without building:
    for trying a change to the search code on a large index in seconds. With `engine_url`,
    the same documents are bulk-indexed into that Elasticsearch and the API measured on it;
    `engine_only` skips the database side and bulk-indexes `n` documents never saved;
    `keep_engine_index` leaves that index for a later `engine_only` and `reuse` run, which
    measures its searches again without loading it (at 1,000,000 documents the load takes
    about 7 minutes, the searches one: they can be measured when the machine is quiet)."""
    from django.db import connection

    queries = list(queries or DEFAULT_QUERIES)
    progress = _printer(log)

    def say(message):
        if log is not None:
            log.write(message + "\n")
            log.flush()

    from bench.corpus import generate
    from search.models import SearchDocument

    # Everything measured is imported now, so that one run uses one version of the code
    # even when the files change while it builds.
    importlib.import_module("search.backends.database")
    importlib.import_module("search.views")

    load_before = os.getloadavg()[0]
    build = wagtail_build = None
    if engine_only:
        return run_engine_only(
            n, queries, repeat, warmup, seed, engine_url, say, progress, reuse, keep_engine_index
        )
    if reuse:
        documents = SearchDocument.objects.count()
        say(f"reusing the {documents:,} search documents in the database")
    else:
        say(f"building {n:,} search documents ...")
        clear_wagtail_index()
        clear_documents()
        build = index_items(generate(n, seed=seed), progress=progress("search documents"), total=n)
        documents = build["documents"]
        build["docs_per_s"] = documents / build["seconds"] if build["seconds"] else float("nan")
        build["path"] = (
            "DocumentBuilder.build + save_documents per 500, one transaction, new index swapped in"
        )
    if with_wagtail and not reuse:
        say("indexing the same documents into Wagtail's index ...")
        wagtail_seconds = build_wagtail_index(progress=progress("wagtail index"))
        wagtail_build = {"seconds": wagtail_seconds, "docs_per_s": documents / wagtail_seconds}
    analyze_tables()

    api = Api()
    raw = RawFloor()
    say("choosing each query's filters from its own facets ...")
    api.choose_filters(queries)
    systems = {
        "api+facets": (ROWS[0][1], api.with_facets),
        "api+facets+filters": (ROWS[1][1], api.with_filters),
        "api no facets": (ROWS[2][1], api.without_facets),
    }
    systems["raw floor"] = (ROWS[4][1], raw.top)
    systems["raw floor+facets"] = (ROWS[5][1], raw.top_and_facets)
    say(f"measuring {len(systems)} systems x {len(queries)} queries x {warmup}+{repeat} rounds ...")
    rows = measure(systems, queries, repeat, warmup, progress=progress("rounds"))
    # Wagtail's stock search runs in rounds of its own, after the others: each of its
    # queries reads hundreds of megabytes of its index table, which pushes the search
    # tables out of PostgreSQL's buffer cache and would bill whichever system ran next.
    if with_wagtail:
        say(f"measuring Wagtail's stock search x {len(queries)} queries x {warmup}+{repeat} rounds")
        stock = {"wagtail stock": (ROWS[3][1], lambda query: wagtail_search(query)[0])}
        rows |= measure(stock, queries, repeat, warmup, progress=progress("wagtail rounds"))
    else:
        rows["wagtail stock"] = Row("wagtail stock", "not measured")
    engine = engine_figures = None
    if engine_url:
        engine = Engine(engine_url, engine_prefix(connection.settings_dict["NAME"]))
        say(f"bulk-indexing the same {documents:,} documents into Elasticsearch {engine.version}")
        try:
            engine_figures = engine.bulk(
                saved_documents(), progress=progress("engine documents"), total=documents
            )
            engine_figures |= {"version": engine.version, "heap_mb": engine.heap_mb}
            rows |= engine.measure(api, queries, repeat, warmup, progress("engine rounds"))
        finally:
            engine.drop()

    result = {
        "head": {
            "documents": documents,
            "vendor": connection.vendor,
            "server_version": server_version(),
            "database": connection.settings_dict["NAME"],
            "repeat": repeat,
            "warmup": warmup,
            "seed": seed,
            "cpus": os.cpu_count(),
            # Other processes share the CPUs: the 1-minute load average before and after.
            "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "python": platform.python_version(),
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
        },
        "queries": queries,
        "filters": api.filters,
        "build": build,
        "wagtail_build": wagtail_build,
        "engine": engine_figures,
        "rows": [
            _row_result(row, queries) for row in (rows[name] for name, _ in ROWS if name in rows)
        ],
        "targets": None,
    }
    result["targets"] = evaluate(
        rows, build["docs_per_s"] if build else float("nan"), engine_figures
    )
    return result


def _row_result(row, queries):
    return {
        "name": row.name,
        "what": row.what,
        "p50_ms": row.p50,
        "p95_ms": row.p95,
        "queries": row.queries,
        "cpu_ms_per_query": row.cpu_per_query,
        "cpu_wait_ms_per_query": row.wait_per_query,
        "per_query": {
            query: {
                "p50_ms": percentile(row.per_query_ms.get(query, []), 0.5),
                "total": row.totals.get(query, 0),
            }
            for query in queries
        },
    }


def run_engine_only(
    n, queries, repeat, warmup, seed, engine_url, say, progress, reuse=False, keep=False
):
    """The engine alone: `n` documents built in memory (never saved), bulk-indexed, then the
    API with facets measured on them. With `reuse`, the index a `keep` run left is measured
    as it is, and left too."""
    from django.db import connection

    load_before = os.getloadavg()[0]
    engine = Engine(engine_url, f"bench-engine-{n}")
    try:
        if reuse:
            figures = kept_index(engine)
            say(f"reusing the {figures['documents']:,} documents of {engine.prefix}-items")
        else:
            say(f"building and bulk-indexing {n:,} documents into Elasticsearch {engine.version}")
            figures = engine.bulk(
                unsaved_documents(n, seed), progress=progress("engine documents"), total=n
            )
            figures["source_note"] = (
                "documents generated in memory, each distinct source sentence analysed once "
                "and its forms reused (data generation; the bulk rate of saved documents is "
                "the full bench's)"
            )
        figures |= {"version": engine.version, "heap_mb": engine.heap_mb}
        rows = engine.measure(Api(), queries, repeat, warmup, progress("engine rounds"))
    finally:
        if keep or reuse:
            engine.backend.close()
        else:
            engine.drop()
    row = rows["engine api+facets"]
    return {
        "head": {
            "documents": figures["documents"],
            "vendor": "elasticsearch",
            "server_version": engine.version,
            "database": connection.settings_dict["NAME"],
            "repeat": repeat,
            "warmup": warmup,
            "seed": seed,
            "cpus": os.cpu_count(),
            "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "python": platform.python_version(),
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
        },
        "queries": queries,
        "filters": {},
        "build": None,
        "wagtail_build": None,
        "engine": figures,
        "rows": [_row_result(row, queries)],
        "targets": evaluate(rows, float("nan"), figures),
    }


def kept_index(engine):
    """The figures of an index a `--keep-engine-index` run left: its documents, no load."""
    documents = engine.backend.count()
    if not documents:
        raise SystemExit(
            f"no index {engine.prefix}-items on {engine.url}: run the same command with "
            "--keep-engine-index and without --reuse first"
        )
    return {"documents": documents, "seconds": None, "docs_per_s": None}


def write_json(result, directory=RESULTS_DIR):
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = directory / f"search-{stamp}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="documents to build")
    parser.add_argument("--queries", nargs="+", help="queries (default: a built-in dozen)")
    parser.add_argument("--repeat", type=int, default=5, help="measured rounds per query")
    parser.add_argument("--warmup", type=int, default=2, help="rounds run first, not counted")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated corpus")
    parser.add_argument("--no-wagtail", action="store_true", help="skip Wagtail's stock search")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the documents a previous run left in the database (with --engine-only: "
        "the index a --keep-engine-index run left); build nothing",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help=f"the bench's own database (default {DEFAULT_DATABASE_URL})",
    )
    parser.add_argument(
        "--engine-url",
        default=os.environ.get("BENCH_ENGINE_URL", DEFAULT_ENGINE_URL),
        help=f"Elasticsearch for the engine rows (default {DEFAULT_ENGINE_URL})",
    )
    parser.add_argument("--no-engine", action="store_true", help="skip the engine backend")
    parser.add_argument(
        "--engine-only",
        action="store_true",
        help="the engine alone: --n documents built in memory, bulk-indexed and searched",
    )
    parser.add_argument(
        "--keep-engine-index",
        action="store_true",
        help="with --engine-only: leave the index, to measure it again with --reuse",
    )
    args = parser.parse_args(argv)
    configure_django(args.database_url)
    ensure_database()
    result = run_benchmark(
        args.n,
        queries=args.queries,
        repeat=args.repeat,
        warmup=args.warmup,
        seed=args.seed,
        with_wagtail=not args.no_wagtail,
        reuse=args.reuse,
        log=sys.stderr,
        engine_url=None if args.no_engine else args.engine_url,
        engine_only=args.engine_only,
        keep_engine_index=args.keep_engine_index,
    )
    print(format_table(result))
    path = write_json(result)
    print(f"\nfigures written to {path.relative_to(ROOT)}")
    return result


if __name__ == "__main__":
    main()
