"""Issue 14, "Accessibility checked": axe-core in Chromium on the home page, a listing, a
practice, a guide, the search page, a forum thread and the sign-in form, in English and Arabic,
with no serious or critical violation; and keyboard-only journeys through the search and a
practice's contact form.

axe-core is vendored for these tests only (tests/e2e/vendor/, MPL-2.0). Playwright's
`add_script_tag(path=...)` would inline it, which the site's Content-Security-Policy
(script-src 'self') refuses; so the browser asks the site's own origin for it and
`page.route` answers with the vendored file: the pages are checked under their real policy
(no `bypass_csp`), and nothing is fetched from elsewhere."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from forums.factories import ForumFactory, PostFactory, ThreadFactory
from members.factories import OrganisationFactory, UserFactory
from practices.factories import GuidePageFactory, PracticePageFactory
from tests.e2e.conftest import E2E_DB

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_PATH = "/__tests__/axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}
PASSWORD = "correct horse battery staple"

STEPS = json.dumps(
    [
        {"type": "step", "value": {"title": "Invite residents", "body": "<p>Send letters.</p>"}},
        {"type": "step", "value": {"title": "Vote", "body": "<p>Count the votes.</p>"}},
    ]
)


def publish(page):
    page.save_revision().publish()
    return page


def library(site_tree, language):
    """A practice with a contact form, a guide and a forum thread in `language`."""
    organisation = OrganisationFactory(
        name=f"Municipality of Tetovo ({language})", contact_email="info@tetovo.example"
    )
    arabic = language == "ar"
    practice = publish(
        PracticePageFactory(
            parent=site_tree[language].practices,
            title="الموازنة التشاركية في تيتوفو" if arabic else "Participatory budgeting in Tetovo",
            summary="اختار السكان كيفية إنفاق جزء من الميزانية."
            if arabic
            else "Residents chose how to spend a share of the budget.",
            countries=["MK"],
            themes=["participatory-budgeting"],
            lead_organisation=organisation,
        )
    )
    guide = publish(
        GuidePageFactory(
            parent=site_tree[language].guides,
            title="كيف تنظم جمعية للموازنة" if arabic else "How to run a budget assembly",
            countries=["MK"],
            themes=["participatory-budgeting"],
            steps=STEPS,
        )
    )
    author = UserFactory(username=f"amina-{language}", first_name="Amina", last_name="Haddad")
    thread = ThreadFactory(
        forum=ForumFactory(name="Participatory budgeting", slug="participatory-budgeting"),
        title="ميزانيات المدارس" if arabic else "Budgets for schools",
        language=language,
        author=author,
    )
    PostFactory(thread=thread)
    return practice, guide, thread


def serve_axe(page, base_url):
    page.route(
        f"{base_url}{AXE_PATH}",
        lambda route: route.fulfill(
            status=200, content_type="text/javascript", body=AXE.read_text(encoding="utf-8")
        ),
    )


def axe_violations(page, base_url):
    """axe-core's violations of the open page: [{id, impact, help, nodes}]. Fails unless axe
    ran its rules (an empty list must not come from a check that did not happen)."""
    page.add_script_tag(url=f"{base_url}{AXE_PATH}")
    results = page.evaluate(
        """async () => {
            const results = await axe.run(document);
            return {
                passes: results.passes.length,
                violations: results.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5),
                })),
            };
        }"""
    )
    assert results["passes"] >= 20, results
    return results["violations"]


@pytest.mark.parametrize("language", ["en", "ar"])
@E2E_DB
def test_no_serious_or_critical_violations(live_server, site_tree, page, language, record_property):
    practice, guide, thread = library(site_tree, language)
    prefix = "" if language == "en" else f"/{language}"
    pages = {
        "home": f"{prefix}/",
        "listing": site_tree[language].practices.url,
        "practice": practice.url,
        "guide": guide.url,
        "search": f"{prefix}/search/?q=budget&language=all",
        "thread": thread.get_absolute_url().replace("/forums/", f"{prefix}/forums/", 1),
        "countries": f"{prefix}/countries/",
        "sign-in": f"{prefix}/accounts/login/",
    }
    serve_axe(page, live_server.url)
    summary, blocking = {}, {}
    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        expect(page.locator("html")).to_have_attribute("lang", language)
        violations = axe_violations(page, live_server.url)
        counts = {impact: 0 for impact in ("minor", "moderate", "serious", "critical")}
        for violation in violations:
            counts[violation["impact"]] += 1
        summary[name] = counts
        found = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        if found:
            blocking[name] = found
    record_property("axe", {"language": language, "pages": summary})
    assert blocking == {}


@E2E_DB
def test_axe_runs_under_the_policy_and_finds_what_is_wrong(live_server, site_tree, page):
    serve_axe(page, live_server.url)
    page.goto(f"{live_server.url}/")
    # Break the page on purpose: a document without a language is a serious violation.
    page.evaluate("document.documentElement.removeAttribute('lang')")

    violations = axe_violations(page, live_server.url)

    assert [(v["id"], v["impact"]) for v in violations] == [("html-has-lang", "serious")]


def tab_to(page, selector, limit=80):
    """Press Tab until the element matching `selector` has the focus."""
    target = page.locator(selector)
    for _press in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus in {limit} presses of Tab")


@E2E_DB
def test_search_with_the_keyboard_only(live_server, site_tree, page):
    for code, title in (("JO", "Youth councils in Jordan"), ("IQ", "Youth councils in Iraq")):
        publish(
            PracticePageFactory(
                parent=site_tree["en"].practices,
                title=title,
                summary="Young people set the priorities of local services.",
                countries=[code],
                themes=["youth"],
            )
        )

    page.goto(f"{live_server.url}/search/")
    tab_to(page, "#search-q")
    page.keyboard.type("youth councils")
    page.keyboard.press("Enter")
    results = page.locator(".search-result")
    expect(results).to_have_count(2)

    # The country facet: opened with the keyboard when it is folded, then Jordan ticked.
    facet = page.locator("details[data-facet='country']")
    if facet.get_attribute("open") is None:
        tab_to(page, "details[data-facet='country'] > summary")
        page.keyboard.press("Enter")
    tab_to(page, "details[data-facet='country'] input[value='JO']")
    page.keyboard.press("Space")
    expect(page.locator("details[data-facet='country'] input[value='JO']")).to_be_checked()
    tab_to(page, "aside.filters button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"country=JO"))
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Youth councils in Jordan")
    # Enter on the result's link opens the practice.
    tab_to(page, ".search-result a >> nth=0")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Youth councils in Jordan")


@E2E_DB
def test_contact_form_with_the_keyboard_only(live_server, site_tree, page, smtp_server):
    organisation = OrganisationFactory(
        name="Municipality of Tetovo", contact_email="info@tetovo.example"
    )
    practice = publish(
        PracticePageFactory(
            parent=site_tree["en"].practices,
            title="Participatory budgeting in Tetovo",
            lead_organisation=organisation,
        )
    )

    page.goto(f"{live_server.url}{practice.url}")
    tab_to(page, "#contact input[name=name]", limit=150)
    page.keyboard.type("Ana Popescu")
    page.keyboard.press("Tab")
    expect(page.locator("#contact input[name=email]")).to_be_focused()
    page.keyboard.type("ana@example.org")
    page.keyboard.press("Tab")
    expect(page.locator("#contact textarea[name=message]")).to_be_focused()
    page.keyboard.type("How did you choose the neighbourhoods that voted first?")
    # The honeypot is never reached with the keyboard: the next stop is the button.
    page.keyboard.press("Tab")
    expect(page.locator("#contact button[type=submit]")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator(".messages")).to_contain_text(
        "Thank you. Your message has been sent to Municipality of Tetovo."
    )
    [sent] = smtp_server.messages
    assert sent["to"] == ["info@tetovo.example"]
    body = sent["message"].get_body(preferencelist=("plain",)).get_content()
    assert "How did you choose the neighbourhoods that voted first?" in body
    assert "ana@example.org" in str(sent["message"]["Reply-To"])
