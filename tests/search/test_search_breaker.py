"""Search that never holds the site hostage: an engine that accepts connections and never
answers (a real TCP server on loopback, `StallingServer`) costs a practice page no more than
its time budget, opens the circuit breaker after N failures (the database then answers at
once, without asking the engine) and the breaker closes when the engine answers again. The
whole outage is two log lines, no traceback."""

import logging
import time

import pytest
from django.urls import reverse

from search.backends import get_search_backend
from search.backends.breaker import CircuitBreaker
from tests.search.backend_settings import DATABASE, elasticsearch_at
from tests.search.es_canned.server import CannedElasticsearch, canned
from tests.search.stalling import StallingServer

ALIAS = "practice-commons-items"


@pytest.fixture
def stalled():
    server = StallingServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def log(caplog):
    """Every record of the "search" logger (INFO and up; it does not propagate) and every
    WARNING and up of any other logger."""
    caplog.set_level(logging.WARNING)
    caplog.set_level(logging.INFO, logger="search")
    logger = logging.getLogger("search")
    logger.addHandler(caplog.handler)
    try:
        yield caplog
    finally:
        logger.removeHandler(caplog.handler)


def timed(call):
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def assert_no_traceback(records):
    assert [record for record in records if record.exc_info] == []


# -- the breaker on its own, with a clock the test moves ---------------------------------


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_breaker_opens_after_n_failures_lets_one_probe_through_and_closes_on_success(log):
    clock = Clock()
    breaker = CircuitBreaker("engine", failures=3, cool_off=30, clock=clock)

    for _ in range(2):
        assert breaker.allow()
        breaker.failed("ConnectionTimeout")
    assert not breaker.is_open
    assert breaker.allow()
    breaker.succeeded()  # an answer resets the count: failures must be in a row
    for _ in range(3):
        assert breaker.allow()
        breaker.failed("ConnectionTimeout")
    assert breaker.is_open
    assert not breaker.allow()

    clock.now += 29.9
    assert not breaker.allow()
    clock.now += 0.2
    assert breaker.allow()  # the probe
    assert not breaker.allow()  # only one at a time
    breaker.failed("ConnectionTimeout")  # still down: another cool-off, no new log line
    assert breaker.is_open and not breaker.allow()

    clock.now += 30.1
    assert breaker.allow()
    breaker.succeeded()
    assert not breaker.is_open
    assert breaker.allow() and breaker.allow()

    messages = [record.getMessage() for record in log.records]
    assert messages == [
        "search: engine failed 3 times in a row (last: ConnectionTimeout); the circuit breaker "
        "opened: the database answers, engine is tried again every 30 s",
        "search: engine answers again; the circuit breaker closed",
    ]


def test_a_search_let_through_before_the_breaker_opened_does_not_extend_the_cool_off():
    clock = Clock()
    breaker = CircuitBreaker("engine", failures=1, cool_off=5, clock=clock)
    assert breaker.allow() and breaker.allow()  # two searches in flight
    breaker.failed("ConnectionTimeout")  # the first opens the breaker
    clock.now += 4
    breaker.failed("ConnectionTimeout")  # the second ends later, still before the cool-off
    clock.now += 1.5
    assert breaker.allow()


def test_a_probe_that_fails_with_a_bug_gives_the_probe_back():
    clock = Clock()
    breaker = CircuitBreaker("engine", failures=1, cool_off=5, clock=clock)
    breaker.failed("ConnectionError")
    clock.now += 6
    assert breaker.allow()
    breaker.release()
    assert breaker.allow()


# -- a stalled engine behind the site ------------------------------------------------------


# The stalled engine's timeout in the page budget test: what the page must not wait for.
ENGINE_TIMEOUT = 60


