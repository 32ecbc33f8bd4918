"""The engine's search latency by index layout, on one index: N documents generated in memory
(as `bench/search.py --engine-only` makes them) loaded by `ElasticsearchBackend.rebuild`,
which leaves them in `FORCE_MERGE_SEGMENTS` segments; the API with facets measured on that;
then the same index merged into one segment and measured again, twice. Both layouts share
the documents, the node and the hour, so the machine's load moves them alike.

    python bench/engine_layout.py --n 1000000 --engine-url http://127.0.0.1:9610

The index (`bench-layout-items-*`) is deleted at the end. See bench/README.md, "Engine
rebuild and index layout".
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

# Before bench/ (the script's folder): `search` is the search app, bench/search.py is
# `bench.search`.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import search as bench  # noqa: E402


def segments(engine, index):
    rows = engine.backend.client.cat.segments(index=index, format="json")
    return sorted((int(row["docs.count"]) for row in rows), reverse=True)


def measure(engine, label, repeat, warmup):
    """The API with facets over the 12 queries, and the engine's CPU per search."""
    cpu_before, load_before = engine.cpu_seconds(), os.getloadavg()[0]
    row = engine.measure(bench.Api(), bench.DEFAULT_QUERIES, repeat, warmup)["engine api+facets"]
    searches = len(bench.DEFAULT_QUERIES) * (repeat + warmup)
    engine_cpu = engine.cpu_seconds()
    return {
        "layout": label,
        "p50_ms": round(row.p50, 2),
        "p95_ms": round(row.p95, 2),
        "bench_cpu_ms": round(row.cpu_per_query, 2),
        "engine_cpu_ms": None
        if cpu_before is None
        else round((engine_cpu - cpu_before) * 1000 / searches, 1),
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "per_query_p50_ms": {
            query: round(bench.percentile(samples, 0.5), 1)
            for query, samples in row.per_query_ms.items()
        },
    }


def run(n, engine_url, repeat=5, warmup=2, seed=2026):
    """{documents, heap_mb, rebuild, rebuilt_segments, layouts, merge_to_one}; the index is
    deleted at the end."""
    engine = bench.Engine(engine_url, "bench-layout")
    client = engine.backend.client
    try:
        results = {"documents": n, "heap_mb": engine.heap_mb}
        results["rebuild"] = engine.bulk(bench.unsaved_documents(n, seed))
        (index,) = engine.backend._alias_indices()
        results["rebuilt_segments"] = segments(engine, index)
        results["layouts"] = [measure(engine, "as rebuilt", repeat, warmup)]
        started, cpu = time.perf_counter(), engine.cpu_seconds()
        client.options(request_timeout=3600).indices.forcemerge(index=index, max_num_segments=1)
        client.indices.refresh(index=index)
        results["merge_to_one"] = {
            "seconds": round(time.perf_counter() - started, 1),
            "engine_cpu_seconds": None if cpu is None else round(engine.cpu_seconds() - cpu, 1),
            "segments": segments(engine, index),
        }
        for label in ("one segment", "one segment, again"):
            results["layouts"].append(measure(engine, label, repeat, warmup))
    finally:
        engine.drop()
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="documents to generate")
    parser.add_argument("--repeat", type=int, default=5, help="measured rounds per query")
    parser.add_argument("--warmup", type=int, default=2, help="rounds run first, not counted")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated corpus")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", bench.DEFAULT_DATABASE_URL),
        help="a bench database (for Django's settings; no rows are read or written)",
    )
    parser.add_argument(
        "--engine-url",
        default=os.environ.get("BENCH_ENGINE_URL", bench.DEFAULT_ENGINE_URL),
        help="Elasticsearch",
    )
    args = parser.parse_args(argv)
    bench.configure_django(args.database_url)
    print(f"rebuilding {args.n:,} generated documents ...", file=sys.stderr, flush=True)
    results = run(args.n, args.engine_url, args.repeat, args.warmup, args.seed)
    print(json.dumps(results, indent=1, ensure_ascii=False))
    return results


if __name__ == "__main__":
    main()
