"""Each database-backend mechanism kept for speed, measured with and without it, on the
documents `bench/search.py` left in its database (PostgreSQL).

    python bench/mechanisms.py facets             # facet counting: packed codes vs SQL
    python bench/mechanisms.py build [--n 100000] [--variant NAME ...]

`facets` runs, for each query of `bench/search.py`, one pass over its matches that counts
the total and every facet value: as the backend does it (the matches' codes concatenated
and tallied in Python), and grouped in SQL over the `smallint[]` codes (`unnest`). `build`
runs `bench/search.py`'s index build once per variant of the build machinery the code on
the current commit has; the variants a commit no longer has are skipped."""

import argparse
import os
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import search as bench  # noqa: E402


def _percentiles(samples):
    return bench.percentile(samples, 0.5), bench.percentile(samples, 0.95)


def facets(queries, repeat, warmup):
    from django.db import connection

    raw = bench.RawFloor()
    dialect = raw.dialect

    def packed(where, params):
        from search import facet_codes

        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*), string_agg(d.facet_codes, ''::bytea) "
                f"FROM {dialect.table} d WHERE {where}",
                params,
            )
            total, codes = cursor.fetchone()
        facet_codes.count(codes)
        return total

    def grouped(where, params):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT code, count(*) FROM {dialect.table} d, unnest(d.facets) AS code "
                f"WHERE {where} GROUP BY code",
                params,
            )
            cursor.fetchall()
            cursor.execute(f"SELECT count(*) FROM {dialect.table} d WHERE {where}", params)
            return cursor.fetchone()[0]

    def grouped_one_pass(where, params):
        # The total as the count of the type facet's codes: every match has one type.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT code, count(*) FROM {dialect.table} d, unnest(d.facets) AS code "
                f"WHERE {where} GROUP BY code",
                params,
            )
            return len(cursor.fetchall())

    variants = {"packed codes + numpy": packed, "unnest + GROUP BY in SQL": grouped_one_pass}
    if "--with-separate-total" in sys.argv:
        variants["unnest + GROUP BY, total apart"] = grouped
    wheres = {}
    for query in queries:
        parsed = raw._parse(query)
        conditions, params = dialect.match(parsed)
        wheres[query] = (" AND ".join(conditions) or "TRUE", params)
    samples = {name: [] for name in variants}
    per_query = {name: {} for name in variants}
    for round_number in range(warmup + repeat):
        for query in queries:
            for name, run in variants.items():
                started = time.perf_counter()
                run(*wheres[query])
                elapsed = (time.perf_counter() - started) * 1000
                if round_number >= warmup:
                    samples[name].append(elapsed)
                    per_query[name].setdefault(query, []).append(elapsed)
    print(f"facet counting over the matches, {len(queries)} queries x {repeat} rounds")
    for name, values in samples.items():
        p50, p95 = _percentiles(values)
        worst = max(per_query[name].items(), key=lambda item: bench.percentile(item[1], 0.5))
        print(
            f"  {name:32} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  "
            f"slowest query {worst[0]!r} p50 {bench.percentile(worst[1], 0.5):.2f} ms"
        )


@contextmanager
def _patched(target, name, value):
    previous = getattr(target, name)
    setattr(target, name, value)
    try:
        yield
    finally:
        setattr(target, name, previous)


def _build_variants():
    """{name: a function returning the context managers that switch mechanisms off}; only
    what the current code has."""
    from search import fulltext, indexing

    variants = {"as the code is": lambda: []}
    if hasattr(indexing, "ANALYSIS_PROCESS_AT"):
        variants["analysis ahead in a thread, not a process"] = lambda: [
            _patched(indexing, "ANALYSIS_PROCESS_AT", 10**12)
        ]
    if hasattr(indexing, "analysed_ahead"):

        def inline(batches, using="default", processes=False):
            return batches

        variants["no analysis ahead (in the saving thread)"] = lambda: [
            _patched(indexing, "analysed_ahead", inline)
        ]
    if hasattr(fulltext.PostgresRebuild, "_session"):

        class Serial(fulltext.PostgresRebuild):
            def __init__(self, connection, parallel=True):
                super().__init__(connection, parallel=False)

        variants["no staging session, indexes one after another"] = lambda: [
            _patched(fulltext, "PostgresRebuild", Serial)
        ]
        variants["neither"] = lambda: [
            _patched(fulltext, "PostgresRebuild", Serial),
            _patched(indexing, "analysed_ahead", inline),
        ]
    return variants


def build(n, seed, chosen):
    from bench.corpus import generate

    variants = _build_variants()
    for name, switches in variants.items():
        if chosen and name not in chosen:
            continue
        bench.clear_documents()
        load = os.getloadavg()[0]
        with ExitStack() as stack:
            for switch in switches():
                stack.enter_context(switch)
            figures = bench.index_items(generate(n, seed=seed))
        print(
            f"  build, {name:48} {figures['documents'] / figures['seconds']:8,.0f} docs/s "
            f"({figures['seconds']:.1f} s; load average {load:.1f} before, "
            f"{os.getloadavg()[0]:.1f} after)",
            flush=True,
        )
    bench.analyze_tables()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["facets", "build"])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--variant", nargs="*", default=[])
    parser.add_argument("--with-separate-total", action="store_true")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", bench.DEFAULT_DATABASE_URL),
    )
    args = parser.parse_args(argv)
    bench.configure_django(args.database_url)
    bench.ensure_database()
    if args.what == "facets":
        facets(bench.DEFAULT_QUERIES, args.repeat, args.warmup)
    else:
        build(args.n, args.seed, args.variant)


if __name__ == "__main__":
    main()
