"""Digest benchmark: 10,000 confirmed subscribers with varied saved searches over a library of
the demo's size, their weekly digests built (`newsletters.digests.DigestRun`) and handed to a
local SMTP server by the delivery pipeline's sender (`delivery.sending.deliver_due`).

    python bench/newsletters.py [--subscribers 10000] [--documents 3105] [--new 300]
                                [--database-url postgres://postgres@127.0.0.1:5432/pc_bench_news]

Prints, for each phase (building and queueing the digests; sending them over SMTP to an
aiosmtpd server on loopback, in a process of its own), the wall-clock time, the CPU of this
process and of its PostgreSQL backend, the time both waited for a CPU and the rate; the
total against the 60 s target; the distinct searches run, emails rendered and MIME
renderings made; the peak memory (max RSS) and the machine's load.

The database named by --database-url is the bench's own: it is created and migrated when
missing, and its search documents, subscribers and delivery ledger are replaced. Its name
must contain "bench".
"""

import argparse
import os
import random
import resource
import socket
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pc_bench_news"
TARGET_SECONDS = 60
WORDS = ["budget", "climate", "youth", "water", "assembly", "housing", "women", "digital"]
COUNTRIES = ["GE", "MK", "RO", "PL", "TR", "JO", "IQ", "BA", "US", "GB", "BR", "IN", "FR"]
LANGUAGES = ["en", "ar", "mk", "ro", "pl", "ka", "tr"]


class Counter:
    """An SMTP handler that counts what it is handed."""

    def __init__(self):
        self.messages = 0
        self.recipients = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's API)
        self.messages += 1
        self.recipients += len(envelope.rcpt_tos)
        return "250 OK"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_smtp(port, pipe):
    """The SMTP server, in a process of its own (as a real one would be): its CPU is not the
    sender's. Answers "stop" with (messages, recipients, its CPU seconds)."""
    from aiosmtpd.controller import Controller

    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    pipe.send("ready")
    pipe.recv()
    controller.stop()
    times = os.times()
    pipe.send((counter.messages, counter.recipients, times.user + times.system))


class SmtpServer:
    def __init__(self):
        import multiprocessing

        self.port = _free_port()
        context = multiprocessing.get_context("spawn")
        self.pipe, child = context.Pipe()
        self.process = context.Process(target=serve_smtp, args=(self.port, child), daemon=True)

    def __enter__(self):
        self.process.start()
        if self.pipe.recv() != "ready":
            raise RuntimeError("the SMTP server did not start")
        return self

    def stop(self):
        """(messages, recipients, CPU seconds) the server handled."""
        self.pipe.send("stop")
        result = self.pipe.recv()
        self.process.join(10)
        return result

    def __exit__(self, *exc):
        if self.process.is_alive():
            self.process.kill()
            self.process.join(10)


def build_library(documents, new, now, seed):
    """`documents` generated items indexed through the search core's bulk path; `new` of the
    practices and guides published in the last week, the rest years ago."""
    from bench.corpus import generate
    from bench.search import clear_documents, index_items

    rng = random.Random(seed)
    items = list(generate(documents, seed=seed))
    publishable = [item for item in items if item.object_type in ("practice", "guide")]
    for item in rng.sample(publishable, min(new, len(publishable))):
        item.published_at = now - timedelta(minutes=rng.randint(1, 7 * 24 * 60 - 1))
    clear_documents()
    index_items(items)


def make_subscribers(count, now, seed):
    """`count` confirmed subscribers, in the seven languages, with one to three saved
    searches each: themes, countries, types, languages and words drawn at random (a share of
    them popular topics many people follow, the rest varied)."""
    from delivery.models import Delivery, Send
    from newsletters.models import SUBSCRIBABLE_TYPES, Subscriber, Subscription
    from taxonomy.models import Theme

    Delivery.objects.all().delete()
    Send.objects.all().delete()
    Subscriber.objects.all().delete()
    rng = random.Random(seed)
    themes = list(Theme.objects.values_list("slug", flat=True))
    last_week = now - timedelta(days=7)
    subscribers = Subscriber.objects.bulk_create(
        [
            Subscriber(
                email=f"reader{number}@bench.example",
                language=rng.choice(LANGUAGES),
                status=Subscriber.Status.CONFIRMED,
                confirmed_at=last_week,
            )
            for number in range(count)
        ],
        batch_size=2000,
    )
    subscriptions = []
    for subscriber in subscribers:
        for _ in range(rng.choice((1, 1, 2, 3))):
            popular = rng.random() < 0.5
            subscriptions.append(
                Subscription(
                    subscriber=subscriber,
                    themes=rng.sample(themes, 1 if popular else rng.randint(1, 2)),
                    countries=[] if popular else rng.sample(COUNTRIES, rng.randint(0, 2)),
                    types=[] if popular else rng.sample(SUBSCRIBABLE_TYPES, rng.randint(0, 2)),
                    languages=[] if rng.random() < 0.8 else [rng.choice(LANGUAGES)],
                    words="" if rng.random() < 0.9 else rng.choice(WORDS),
                    frequency=Subscription.Frequency.WEEKLY,
                    confirmed_at=last_week,
                    last_digest_at=last_week,
                )
            )
    Subscription.objects.bulk_create(subscriptions, batch_size=2000)
    return len(subscriptions)


