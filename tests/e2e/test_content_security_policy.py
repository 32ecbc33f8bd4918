"""The public pages under their Content-Security-Policy in a real browser: the home page, a
practice, the search page and a forum thread load with nothing refused."""

import json
import re

from playwright.sync_api import expect

from forums.factories import ForumFactory, ThreadFactory
from members.factories import OrganisationFactory, UserFactory
from practices.factories import PracticePageFactory
from tests.e2e.conftest import E2E_DB


@E2E_DB
def test_public_pages_load_with_nothing_refused(live_server, site_tree, page):
    organisation = OrganisationFactory(name="Municipality of Tetovo", contact_email="o@t.example")
    practice = PracticePageFactory(
        parent=site_tree["en"].practices,
        title="Participatory budgeting in Tetovo",
        slug="participatory-budgeting-tetovo",
        lead_organisation=organisation,
    )
    forum = ForumFactory(name="Participatory budgeting", slug="participatory-budgeting")
    thread = ThreadFactory(forum=forum, author=UserFactory(), title="Budgets for schools")

    messages = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    headers = []
    page.on(
        "response",
        lambda response: (
            headers.append(response.headers.get("content-security-policy"))
            if response.request.resource_type == "document"
            else None
        ),
    )

    page.goto(f"{live_server.url}/")
    expect(page.locator("main")).to_be_visible()
    page.goto(f"{live_server.url}{practice.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text(practice.title)
    page.goto(f"{live_server.url}/search/?q=budgeting")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search the library")
    # The search page's own stylesheet applies (it was an inline <style> before).
    expect(page.locator(".search-box")).to_have_css("display", "flex")
    # Typing asks the suggestion API from the page's script.
    with page.expect_response(lambda response: "/api/search/suggest/" in response.url) as asked:
        page.locator("#search-q").fill("Partic")
    assert asked.value.status == 200
    page.goto(f"{live_server.url}{thread.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Budgets for schools"))

    assert len(headers) == 4
    assert all(header and "script-src 'self'" in header for header in headers), headers
    assert not any("unsafe-inline" in header for header in headers)
    assert [text for text in messages if "Content Security Policy" in text] == []


@E2E_DB
def test_json_ld_is_data_the_policy_lets_through(live_server, site_tree, page):
    """`<script type="application/ld+json">` is a data block: the browser never runs it, so the
    policy (script-src 'self', no 'unsafe-inline') neither refuses nor reports it, and what a
    crawler reads from the rendered page parses."""
    practice = PracticePageFactory(
        parent=site_tree["en"].practices, title="Participatory budgeting in Tetovo"
    )
    practice.save_revision().publish()
    messages = []
    page.on("console", lambda message: messages.append(message.text))

    page.goto(f"{live_server.url}{practice.url}")

    blocks = page.locator('script[type="application/ld+json"]')
    expect(blocks).to_have_count(1)
    data = json.loads(blocks.text_content())
    assert data["@type"] == "CreativeWork"
    assert data["name"] == "Participatory budgeting in Tetovo"
    assert messages == []
