"""Single-request timings and query counts of every public page, uncached, at the demo's
2,300 practices and at 100,000: `make pages-bench`.

    python bench/pages.py [--repeat 30] [--practices 100000] [--only "home page,theme page"]
                          [--small-url postgres://postgres@127.0.0.1:5432/pc_load]
                          [--large-url postgres://postgres@127.0.0.1:5432/pc_pages_100k]
                          [--large-only]

Each page is requested through Django's test client under the production settings with
the page cache off (PAGE_CACHE_SECONDS=0), one request at a time, `--repeat` times after
three warm-up requests; printed per page and database: p50 and p95 in milliseconds, the CPU
run per request by the bench process and its PostgreSQL backend (median; Linux
/proc/<pid>/schedstat: what the page costs, whatever else the machine is doing) and the
queries of one request, side by side.

The small database is `make load`'s (bench/load.py: the demo library, made when missing).
The large one is a copy of it (CREATE DATABASE ... TEMPLATE) grown to `--practices`
practices by bulk inserts: copies of the English practices (pages, their practice rows,
themes, countries and partners) under the English practice library, then the search index
rebuilt and the counts per country and theme recounted; it is migrated on every run, as the
small one is. Both databases are the bench's own; their names must contain "load" or
"pages"."""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import load  # noqa: E402 (bench/load.py prepares the demo database)

DEFAULT_LARGE_URL = "postgres://postgres@127.0.0.1:5432/pc_pages_100k"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's path alphabet, 4 per level