@pytest.mark.django_db
def test_a_practice_page_renders_within_its_budget_then_from_the_database(
    client, publish, settings, stalled, log
):
    settings.SEARCH_BACKEND = DATABASE
    base = publish("en", title="Budget lessons", themes=["participatory-budgeting"])
    publish("en", title="Budget in Batumi", themes=["participatory-budgeting"])
    settings.SEARCH_PAGE_BUDGET = 0.3
    settings.SEARCH_BACKEND = elasticsearch_at(
        stalled.url, timeout=ENGINE_TIMEOUT, failures=3, cool_off=60
    )

    for attempt in range(1, 4):
        response, elapsed = timed(lambda: client.get(base.url))
        assert response.status_code == 200
        # The engine was asked and gave nothing in 0.3 s: no related items, and the page
        # did not wait for the engine's own timeout (a minute, which no rendering of a page
        # takes, however busy the machine).
        assert stalled.accepted == attempt
        assert elapsed < ENGINE_TIMEOUT, elapsed
        assert "Budget in Batumi" not in response.content.decode()

    # Three failures in a row: the breaker is open, the database gives the related items
    # and the engine is not asked.
    response, elapsed = timed(lambda: client.get(base.url))
    assert response.status_code == 200
    assert "Budget in Batumi" in response.content.decode()
    assert stalled.accepted == 3

    assert [record.getMessage().split(";")[0] for record in log.records] == [
        "search: elasticsearch failed 3 times in a row (last: ConnectionTimeout)"
    ]
    assert_no_traceback(log.records)


@pytest.mark.django_db
def test_the_breaker_opens_after_n_timeouts_and_closes_when_the_engine_answers(
    client, publish, settings, stalled, log
):
    settings.SEARCH_BACKEND = DATABASE
    publish("en", title="Budget lessons", themes=["participatory-budgeting"])
    settings.SEARCH_BACKEND = elasticsearch_at(stalled.url, timeout=0.5, failures=3, cool_off=30)
    # The breaker's cool-off runs on a clock the test moves, so that a slow machine cannot
    # end it early.
    clock = Clock()
    get_search_backend().breaker.clock = clock
    api = reverse("search_api") + "?q=budget"

    # Closed: each search waits for the engine's timeout, then the database answers.
    for attempt in range(1, 4):
        response, elapsed = timed(lambda: client.get(api))
        data = response.json()
        assert response.status_code == 200
        assert data["backend"] == "database"
        assert data["fallback_reason"] == "elasticsearch unavailable: ConnectionTimeout"
        assert [result["title"] for result in data["results"]] == ["Budget lessons"]
        assert elapsed >= 0.5
        assert stalled.accepted == attempt

    # Open: the database answers without the engine being asked, and the page says so.
    page = client.get(reverse("search") + "?q=budget")
    assert page.status_code == 200
    assert "these results come from the database search" in page.content.decode()
    assert client.get(api).json()["fallback_reason"] == (
        "elasticsearch unavailable: ConnectionTimeout"
    )
    suggestions = client.get(reverse("search_suggest") + "?q=budg").json()["suggestions"]
    assert suggestions == ["Budget lessons"]
    assert stalled.accepted == 3
    assert len(log.records) == 1
    assert "the circuit breaker opened" in log.records[0].getMessage()

    # The engine answers again at the same address (relayed to a server answering as
    # Elasticsearch 9): after the cool-off, one search probes it and the breaker closes.
    engine = CannedElasticsearch().start()
    try:
        engine.respond("POST", f"/{ALIAS}/_search", canned("search_faceted"))
        stalled.answer_from(engine.url)
        assert client.get(api).json()["backend"] == "database"  # still cooling off
        clock.now += 30
        for _ in range(2):
            data = client.get(api).json()
            assert data["backend"] == "elasticsearch"
            assert "fallback_reason" not in data
        assert len(engine.matching("POST", f"/{ALIAS}/_search")) == 2
    finally:
        engine.stop()

    assert [record.getMessage() for record in log.records][1:] == [
        "search: elasticsearch answers again; the circuit breaker closed"
    ]
    assert_no_traceback(log.records)
