"""Load test of the production setup on loopback: `make load`.

    python bench/load.py [--seconds 60] [--connections 50]
                         [--database-url postgres://postgres@127.0.0.1:5432/pc_load]

What runs: gunicorn with 3 workers and `config.settings.production` (a local SECRET_KEY,
ALLOWED_HOSTS=127.0.0.1, requests marked HTTPS by `X-Forwarded-Proto` as the TLS proxy
marks them), on PostgreSQL with the demo library, and a Redis server of its own as the
shared cache (REDIS_URL). Each page type gets `--connections` connections for `--seconds`
seconds from wrk (Debian's), one after the other: /healthz (a view behind the same
middleware that makes no query: the reference), the home page, the practice list without
and with filters, a practice page, the search page and the search API; then gunicorn is
restarted with the page cache off (PAGE_CACHE_SECONDS=0) for the practice list and the
search API. Printed per page: requests/s, its ratio to /healthz of the same run, p50 and
p99 latency, responses that were not 2xx, and those that were 5xx.

The database is the bench's own: created, migrated and filled with the demo content (the
Participedia import takes minutes the first time) when it has no practices. The script
starts gunicorn and Redis on free loopback ports, waits for them, and stops only what it
started."""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pc_load"
RESULTS_DIR = ROOT / "bench" / "results"
WORKERS = 3
WARM_UP_REQUESTS = 4 * WORKERS

