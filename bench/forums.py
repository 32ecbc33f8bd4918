"""Forum benchmark: the forum pages and posting a reply at 1,000 threads × 100 posts.

    python bench/forums.py [--threads 1000] [--posts 100] [--forums 10] [--samples 200]
                           [--replies 200] [--database-url postgres://postgres@127.0.0.1:5432/pc_bench_forums]

The database named by --database-url is the bench's own: it is dropped, created and migrated
on every run (PostgreSQL; a SQLite file is deleted). Its name must contain "bench".

Threads and posts are written in bulk (`bulk_create`, no signals), then every thread's and
forum's counters and last post are set by the receivers' own functions
(`forums.signal_handlers.refresh_thread` / `refresh_forum`) and the threads' search
documents built by the search core's bulk path, so the rows are as the receivers leave them.

Measured through Django's test client, signed in as a trusted member (account 30 days old,
posts that stood; not a moderator, so every anti-spam check runs): a thread's first page, a
late page (the last), the forum index, a forum's thread list, and a reply posted through the
real view, its notifications queued for the task worker as in production (the test settings
would send them within the request). The posting rate limits are raised for the run
(FORUMS_POST_RATE_PER_MEMBER and _PER_ADDRESS = 1000000/h) or the 11th reply would be
refused; everything else is as configured. It prints p50/p95 per page, and the queries each
page runs on the large forum and on a small one side by side (the same count means no query
per item).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pc_bench_forums"
UNLIMITED_RATE = "1000000/h"
QUEUED_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
AUTHORS = 300
PASSWORD = "bench passphrase 2026"

PARAGRAPHS = [
    "We held the budget hearings in the school halls; about forty people came each time.",
    "The council published the **proposals** a month before the vote, in both languages.",
    "Our youth council chose three projects: a skate park, lights on the river path and Wi-Fi.",
    "Ask the *finance department* early: they know which lines of the budget can move.",
    "Participation doubled when we moved the meetings to Saturday mornings.",
    "The mayor signed a memorandum with the [association](https://example.org/association).",
    "- a map of the villages\n- the list of proposals\n- the results of the vote",
    "> The assembly is not a survey: people decide.\n\nThat sentence convinced our council.",
    "Translation into Romani and Turkish cost less than the printing of the posters.",
    "We count every proposal, even those the commission refuses, and say why it refused.",
]


def configure(database_url):
    """Settings for the run, then Django. The posting rate limits are raised: the bench posts
    hundreds of replies as one member from one address."""
    os.environ["FORUMS_POST_RATE_PER_MEMBER"] = UNLIMITED_RATE
    os.environ["FORUMS_POST_RATE_PER_ADDRESS"] = UNLIMITED_RATE
    from bench.search import configure_django

    configure_django(database_url)
    from django.test.utils import override_settings

    # As in production, a reply queues its notifications for the task worker; the test
    # settings would send them within the request.
    override_settings(TASKS=QUEUED_TASKS).enable()


def recreate_database():
    """Drop and create the bench's database, then migrate it and create the cache table."""
    from django.core.management import call_command
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if "bench" not in name:
        raise SystemExit(f"refusing to run on database {name!r}: its name must contain 'bench'")
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.get_connection_params()
        params = {key: value for key, value in params.items() if key != "cursor_factory"}
        params["dbname"] = "postgres"
        connection.close()
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    else:
        connection.close()
        Path(name).unlink(missing_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)


def _rendered_paragraphs():
    from forums.markup import render_markdown

    return [(text, render_markdown(text)) for text in PARAGRAPHS]


