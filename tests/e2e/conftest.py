"""Browser tests: real Chromium against Django's live server.

They run in a transaction that is flushed afterwards, so they ask for serialized rollback:
the reference data that migrations load (countries, themes, groups) is restored for the
tests that come after them."""

import pytest

E2E_DB = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def page(page):
    """The browser page of every browser test, which fails when the Content-Security-Policy
    refused anything on any page it visited: the site must work under its policy."""
    violations = []
    page.on("console", lambda message: violations.append(message.text))
    yield page
    refused = [text for text in violations if "Content Security Policy" in text]
    assert refused == [], refused


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """Close the database connection the test's own code opened. It lives in the test call's
    context (Django keeps connections in context variables), where pytest-django's teardown
    does not see it; left open, it kept the test database from being dropped at the end of
    the run."""
    yield
    from django.db import connections

    connections.close_all()


def pytest_terminal_summary(terminalreporter):
    """The axe-core counts of the accessibility tests (test_accessibility.py), page by page,
    so that CI's log shows them whether the tests passed or not."""
    lines = []
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get(
        "failed", []
    ):
        if report.when != "call":
            continue
        for name, value in report.user_properties:
            if name != "axe":
                continue
            for page, counts in value["pages"].items():
                figures = ", ".join(f"{impact} {count}" for impact, count in counts.items())
                lines.append(f"axe [{value['language']}] {page}: {figures}")
    if lines:
        terminalreporter.section("axe-core violations per page")
        for line in lines:
            terminalreporter.write_line(line)