class Phase:
    """Wall-clock time, this process's CPU, its PostgreSQL backend's CPU and the time both
    waited for a CPU other processes held (`bench.search.CpuClock`)."""

    def __init__(self, clock):
        self.clock = clock

    def __enter__(self):
        self.wall = time.perf_counter()
        self.cpu = time.process_time()
        self.both, self.waited = self.clock.read()
        return self

    def __exit__(self, *exc):
        both, waited = self.clock.read()
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu
        # CpuClock reads the main thread and the backend; the bench has no other thread.
        self.database_cpu = max((both - self.both) / 1000 - self.cpu, 0.0)
        self.waited = (waited - self.waited) / 1000


def run(subscribers, documents, new, seed=2026, log=sys.stderr):
    from django.conf import settings
    from django.db import connection

    from bench.search import CpuClock
    from delivery import sending
    from newsletters.digests import DigestRun
    from newsletters.emails import _skeleton

    def say(message):
        log.write(message + "\n")
        log.flush()

    now = datetime.now(UTC)
    say(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    say(f"building a library of {documents:,} documents ({new} new this week)...")
    build_library(documents, new, now, seed)
    say(f"making {subscribers:,} subscribers...")
    saved = make_subscribers(subscribers, now, seed)
    say(f"  {saved:,} saved searches")

    clock = CpuClock()
    load_before = os.getloadavg()
    with SmtpServer() as server:
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        say("building the digests...")
        skeletons = _skeleton.cache_info().misses
        with Phase(clock) as build:
            digest_run = DigestRun("weekly", now=datetime.now(UTC))
            send = digest_run.send()
        skeletons = _skeleton.cache_info().misses - skeletons
        say("sending them...")
        with Phase(clock) as delivery:
            result = sending.deliver_due()
        messages, _recipients, server_cpu = server.stop()
    load_after = os.getloadavg()

    total = build.wall + delivery.wall
    total_cpu = build.cpu + delivery.cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    runner = digest_run.runner

    def row(name, phase, count):
        rate = count / phase.wall if phase.wall else 0
        return (
            f"{name:<22}{phase.wall:>8.1f}{phase.cpu:>10.1f}{phase.database_cpu:>12.1f}"
            f"{phase.waited:>10.1f}{count:>9,}{rate:>10,.0f}"
        )

    lines = [
        f"subscribers:         {digest_run.subscribers:,} ({saved:,} saved searches), "
        f"{digest_run.emails:,} with something new",
        f"searches:            {runner.searches:,} run of {len(runner.results):,} distinct "
        "(the rest skipped: nothing new could match)",
        f"emails rendered:     {len(digest_run.rendered):,} distinct, from {skeletons:,} MIME "
        "renderings (one per language and subject)",
        f"ledger:              sent {result.sent:,}, failed {result.failed}, "
        f"skipped {result.skipped}, uncertain {result.uncertain}; "
        f"the SMTP server received {messages:,}",
        "",
        f"{'phase':<22}{'wall s':>8}{'CPU s':>10}{'its PG CPU':>12}{'waited':>10}"
        f"{'emails':>9}{'per s':>10}",
        row("build and queue", build, digest_run.emails),
        row("hand to SMTP", delivery, messages),
        f"{'total':<22}{total:>8.1f}{total_cpu:>10.1f}"
        f"{build.database_cpu + delivery.database_cpu:>12.1f}"
        f"{build.waited + delivery.waited:>10.1f}{digest_run.emails:>9,}"
        f"{digest_run.emails / total if total else 0:>10,.0f}",
        f"(CPU s: this process; its PG CPU: its PostgreSQL backend; waited: both waiting for "
        f"a CPU other processes held. The SMTP server, a process of its own: "
        f"{server_cpu:.1f} s of CPU)",
        "",
        f"{'target':<38}{'value':>12}{'goal':>10}   result",
        f"{'all 10,000 built and handed to SMTP':<38}{total:>10.1f} s{TARGET_SECONDS:>8} s   "
        + ("met" if total <= TARGET_SECONDS else "NOT met"),
        f"{'  the same counted in CPU (bench + PG)':<38}"
        f"{total_cpu + build.database_cpu + delivery.database_cpu:>10.1f} s"
        f"{TARGET_SECONDS:>8} s   "
        + (
            "met"
            if total_cpu + build.database_cpu + delivery.database_cpu <= TARGET_SECONDS
            else "NOT met"
        ),
        f"peak memory:         {peak_mb:,.0f} MB (max RSS)",
        f"machine:             {os.cpu_count()} CPUs, load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after (1 minute)",
        f"send:                {send.pk if send else '-'}",
    ]
    print("\n".join(lines))
    return {
        "subscribers": digest_run.subscribers,
        "total_seconds": total,
        "emails": digest_run.emails,
        "delivered": messages,
        "sent": result.sent,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--documents", type=int, default=3_105)
    parser.add_argument("--new", type=int, default=300, help="items published this week")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    args = parser.parse_args(argv)

    from bench.search import configure_django, ensure_database

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    configure_django(args.database_url)
    from django.test.utils import override_settings

    ensure_database()
    # The sender runs in this process, timed: queued deliveries wait for it, not for a task.
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ):
        run(args.subscribers, args.documents, args.new, seed=args.seed)


if __name__ == "__main__":
    main()