def make_members(now, rng):
    """AUTHORS members who wrote the posts, and the bench member: trusted by age and posts."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    password = make_password(PASSWORD)
    authors = User.objects.bulk_create(
        [
            User(
                username=f"member{number}",
                email=f"member{number}@bench.example",
                first_name=f"Member {number}",
                password=password,
                date_joined=now - timedelta(days=rng.randint(30, 900)),
            )
            for number in range(AUTHORS)
        ]
    )
    bench_member = User.objects.create(
        username="bench",
        email="bench@bench.example",
        first_name="Bench",
        password=password,
        date_joined=now - timedelta(days=30),
    )
    return authors, bench_member


def make_forum(forum, threads, posts, authors, bench_member, now, rng, rendered):
    """`threads` threads of `posts` posts each in `forum`, written in bulk, over the last two
    years; the bench member wrote a post in every tenth thread."""
    from forums.models import Post, Thread
    from taxonomy.models import Theme

    themes = list(Theme.objects.values_list("pk", flat=True))
    starts = sorted(
        now - timedelta(minutes=rng.randint(60 * 24 * 2, 60 * 24 * 730)) for _ in range(threads)
    )
    created = Thread.objects.bulk_create(
        [
            Thread(
                forum=forum,
                title=f"{forum.name}: question {number} about budget hearings",
                author=rng.choice(authors),
                language="en",
                created_at=start,
            )
            for number, start in enumerate(starts)
        ],
        batch_size=2000,
    )
    Thread.themes.through.objects.bulk_create(
        [Thread.themes.through(thread=thread, theme_id=rng.choice(themes)) for thread in created],
        batch_size=2000,
    )
    rows = []
    for number, thread in enumerate(created):
        moment = thread.created_at
        for position in range(posts):
            text, html = rendered[(number + position) % len(rendered)]
            if position == 0:
                author = thread.author
            elif position == 1 and number % 10 == 0:
                author = bench_member
            else:
                author = rng.choice(authors)
            rows.append(
                Post(
                    thread=thread,
                    author=author,
                    source=text,
                    body=html,
                    created_at=moment,
                    updated_at=moment,
                )
            )
            # Replies follow within hours, never past the day before the run.
            moment = min(moment + timedelta(minutes=rng.randint(1, 600)), now - timedelta(days=1))
        if len(rows) >= 10_000:
            Post.objects.bulk_create(rows, batch_size=5000)
            rows = []
    Post.objects.bulk_create(rows, batch_size=5000)
    return created


def recount(forums):
    """What the receivers would have left: each thread's and forum's counters and last post
    set by their own functions."""
    from forums import signal_handlers
    from forums.models import Thread

    for thread_id in Thread.objects.values_list("pk", flat=True).iterator():
        signal_handlers.refresh_thread(thread_id)
    for forum in forums:
        signal_handlers.refresh_forum(forum.pk)


def index_threads():
    """The threads' search documents, built as `manage.py search_index rebuild` builds them."""
    from search import indexing

    builder = indexing.builders["thread"]
    for batch in indexing.batched(indexing.build_documents(builder)):
        indexing.save_documents(batch, outbox=False)