def psql(url, sql):
    return subprocess.run(
        ["psql", url, "-v", "ON_ERROR_STOP=1", "-tAc", sql],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def practice_count(url):
    return int(psql(url, "SELECT count(*) FROM practices_practicepage"))


def step(number):
    digits = ""
    for _ in range(4):
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return digits


def grow(url, target):
    """Copies of the English practices under the English practice library until the
    database holds `target` practices, in bulk; then the search index rebuilt."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=False) as db:
        parent_id, parent_path, parent_url, numchild, locale_id = db.execute(
            """SELECT p.id, p.path, p.url_path, p.numchild, p.locale_id
               FROM wagtailcore_page p
               JOIN practices_practiceindexpage i ON i.page_ptr_id = p.id
               JOIN wagtailcore_locale l ON l.id = p.locale_id
               WHERE l.language_code = 'en'"""
        ).fetchone()
        sources = [
            row[0]
            for row in db.execute(
                """SELECT p.id FROM wagtailcore_page p
                   JOIN practices_practicepage pp ON pp.page_ptr_id = p.id
                   WHERE p.path LIKE %s AND p.depth = %s AND p.live ORDER BY p.id""",
                (parent_path + "____", len(parent_path) // 4 + 1),
            )
        ]
        needed = target - practice_count(url)
        if needed <= 0:
            return
        print(f"adding {needed:,} practices to {url.rsplit('/', 1)[-1]}", flush=True)
        db.execute(
            "CREATE TEMP TABLE clone_map (key uuid, source int, path text, n int) ON COMMIT DROP"
        )
        with db.cursor().copy("COPY clone_map (key, source, path, n) FROM STDIN") as copy:
            for number in range(needed):
                path = parent_path + step(numchild + number + 1)
                copy.write_row((uuid.uuid4(), sources[number % len(sources)], path, number))
        page_columns = [
            row[0]
            for row in db.execute(
                """SELECT column_name FROM information_schema.columns
                   WHERE table_name = 'wagtailcore_page' AND column_name NOT IN
                   ('id', 'path', 'translation_key', 'slug', 'url_path', 'title', 'draft_title',
                    'latest_revision_id', 'live_revision_id', 'numchild')
                   ORDER BY ordinal_position"""
            )
        ]
        columns = ", ".join(page_columns)
        copied = ", ".join(f"p.{column}" for column in page_columns)
        db.execute(
            f"""INSERT INTO wagtailcore_page ({columns}, path, translation_key, slug, url_path,
                    title, draft_title, numchild)
                SELECT {copied}, m.path, m.key, p.slug || '-copy-' || m.n,
                    %s || p.slug || '-copy-' || m.n || '/',
                    p.title || ' (' || m.n || ')', p.title || ' (' || m.n || ')', 0
                FROM clone_map m JOIN wagtailcore_page p ON p.id = m.source""",
            (parent_url,),
        )
        practice_columns = [
            row[0]
            for row in db.execute(
                """SELECT column_name FROM information_schema.columns
                   WHERE table_name = 'practices_practicepage' AND column_name <> 'page_ptr_id'
                   ORDER BY ordinal_position"""
            )
        ]
        columns = ", ".join(practice_columns)
        copied = ", ".join(f"s.{column}" for column in practice_columns)
        db.execute(
            f"""INSERT INTO practices_practicepage (page_ptr_id, {columns})
                SELECT p.id, {copied} FROM clone_map m
                JOIN wagtailcore_page p ON p.translation_key = m.key AND p.locale_id = %s
                JOIN practices_practicepage s ON s.page_ptr_id = m.source""",
            (locale_id,),
        )
        for table, column in (
            ("practices_practicepage_themes", "theme_id"),
            ("practices_practicepage_countries", "country_id"),
            ("practices_practicepage_partner_organisations", "organisation_id"),
        ):
            db.execute(
                f"""INSERT INTO {table} (practicepage_id, {column})
                    SELECT p.id, t.{column} FROM clone_map m
                    JOIN wagtailcore_page p ON p.translation_key = m.key AND p.locale_id = %s
                    JOIN {table} t ON t.practicepage_id = m.source""",
                (locale_id,),
            )
        db.execute(
            "UPDATE wagtailcore_page SET numchild = numchild + %s WHERE id = %s",
            (needed, parent_id),
        )
        db.commit()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DATABASE_URL": url}
    load.manage(env, "search_index", "rebuild")
    # The counts per country and theme, which the bulk inserts bypassed (practices.tallies).
    load.manage(env, "tally_library")
    psql(url, "VACUUM ANALYZE")


def prepare_large(small_url, large_url, target):
    name = large_url.rsplit("/", 1)[-1]
    server = large_url.rsplit("/", 1)[0] + "/postgres"
    if not psql(server, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
        template = small_url.rsplit("/", 1)[-1]
        psql(server, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DATABASE_URL": large_url}
    load.manage(env, "migrate", "--no-input", "--verbosity", "0")
    if practice_count(large_url) < target:
        grow(large_url, target)


# -- measuring (in a process of its own per database) ---------------------------------------


def cpu_ns(pids):
    """CPU run so far (ns) by the threads `pids` ("self" or a PostgreSQL backend's pid),
    from Linux's /proc/<pid>/schedstat; 0 where it cannot be read."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/schedstat") as handle:
                total += int(handle.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total


def ensure_measured_content(organisation):
    """The demo library has no listed member and no newsletter archive: the bench's own
    databases get one of each (once), so that their pages are measured too. The member
    belongs to `organisation` and has posts in the busiest thread."""
    from django.contrib.auth import get_user_model

    from forums.factories import PostFactory
    from forums.models import Thread
    from home.models import HomePage
    from members.models import Membership, Profile
    from newsletters.models import NewsletterArchivePage

    if not Profile.objects.filter(is_listed=True, user__is_active=True).exists():
        user, _ = get_user_model().objects.get_or_create(
            username="pages-bench-member", defaults={"email": "member@pages-bench.invalid"}
        )
        Profile.objects.update_or_create(
            user=user, defaults={"display_name": "Bench Member", "is_listed": True}
        )
        if organisation is not None:
            Membership.objects.get_or_create(user=user, organisation=organisation)
        thread = Thread.objects.filter(post_count__gt=0).order_by("-post_count").first()
        if thread is not None:
            for _ in range(3):
                PostFactory(thread=thread, author=user)
    if not NewsletterArchivePage.objects.live().filter(locale__language_code="en").exists():
        home = HomePage.objects.get(locale__language_code="en")
        archive = NewsletterArchivePage(title="Newsletter", slug="newsletter")
        home.add_child(instance=archive)
        archive.save_revision().publish()


def measure(url, repeat, only):
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from forums.models import Forum, Thread
    from members.models import Organisation, Profile
    from newsletters.models import NewsletterArchivePage
    from practices.models import GuidePage, PracticePage
    from taxonomy.models import Theme

    setup_test_environment()
    practice = PracticePage.objects.live().filter(locale__language_code="en").last()
    guide = GuidePage.objects.live().filter(locale__language_code="en").first()
    forum = Forum.objects.order_by("-thread_count").first()
    thread = Thread.objects.filter(post_count__gt=0).order_by("-post_count").first()
    theme = Theme.objects.filter(parent__isnull=True).first()
    # The organisation leading the most practices: its page lists the most and has peers.
    organisation = (
        Organisation.objects.annotate(n=Count("lead_practicepages"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .first()
    )
    ensure_measured_content(organisation)
    member = Profile.objects.filter(is_listed=True, user__is_active=True).first()
    archive = NewsletterArchivePage.objects.live().filter(locale__language_code="en").first()
    pages = [
        ("healthz", "/healthz"),
        ("home page", "/"),
        ("practice list", "/practices/"),
        ("practice list, filtered", f"/practices/?theme={theme.slug}&country=US"),
        ("practice page", practice.url),
        ("guide list", "/guides/"),
        ("guide page", guide.url if guide else None),
        ("search page", "/search/?q=participatory+budgeting"),
        ("search API", "/api/search/?q=participatory+budgeting"),
        ("theme page", f"/themes/{theme.slug}/"),
        ("country page", "/countries/US/"),
        ("forum index", "/forums/"),
        ("forum", forum.get_absolute_url() if forum else None),
        ("thread", thread.get_absolute_url() if thread else None),
        ("countries", "/countries/"),
        ("organisation", f"/organisations/{organisation.slug}/" if organisation else None),
        ("member", f"/people/{member.user_id}/" if member else None),
        ("newsletter archive", archive.url if archive else None),
    ]
    if only:
        pages = [(label, path) for label, path in pages if label in only]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pids = ["self", cursor.fetchone()[0]]
    client = Client(headers={"X-Forwarded-Proto": "https"})
    results = {}
    for label, path in pages:
        if path is None:
            continue
        for _ in range(3):
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path}: {response.status_code}")
        timings, cpu = [], []
        for _ in range(repeat):
            started, started_cpu = time.perf_counter(), cpu_ns(pids)
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((cpu_ns(pids) - started_cpu) / 1e6)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        timings.sort()
        cpu.sort()
        results[label] = {
            "path": path,
            "p50_ms": timings[len(timings) // 2],
            "p95_ms": timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))],
            "cpu_ms": cpu[len(cpu) // 2],
            "queries": len(queries),
        }
    json.dump(results, sys.stdout)


def measure_in_subprocess(url, repeat, static_root, only):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "pages-bench-not-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "60",
        "PAGE_CACHE_SECONDS": "0",
        "STATIC_ROOT": static_root,
        "ELASTICSEARCH_URL": "",
        "REDIS_URL": "",
        # One process: its memos of the content (pagecache/memo.py) are as current as a
        # shared cache would keep them.
        "CONTENT_MEMO": "true",
    }
    load.manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    completed = subprocess.run(
        [str(BIN / "python"), __file__, "--measure", url, "--repeat", str(repeat)]
        + (["--only", ",".join(only)] if only else []),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if completed.returncode:
        sys.exit(completed.stderr)
    return json.loads(completed.stdout)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--practices", type=int, default=100_000)
    parser.add_argument("--small-url", default=load.DEFAULT_DATABASE_URL)
    parser.add_argument("--large-url", default=DEFAULT_LARGE_URL)
    parser.add_argument("--only", help="the pages to measure, by label, comma-separated")
    parser.add_argument("--large-only", action="store_true", help="measure the large database only")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    only = [label.strip() for label in re.split(r",(?! )", args.only)] if args.only else []
    if args.measure:
        measure(args.measure, args.repeat, only)
        return
    for url in (args.small_url, args.large_url):
        if not any(word in url.rsplit("/", 1)[-1] for word in ("load", "pages")):
            parser.error(f"{url}: the bench's own database's name contains 'load' or 'pages'")
    load.prepare_database(args.small_url)
    prepare_large(args.small_url, args.large_url, args.practices)
    with tempfile.TemporaryDirectory(prefix="pc-pages-") as static_root:
        large = measure_in_subprocess(args.large_url, args.repeat, static_root, only)
        small = (
            {}
            if args.large_only
            else measure_in_subprocess(args.small_url, args.repeat, static_root, only)
        )
    counts = practice_count(args.small_url), practice_count(args.large_url)
    load_average = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"load average {load_average}; cpu: median CPU ms per request, bench and database")
    print(
        f"{'page':<24} | {counts[0]:>7,} practices: p50    p95    cpu queries"
        f" | {counts[1]:>7,} practices: p50    p95    cpu queries"
    )
    empty = {"p50_ms": 0, "p95_ms": 0, "cpu_ms": 0, "queries": 0}
    for label, other in large.items():
        row = small.get(label, empty)
        print(f"{label:<24} | {cells(row)} | {cells(other)}")


def cells(row):
    return (
        f"{'':>19}{row['p50_ms']:>6.1f} {row['p95_ms']:>6.1f} {row['cpu_ms']:>6.1f}"
        f" {row['queries']:>7}"
    )


if __name__ == "__main__":
    main()
