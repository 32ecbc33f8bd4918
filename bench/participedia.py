"""Rows per second of the Participedia import of the real exports (2,258 cases and 847
organisations, ../shared/data/participedia/) into a new, empty site, as `make run`'s demo load
and `make load`'s database build run it.

    python bench/participedia.py [--database-url postgres://postgres@127.0.0.1:5432/pc_import_bench]
    python bench/participedia.py --database-url sqlite:////tmp/pc_import_bench.sqlite3 [--rows 300]

The database (its name must contain `bench`) is dropped, created, migrated and given the
site's page tree, then the import runs once, timed alone. Printed: rows, wall seconds,
rows/s, this process's CPU seconds, the PostgreSQL backend's CPU seconds (read from /proc,
so only for a server on this machine), queries per row and the load average: on a busy
machine CPU seconds and queries per row are the steadier figures."""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "participedia"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pc_import_bench"


def fresh_database(url):
    if "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit(f"{url}: the database name must contain 'bench' (it is overwritten).")
    if url.startswith("sqlite:"):
        Path(url.split("sqlite://", 1)[1]).unlink(missing_ok=True)
        return
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def backend_cpu_seconds(connection):
    """CPU seconds of this connection's PostgreSQL backend so far, or None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--rows", type=int, help="only the first ROWS rows of each file")
    args = parser.parse_args()
    fresh_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from home.structure import ensure_site_structure
    from practices.importers import participedia

    call_command("migrate", verbosity=0, interactive=False)
    ensure_site_structure()
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    files = [DATA / "cases.csv", DATA / "organizations.csv"]
    importer = participedia.ParticipediaImporter()
    exports = importer.read(files)
    for export in exports:
        export.rows = export.rows[: args.rows]
    db_before = backend_cpu_seconds(connection)
    started, cpu_started = time.monotonic(), time.process_time()
    with connection.execute_wrapper(count):
        report = importer.run(exports)
    wall, cpu = time.monotonic() - started, time.process_time() - cpu_started
    db_after = backend_cpu_seconds(connection)
    rows = sum(sum(counts.values()) for counts in report.counts.values())
    db_cpu = f"{db_after - db_before:.1f} s" if db_before is not None else "n/a"
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"{connection.vendor}: {rows} rows in {wall:.1f} s = {rows / wall:.1f} rows/s")
    print(f"  cpu {cpu:.1f} s ({cpu / rows * 1000:.1f} ms/row), database cpu {db_cpu}")
    print(f"  {queries} queries ({queries / rows:.1f}/row), load average {load}")


if __name__ == "__main__":
    main()