def build(threads, posts, forums, seed, say):
    from forums.models import Forum
    from home.structure import ensure_site_structure

    rng = random.Random(seed)
    now = datetime.now(UTC)
    rendered = _rendered_paragraphs()
    ensure_site_structure()
    authors, bench_member = make_members(now, rng)
    big = [
        Forum.objects.create(name=f"Forum {number}", slug=f"forum-{number}", position=number)
        for number in range(forums)
    ]
    per_forum = [threads // forums + (1 if n < threads % forums else 0) for n in range(forums)]
    started = time.perf_counter()
    for forum, count in zip(big, per_forum, strict=True):
        make_forum(forum, count, posts, authors, bench_member, now, rng, rendered)
    say(f"  threads and posts written in {time.perf_counter() - started:.1f} s")
    # The small forum the query counts are compared with: two threads of 25 posts (two pages).
    small = Forum.objects.create(name="Small forum", slug="small", position=forums)
    make_forum(small, 2, 25, authors, bench_member, now, rng, rendered)
    started = time.perf_counter()
    recount([*big, small])
    say(f"  counters and last posts set in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    index_threads()
    say(f"  search documents built in {time.perf_counter() - started:.1f} s")
    return big, small, bench_member


def analyse():
    """Statistics for the planner after the bulk load, as autovacuum would gather them."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def built():
    """The forums, the small forum and the bench member of the last run."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from forums.models import Forum

    # The code may have moved on since the build: its migrations apply to the kept data.
    call_command("migrate", interactive=False, verbosity=0)
    forums = list(Forum.objects.exclude(slug="small").order_by("position"))
    if not forums:
        raise SystemExit("nothing to reuse: run the bench once without --reuse")
    bench_member = get_user_model().objects.get(username="bench")
    return forums, Forum.objects.get(slug="small"), bench_member


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Timings:
    """Wall-clock, CPU run and CPU waited per request, in ms (see `bench.search.CpuClock`:
    this process and its PostgreSQL backend)."""

    def __init__(self, clock):
        self.clock = clock
        self.wall, self.cpu, self.wait = [], [], []

    def __enter__(self):
        self.started = time.perf_counter()
        self.cpu_started = self.clock.read()
        return self

    def __exit__(self, *exc):
        self.wall.append((time.perf_counter() - self.started) * 1000)
        cpu, wait = self.clock.read()
        self.cpu.append(cpu - self.cpu_started[0])
        self.wait.append(wait - self.cpu_started[1])


def timed_get(client, urls, samples, rng, clock):
    times = Timings(clock)
    for _ in range(samples):
        url = rng.choice(urls)
        with times:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url}: {response.status_code}")
    return times


def timed_replies(client, threads, replies, rng, clock):
    from forums.models import Post

    times = Timings(clock)
    # The same message twice within a day is refused: each run's replies are its own.
    run = datetime.now(UTC).isoformat(timespec="seconds")
    for number in range(replies):
        thread = rng.choice(threads)
        url = f"{thread.get_absolute_url()}reply/"
        body = f"Reply {number} of the bench run at {run}: {rng.choice(PARAGRAPHS)}"
        with times:
            response = client.post(url, {"body": body})
        if response.status_code != 302:
            page = response.content.decode()
            raise SystemExit(f"POST {url}: {response.status_code} {page[:2000]}")
    assert (
        Post.objects.filter(source__startswith="Reply ", author__username="bench").count()
        >= replies
    )
    return times


def queries(client, url, method="get", data=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    if response.status_code not in (200, 302):
        raise SystemExit(f"{method.upper()} {url}: {response.status_code}")
    return len(captured)


def measure(big, small, bench_member, samples, replies, seed, say):
    from django.test import Client

    from bench.search import CpuClock
    from forums.models import Thread
    from forums.views import POSTS_PER_PAGE, THREADS_PER_PAGE

    rng = random.Random(seed + 1)
    client = Client()
    client.force_login(bench_member)
    threads = list(Thread.objects.filter(forum__in=big).select_related("forum"))
    small_threads = list(Thread.objects.filter(forum=small).select_related("forum"))
    # The last page of every thread as built (earlier runs' replies may have added one).
    last_page = (min(t.post_count for t in threads) - 1) // POSTS_PER_PAGE + 1
    small_last = (min(t.post_count for t in small_threads) - 1) // POSTS_PER_PAGE + 1
    thread_count = max(forum.threads.count() for forum in big)
    threads_last = (thread_count - 1) // THREADS_PER_PAGE + 1
    pages = {
        "thread, first page": (
            [t.get_absolute_url() for t in threads],
            [t.get_absolute_url() for t in small_threads],
        ),
        f"thread, page {last_page} (last)": (
            [f"{t.get_absolute_url()}?page={last_page}" for t in threads],
            [f"{t.get_absolute_url()}?page={small_last}" for t in small_threads],
        ),
        "forum index": (["/forums/"], ["/forums/"]),
        "forum's threads, page 1": (
            [forum.get_absolute_url() for forum in big],
            [small.get_absolute_url()],
        ),
        f"forum's threads, page {threads_last} (last)": (
            [f"{forum.get_absolute_url()}?page={threads_last}" for forum in big],
            [f"{small.get_absolute_url()}?page=1"],
        ),
    }
    # Warm-up: caches that fill on first use (site root paths, settings, templates).
    for urls, small_urls in pages.values():
        for url in urls[:3] + small_urls[:1]:
            client.get(url)

    clock = CpuClock()
    results = []
    for name, (urls, small_urls) in pages.items():
        times = timed_get(client, urls, samples, rng, clock)
        results.append((name, times, queries(client, urls[0]), queries(client, small_urls[0])))
        say(f"  {name}: done")
    times = timed_replies(client, threads, replies, rng, clock)
    # Counted on the second reply to each thread: the first makes the member a watcher.
    run = datetime.now(UTC).isoformat(timespec="seconds")
    for thread in (threads[1], small_threads[1]):
        body = f"Watching {thread.pk} {run}."
        if client.post(f"{thread.get_absolute_url()}reply/", {"body": body}).status_code != 302:
            raise SystemExit(f"the reply to thread {thread.pk} was refused")
    big_queries = queries(
        client, f"{threads[1].get_absolute_url()}reply/", "post", {"body": f"Counting {run}."}
    )
    small_queries = queries(
        client, f"{small_threads[1].get_absolute_url()}reply/", "post", {"body": f"Also {run}."}
    )
    results.append(("reply (POST, redirect)", times, big_queries, small_queries))
    return results


def report(results, threads, posts, forums, small_label):
    from django.db import connection

    from forums.models import Post

    width = max(len(name) for name, *_ in results) + 2
    lines = [
        f"database:     {connection.vendor} {connection.settings_dict['NAME']}",
        f"size:         {threads:,} threads × {posts} posts in {forums} forums, "
        f"{Post.objects.count():,} posts now; small forum: {small_label}",
        "",
        f"{'page':<{width}}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
        f"{'cpu p50':>9}{'cpu p95':>9}{'wait p50':>10}{'queries':>9}{'small':>7}",
    ]
    for name, times, big_queries, small_queries in results:
        lines.append(
            f"{name:<{width}}{len(times.wall):>5}{statistics.median(times.wall):>9.1f}"
            f"{percentile(times.wall, 0.95):>9.1f}{max(times.wall):>9.1f}"
            f"{statistics.median(times.cpu):>9.1f}{percentile(times.cpu, 0.95):>9.1f}"
            f"{statistics.median(times.wait):>10.1f}{big_queries:>9}{small_queries:>7}"
        )
    lines += [
        "",
        "ms: wall-clock per request; cpu: CPU run by this process and its PostgreSQL backend;",
        "wait: time both waited for a CPU others held; queries: on the large forum, and on",
        "the small one (the same count: no query per item)",
    ]
    load = os.getloadavg()
    lines += [
        "",
        f"machine load: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} (1, 5, 15-minute averages, "
        f"{os.cpu_count()} CPUs)",
    ]
    print("\n".join(lines))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=1_000)
    parser.add_argument("--posts", type=int, default=100, help="posts per thread")
    parser.add_argument("--forums", type=int, default=10)
    parser.add_argument("--samples", type=int, default=200, help="requests per page")
    parser.add_argument("--replies", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure what the last run built (its replies included), build nothing",
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_FORUMS_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    args = parser.parse_args(argv)

    def say(message):
        sys.stderr.write(message + "\n")
        sys.stderr.flush()

    configure(args.database_url)
    say(f"load before: {os.getloadavg()[0]:.1f}")
    if args.reuse:
        big, small, bench_member = built()
        args.threads = sum(forum.thread_count for forum in big)
        args.forums = len(big)
    else:
        say("recreating the database...")
        recreate_database()
        say(f"writing {args.threads:,} threads × {args.posts} posts...")
        big, small, bench_member = build(args.threads, args.posts, args.forums, args.seed, say)
        analyse()
    say("measuring...")
    results = measure(big, small, bench_member, args.samples, args.replies, args.seed, say)
    report(results, args.threads, args.posts, args.forums, "2 threads × 25 posts")


if __name__ == "__main__":
    main()
