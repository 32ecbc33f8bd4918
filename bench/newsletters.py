"""Digest benchmark: 10,000 confirmed subscribers with varied saved searches over a library of
the demo's size, their weekly digests built (`newsletters.digests.DigestRun`) and handed to a
local SMTP server by the delivery pipeline's sender (`delivery.sending.deliver_due`).

    python bench/newsletters.py [--subscribers 10000] [--documents 3105] [--new 300]
                                [--database-url postgres://postgres@127.0.0.1:5432/pc_bench_news]

Prints the time and rate of each phase (building and queueing the digests; sending them over
SMTP to an aiosmtpd server on loopback), the total against the 60 s target, the distinct
searches run and emails rendered, and the process's peak memory (max RSS).

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


def run(subscribers, documents, new, seed=2026, log=sys.stderr):
    from aiosmtpd.controller import Controller
    from django.conf import settings
    from django.db import connection

    from delivery import sending
    from newsletters.digests import DigestRun

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

    counter = Counter()
    port = _free_port()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    try:
        started, cpu_started = time.perf_counter(), time.process_time()
        digest_run = DigestRun("weekly", now=datetime.now(UTC))
        send = digest_run.send()
        built, cpu_built = time.perf_counter(), time.process_time()
        result = sending.deliver_due()
        finished, cpu_finished = time.perf_counter(), time.process_time()
    finally:
        controller.stop()

    build_seconds = built - started
    send_seconds = finished - built
    total = finished - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        f"subscribers:         {digest_run.subscribers:,} ({saved:,} saved searches)",
        f"distinct searches:   {digest_run.runner.searches:,} run "
        f"({len(digest_run.runner.results):,} distinct, the rest skipped: nothing new "
        "could match)",
        f"emails rendered:     {len(digest_run.rendered):,} distinct bodies",
        f"digests queued:      {digest_run.emails:,} in {build_seconds:.1f} s "
        f"({digest_run.emails / build_seconds:,.0f}/s; this process's CPU "
        f"{cpu_built - cpu_started:.1f} s)",
        f"handed to SMTP:      {counter.messages:,} in {send_seconds:.1f} s "
        f"({counter.messages / send_seconds if send_seconds else 0:,.0f}/s; this process's CPU "
        f"{cpu_finished - cpu_built:.1f} s, the SMTP server's included); "
        f"ledger: sent {result.sent:,}, failed {result.failed}, skipped {result.skipped}",
        f"machine load:        {os.getloadavg()[0]:.1f} (1-minute average, {os.cpu_count()} CPUs)",
        f"total:               {total:.1f} s for {digest_run.subscribers:,} subscribers "
        f"({digest_run.subscribers / total:,.0f}/s); target {TARGET_SECONDS} s: "
        + ("met" if total <= TARGET_SECONDS else "NOT met"),
        f"peak memory:         {peak_mb:,.0f} MB (max RSS)",
        f"send:                {send.pk if send else '-'}",
    ]
    print("\n".join(lines))
    return {
        "subscribers": digest_run.subscribers,
        "total_seconds": total,
        "emails": digest_run.emails,
        "delivered": counter.messages,
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
