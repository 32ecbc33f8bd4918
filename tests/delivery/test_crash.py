"""The crash test: a real `manage.py db_worker` is killed (SIGKILL) in the middle of a send
to 1,000 recipients, then started again. Counting what an SMTP server in this process
received per recipient: everybody gets the message, nobody twice, and the only message that
may be lost or not is the one in flight at the kill, which the ledger marks `uncertain`.

The worker is another process, so the send is committed: on PostgreSQL it uses the test
database itself; SQLite's test database lives in this process's memory, so it is copied to a
file the worker opens."""

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.core.mail import EmailMessage
from django.db import connection

from delivery.models import Delivery
from delivery.pipeline import queue
from tests.conftest import started_smtp_controller

pytestmark = [pytest.mark.crash, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RECIPIENTS = [f"reader{number:04d}@example.org" for number in range(1000)]
KILL_AFTER = 150
TIMEOUT = 180


class CountingMailbox:
    def __init__(self):
        self.received = Counter()
        self.enough = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's API)
        self.received.update(envelope.rcpt_tos)
        if sum(self.received.values()) >= KILL_AFTER:
            self.enough.set()
        return "250 OK"


@pytest.fixture
def counting_smtp():
    mailbox = CountingMailbox()
    controller = started_smtp_controller(Controller, mailbox)
    try:
        yield mailbox, controller.port
    finally:
        controller.stop()


class Ledger:
    """The delivery table as the worker sees it."""

    def __init__(self, tmp_path):
        self.file = None
        if connection.vendor == "sqlite":
            self.file = tmp_path / "worker.sqlite3"
            target = sqlite3.connect(self.file)
            connection.ensure_connection()
            connection.connection.backup(target)
            target.close()
            self.url = f"sqlite:///{self.file}"
        else:
            db = connection.settings_dict
            credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
            self.url = f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{db['NAME']}"

    def statuses(self):
        if self.file is None:
            return dict(Delivery.objects.values_list("recipient", "status"))
        with sqlite3.connect(self.file) as db:
            return dict(db.execute("SELECT recipient, status FROM delivery_delivery"))


def start_worker(ledger, port, log, *extra):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.delivery.worker_settings",
        "DATABASE_URL": ledger.url,
        "EMAIL_PORT": str(port),
    }
    command = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"]
    return subprocess.Popen(
        [*command, "--interval", "0.2", *extra],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def test_a_worker_killed_mid_send_and_restarted_sends_to_everybody_once(
    counting_smtp, settings, tmp_path
):
    mailbox, port = counting_smtp
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send = queue(
        "newsletter",
        (
            EmailMessage("Issue 1", "News\n", "news@example.org", [address])
            for address in RECIPIENTS
        ),
        send_label="crash test",
    )
    assert send.total == 1000
    ledger = Ledger(tmp_path)
    workers = []
    log = open(tmp_path / "worker.log", "w+b")  # noqa: SIM115 (closed in finally)
    try:
        workers.append(start_worker(ledger, port, log))
        # A hang, not a slow start: a worker on a machine running two suites can take a while.
        assert mailbox.enough.wait(TIMEOUT), f"the worker delivered nothing in {TIMEOUT} s"
        os.kill(workers[0].pid, signal.SIGKILL)
        workers[0].wait(10)
        time.sleep(0.2)  # the last replies of the killed connection
        received_at_kill = sum(mailbox.received.values())
        after_kill = Counter(ledger.statuses().values())
        # The kill came mid-send: some were delivered and some were still waiting.
        assert KILL_AFTER <= received_at_kill < 1000
        assert after_kill["queued"] > 0
        assert after_kill["sending"] <= 1

        # --batch: the worker stops by itself once no task is ready.
        workers.append(start_worker(ledger, port, log, "--batch"))
        assert workers[1].wait(TIMEOUT) == 0
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait(10)
        log.seek(0)
        output = log.read().decode(errors="replace")
        log.close()

    statuses = ledger.statuses()
    counts = Counter(statuses.values())
    uncertain = [address for address, status in statuses.items() if status == "uncertain"]
    assert set(statuses) == set(RECIPIENTS), output
    assert counts["sent"] + counts["uncertain"] == 1000, (counts, output)
    assert counts["uncertain"] <= 1
    # Nobody twice; everybody the ledger calls sent exactly once; the uncertain one at most once.
    assert max(mailbox.received.values()) == 1
    for address in RECIPIENTS:
        if statuses[address] == "sent":
            assert mailbox.received[address] == 1, address
        else:
            assert mailbox.received[address] in (0, 1)
    # The ledger's counts are the server's.
    delivered_uncertain = sum(mailbox.received[address] for address in uncertain)
    assert sum(mailbox.received.values()) == counts["sent"] + delivered_uncertain
