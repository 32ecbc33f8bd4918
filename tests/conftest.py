import contextlib
import errno
import os
import shutil
import socket

import pytest
from django.conf import settings

from tests.requirements import skip_unless_available

CHROMIUM = "/usr/bin/chromium"
# How long a browser test waits for a page, an action or an expected state.
PAGE_TIMEOUT_MS = 15_000
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the page tree once for the whole run: each test's transaction is rolled back
    to it, instead of every test publishing 21 pages of its own."""
    from django.db import connection

    from home.structure import ensure_site_structure

    with django_db_blocker.unblock():
        ensure_site_structure()
        # Tests that commit (browser tests) flush the database and restore the snapshot
        # Django took after migrating; retake it so that it holds the page tree too.
        if hasattr(connection, "_test_serialized_contents"):
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture
def site_tree(db):
    """The locales and the home/practices/guides pages of every locale. Already there for
    most tests; browser tests, whose database is flushed, get it rebuilt here."""
    from home.structure import ensure_site_structure

    return ensure_site_structure()


@pytest.fixture(autouse=True)
def fresh_rate_limits(request):
    """Rate limits count in a database table (the "ratelimit" cache). A test that commits
    leaves its counts there, which would limit the tests after it: they are cleared."""
    yield
    marker = request.node.get_closest_marker("django_db")
    committed = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if committed:
        from django.core.cache import caches

        with request.getfixturevalue("django_db_blocker").unblock():
            caches["ratelimit"].clear()


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def closed_port():
    """A loopback port that refuses connections for the whole test: bound but not listening,
    so that no other process (CI runs two suites side by side) can start listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def started_smtp_controller(controller_class, handler):
    """An aiosmtpd controller serving `handler` on a free loopback port. Another process (CI
    runs two suites side by side) may take the port between its choice and the bind: then
    another is chosen. The server's thread gets 30 s to start rather than aiosmtpd's 5, which
    a loaded machine can exceed."""
    attempts = 5
    for attempt in range(1, attempts + 1):
        controller = controller_class(
            handler, hostname="127.0.0.1", port=_free_port(), ready_timeout=30
        )
        try:
            controller.start()
        except OSError as error:
            if error.errno != errno.EADDRINUSE or attempt == attempts:
                raise
        else:
            return controller


class SMTPMailbox:
    """Messages received by a real SMTP server on loopback."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's API)
        from email import message_from_bytes
        from email.policy import default

        self.messages.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "message": message_from_bytes(envelope.content, policy=default),
            }
        )
        return "250 Message accepted for delivery"


@contextlib.contextmanager
def running_smtp_server(settings, mailbox):
    """`mailbox` served by aiosmtpd on a free loopback port while the block runs. Mail sent
    with Django's mail API goes into the delivery ledger, and the worker's SMTP backend is
    pointed at this server."""
    try:
        from aiosmtpd.controller import Controller
    except ImportError:  # pragma: no cover - aiosmtpd is a dev dependency
        Controller = None
    skip_unless_available("smtp", Controller is not None, "aiosmtpd is not installed")
    controller = started_smtp_controller(Controller, mailbox)
    port = controller.port
    # Django's test set-up swaps EMAIL_BACKEND for its in-memory outbox: put the ledger back,
    # and point the worker's SMTP backend at this server.
    settings.EMAIL_BACKEND = "delivery.backends.LedgerBackend"
    settings.DELIVERY_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback that accepts everything (see `running_smtp_server`)."""
    with running_smtp_server(settings, SMTPMailbox()) as mailbox:
        yield mailbox


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a change's commit callbacks, as committing it does."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def content_memo(settings):
    """The per-process memos of the content on (`pagecache.memo`), as production has them,
    with the page cache off and nothing remembered from another test."""
    from pagecache import memo

    settings.PAGE_CACHE_SECONDS = 0
    settings.CONTENT_MEMO = True
    memo.forget()
    yield
    memo.forget()


@pytest.fixture
def committing_client(client, django_capture_on_commit_callbacks):
    """The test client, whose requests run what their transaction leaves to its commit (the
    delivery pipeline's sending task), as the commit of a real request would."""
    for method in ("get", "post"):
        send = getattr(client, method)

        def send_and_commit(*args, _send=send, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return _send(*args, **kwargs)

        setattr(client, method, send_and_commit)
    return client


@pytest.fixture
def browser():
    """Debian's Chromium driven by Playwright.

    One per test: while Playwright's sync API is running, code runs in its event loop's
    context, where Django sees other connection objects than the test database setup made.
    Stopping it after each test lets the next test restore the serialized reference data."""
    available = shutil.which("chromium") is not None or shutil.which(CHROMIUM) is not None
    skip_unless_available("chromium", available, f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import expect, sync_playwright

    # expect() waits 5 s by default, the page's actions 15 s (below): a machine running two
    # suites side by side renders an admin page in more than 5 s. Both are bounds on a wait,
    # not measures of speed.
    expect.set_options(timeout=PAGE_TIMEOUT_MS)

    # Playwright's sync API keeps an event loop in the test thread; the ORM calls the tests
    # make around it are ordinary synchronous calls.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        yield page
    finally:
        context.close()


def pytest_collection_modifyitems(config, items):
    # Browser tests flush the database after themselves; running them last keeps every other
    # test on fast, rolled-back transactions.
    items.sort(key=lambda item: "e2e" in item.path.parts)


def pytest_report_header(config):
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"database: {database}"