# wrk's Lua hooks: count what is not 2xx and what is 5xx in every thread, print one line.
WRK_SCRIPT = r"""
wrk.headers["X-Forwarded-Proto"] = "https"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0; server_errors = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
  if status >= 500 then server_errors = server_errors + 1 end
end
function done(summary, latency, requests)
  local n, f = 0, 0
  for _, thread in ipairs(threads) do
    n = n + thread:get("non2xx"); f = f + thread:get("server_errors")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d s5xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    n, f, e.connect + e.read + e.write + e.timeout))
end
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database(database_url):
    """Migrate and, when it has no practices, fill the bench's database with the demo."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    env["DATABASE_URL"] = database_url
    name = database_url.rsplit("/", 1)[-1]
    server = database_url.rsplit("/", 1)[0] + "/postgres"
    exists = subprocess.run(
        ["psql", server, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", server, "-c", f'CREATE DATABASE "{name}"'], check=True)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "compile_translations")
    before = subprocess.run(
        ["psql", database_url, "-tAc", "SELECT count(*) FROM practices_practicepage"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if before == "0":
        manage(env, "load_demo", "--if-empty")
        manage(env, "search_index", "rebuild")


class Started:
    """The processes this script started, stopped in reverse order, and only those."""

    def __init__(self):
        self.processes = []

    def start(self, args, env, log):
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append(process)
        return process

    def stop(self, process):
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.remove(process)

    def stop_all(self):
        for process in reversed(list(self.processes)):
            self.stop(process)


def wait_for(url, process, timeout=60):
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def get_json(url):
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def wrk(url, seconds, connections, script):
    completed = subprocess.run(
        [
            "wrk",
            "--threads",
            "2",
            "--connections",
            str(connections),
            "--duration",
            f"{seconds}s",
            "--timeout",
            "30s",
            "--script",
            script,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in completed.stdout.splitlines() if line.startswith("RESULT "))
    values = dict(item.split("=") for item in line.split()[1:])
    values = {key: int(value) for key, value in values.items()}
    return {
        "requests": values["requests"],
        "rps": values["requests"] / (values["duration_us"] / 1e6),
        "p50_ms": values["p50_us"] / 1000,
        "p99_ms": values["p99_us"] / 1000,
        "non2xx": values["non2xx"],
        "5xx": values["s5xx"],
        "socket_errors": values["socket_errors"],
    }


def server_env(database_url, redis_url, static_root, page_cache=True):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "load-" + secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": redis_url,
        "STATIC_ROOT": static_root,
        "ELASTICSEARCH_URL": "",
    }
    if not page_cache:
        env["PAGE_CACHE_SECONDS"] = "0"
    return env


def run(args):
    for tool in ("wrk", "redis-server", "psql"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing (make load installs wrk and redis-server)")
    prepare_database(args.database_url)
    started = Started()
    workdir = Path(tempfile.mkdtemp(prefix="pc-load-"))
    script = workdir / "count.lua"
    script.write_text(WRK_SCRIPT)
    log = open(workdir / "server.log", "w")  # noqa: SIM115 (open for the whole run)
    results = []
    try:
        redis_port = free_port()
        started.start(
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            os.environ,
            log,
        )  # fmt: skip
        redis_url = f"redis://127.0.0.1:{redis_port}/0"
        static_root = str(workdir / "static")
        env = server_env(args.database_url, redis_url, static_root)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")

        def serve(page_cache):
            port = free_port()
            command = [str(BIN / "gunicorn"), "config.wsgi:application", "--workers",
                       str(WORKERS), "--bind", f"127.0.0.1:{port}"]  # fmt: skip
            if args.verbose:
                command += ["--access-logfile", "-"]
            process = started.start(
                command, server_env(args.database_url, redis_url, static_root, page_cache), log
            )
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/healthz", process)
            return process, base

        process, base = serve(page_cache=True)
        practice = get_json(base + "/api/search/?type=practice&language=en&page_size=1")
        practice_path = "/" + practice["results"][0]["url"].split("/", 3)[3]
        facets = get_json(base + "/api/search/?type=practice&language=en&page_size=1")["facets"]
        theme, country = facets["theme"][0]["value"], facets["country"][0]["value"]
        pages = [
            ("healthz (reference)", "/healthz"),
            ("home page", "/"),
            ("practice list", "/practices/"),
            ("practice list, filtered", f"/practices/?theme={theme}&country={country}"),
            ("practice page", practice_path),
            ("search page", "/search/?q=participatory+budgeting"),
            ("search API", "/api/search/?q=participatory+budgeting"),
        ]
        uncached = [pages[0], pages[2], pages[6]]

        def measure(label, path, cache_state):
            # Warm the page (and the cache) in every worker first (a worker's first request
            # of a page compiles its templates): the figures are of the steady state.
            for _ in range(WARM_UP_REQUESTS):
                urllib.request.urlopen(
                    urllib.request.Request(base + path, headers={"X-Forwarded-Proto": "https"}),
                    timeout=60,
                ).read()
            result = wrk(base + path, args.seconds, args.connections, str(script))
            result.update(page=label, path=path, cache=cache_state)
            results.append(result)
            print(format_row(result, results), flush=True)

        print(header(), flush=True)
        for label, path in pages:
            measure(label, path, "on")
        started.stop(process)
        process, base = serve(page_cache=False)
        for label, path in uncached:
            measure(label, path, "off")
        started.stop(process)
    finally:
        started.stop_all()
        log.close()
        if args.keep_logs:
            print(f"server log: {workdir / 'server.log'}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    write_json(results, args)
    return results


def header():
    return (
        f"{'page':<26} {'cache':<5} {'req/s':>8} {'×healthz':>8} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'non-2xx':>8} {'5xx':>6}"
    )


def format_row(result, results):
    reference = next(
        (r for r in results if r["path"] == "/healthz" and r["cache"] == result["cache"]), None
    )
    ratio = result["rps"] / reference["rps"] if reference and reference["rps"] else 0.0
    return (
        f"{result['page']:<26} {result['cache']:<5} {result['rps']:>8.1f} {ratio:>8.2f} "
        f"{result['p50_ms']:>8.1f} {result['p99_ms']:>8.1f} {result['non2xx']:>8} "
        f"{result['5xx']:>6}"
        + (f"  ({result['socket_errors']} socket errors)" if result["socket_errors"] else "")
    )


def write_json(results, args):
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"load-{stamp}.json"
    path.write_text(
        json.dumps(
            {
                "seconds": args.seconds,
                "connections": args.connections,
                "workers": WORKERS,
                "cpus": os.cpu_count(),
                "results": results,
            },
            indent=2,
        )
    )
    print(f"written to {path.relative_to(ROOT)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("LOAD_SECONDS", 60)))
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument(
        "--database-url", default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--verbose", action="store_true", help="gunicorn's access log")
    parser.add_argument("--keep-logs", action="store_true", help="keep the server log")
    args = parser.parse_args(argv)
    if "load" not in args.database_url.rsplit("/", 1)[-1]:
        parser.error("the database is the bench's own: its name must contain 'load'")
    run(args)


if __name__ == "__main__":
    main()
