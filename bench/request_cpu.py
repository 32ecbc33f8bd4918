"""CPU milliseconds of one request, in the web process, under the production settings: what
`make load`'s requests/s follow on a machine whose cores are all busy.

    python bench/request_cpu.py /practices/ [/healthz ...] [--repeat 200] [--profile 30]
                                [--database-url postgres://postgres@127.0.0.1:5432/pc_load]
                                [--redis-url redis://127.0.0.1:6379/0] [--no-cache]

Each path goes through Django's WSGI handler (every middleware, as gunicorn calls it) marked
HTTPS as the TLS proxy marks it, anonymously, `--repeat` times after a warm-up; printed: the
process's CPU time per request (median and minimum of blocks of ten: on a busy machine
the minimum is the steadier figure) and the response's size.
With `--redis-url` the page cache uses that Redis, as in production (`make load` starts its
own; start one with `redis-server --port 6399 --save ''`); without it, or with `--no-cache`,
the pages are rendered every time (PAGE_CACHE_SECONDS=0). `--profile N` prints cProfile's
top N functions by cumulative time for each path. The database is `make load`'s (the demo
library: bench/load.py makes it)."""

import argparse
import cProfile
import io
import os
import pstats
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
STATIC_ROOT = Path(tempfile.gettempdir()) / "pc-request-cpu-static"


def configure(args):
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    os.environ.setdefault("SECRET_KEY", "cpu-" + secrets.token_urlsafe(40))
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DATABASE_CONN_MAX_AGE"] = "60"
    os.environ["ELASTICSEARCH_URL"] = ""
    os.environ["REDIS_URL"] = "" if args.redis_url is None else args.redis_url
    # Without a shared cache the production settings turn the content memos off; the
    # gunicorn workers of `make load` have them (Redis), so the single process has them too.
    os.environ["CONTENT_MEMO"] = "true"
    if args.no_cache or args.redis_url is None:
        os.environ["PAGE_CACHE_SECONDS"] = "0"
    # The production settings' static storage needs a manifest: collected once, kept.
    os.environ["STATIC_ROOT"] = str(STATIC_ROOT)


def environ(path):
    from urllib.parse import urlsplit

    parts = urlsplit(path)
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_X_FORWARDED_PROTO": "https",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }


def request(application, path):
    status = []

    def start_response(code, headers, exc_info=None):
        status.append(code)

    body = b"".join(application(environ(path), start_response))
    if not status[0].startswith("200"):
        raise SystemExit(f"{path}: {status[0]}")
    return body


def measure(application, path, repeat):
    for _ in range(5):
        body = request(application, path)
    blocks = []
    for _ in range(max(1, repeat // 10)):
        start = time.process_time()
        for _ in range(10):
            request(application, path)
        blocks.append((time.process_time() - start) * 100)  # ms per request
    return statistics.median(blocks), min(blocks), len(body)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pc_load"),
    )
    parser.add_argument("--redis-url")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--queries", action="store_true", help="print one request's queries")
    args = parser.parse_args(argv)
    configure(args)

    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    if not (STATIC_ROOT / "staticfiles.json").exists():
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
    print(f"{'path':<50} {'cpu ms p50':>10} {'min':>8} {'bytes':>8}")
    for path in args.paths:
        median, mean, size = measure(application, path, args.repeat)
        print(f"{path:<50} {median:>10.2f} {mean:>8.2f} {size:>8}", flush=True)
        if args.profile:
            profiler = cProfile.Profile(time.process_time)  # CPU, not waiting
            profiler.enable()
            for _ in range(20):
                request(application, path)
            profiler.disable()
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(args.profile)
            stats.sort_stats("tottime").print_stats(args.profile)
        if args.queries:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                request(application, path)
            for query in queries.captured_queries:
                print(f"{float(query['time']) * 1000:7.2f} ms  {query['sql'][:300]}")
            print(f"{len(queries.captured_queries)} queries")


if __name__ == "__main__":
    main()
