"""Issue 14's researcher in one go, in a real browser: searches, downloads the results as CSV
(whose rows are as many as the page counts), opens a practice, copies its BibTeX and follows
its lineage to the practice it was adapted from."""

import csv
import re

from playwright.sync_api import expect

from practices.factories import PracticePageFactory
from practices.models import PracticeAdaptation
from search.export import COLUMN_NAMES
from tests.e2e.conftest import E2E_DB


@E2E_DB
def test_search_export_open_cite_and_follow_the_lineage(live_server, site_tree, page):
    practices = site_tree["en"].practices
    source = PracticePageFactory(parent=practices, title="Budget votes in Guria")
    source.save_revision().publish()
    adapted = PracticePageFactory(parent=practices, title="Budget grants in Kakheti")
    adapted.adapted_from.add(
        PracticeAdaptation(source=source, what_changed="Grants.", why="Local law.")
    )
    revision = adapted.save_revision()
    revision.publish()
    PracticePageFactory(parent=practices, title="Youth budget councils").save_revision().publish()
    PracticePageFactory(parent=practices, title="Street lighting audits").save_revision().publish()

    page.goto(f"{live_server.url}/search/")
    page.fill("#search-q", "budget")
    page.locator("form[role=search] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"q=budget"))
    count = page.locator(".results__count")
    expect(count).to_have_text("3 results")
    shown = int(count.inner_text().split()[0])

    with page.expect_download() as download_info:
        page.locator(".export-links").get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8", newline="") as exported:
        rows = list(csv.reader(exported))
    assert tuple(rows[0]) == COLUMN_NAMES
    data = rows[1:]
    assert len(data) == shown
    title = COLUMN_NAMES.index("title")
    assert {row[title] for row in data} == {
        "Budget votes in Guria",
        "Budget grants in Kakheti",
        "Youth budget councils",
    }

    page.locator(".search-result").get_by_role("link", name="Budget grants in Kakheti").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Budget grants in Kakheti")

    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.get_by_role("button", name="Copy the BibTeX").click()
    expect(page.locator(".cite__status")).to_have_text("Copied to the clipboard.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(f"@misc{{practicecommons{adapted.pk}r{revision.pk},")
    assert "title = {{Budget grants in Kakheti}}" in copied

    page.locator("#lineage").get_by_role("link", name="Budget votes in Guria").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Budget votes in Guria")
    expect(page).to_have_url(f"{live_server.url}{source.url}")
