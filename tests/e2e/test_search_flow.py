"""Issue 3 in a real browser: search in Arabic, narrow by a country facet, open a result."""

import re

from playwright.sync_api import expect

from practices.factories import PracticePageFactory
from tests.e2e.conftest import E2E_DB

TITLE = "مجالس الشباب المحلية في الأردن"


def publish(page):
    # Publishing through a revision fires Wagtail's page_published signal, which indexes it.
    page.save_revision().publish()


@E2E_DB
def test_search_in_arabic_narrow_by_country_and_open_result(live_server, site_tree, page):
    arabic = site_tree["ar"].practices
    publish(
        PracticePageFactory(
            parent=arabic,
            title=TITLE,
            summary="تُشرك البلديات الشباب في تحديد أولويات الخدمات الأساسية.",
            countries=["JO"],
            themes=["youth"],
        )
    )
    publish(
        PracticePageFactory(
            parent=arabic,
            title="مجالس الشباب في العراق",
            summary="تجربة مجالس الشباب المحلية في المحافظات.",
            countries=["IQ"],
            themes=["youth"],
        )
    )

    page.goto(f"{live_server.url}/ar/search/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # Typed with a vowel mark (fatha) that the titles lack: the analysis strips harakat.
    page.fill("#search-q", "مَجالس الشباب")
    page.locator("form[role=search] button[type=submit]").click()
    results = page.locator(".search-result")
    expect(results).to_have_count(2)

    country_facet = page.locator("details[data-facet='country']")
    if country_facet.get_attribute("open") is None:
        country_facet.locator("summary").click()
    country_facet.locator("input[value='JO']").check()
    page.locator("aside.filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"country=JO"))
    expect(results).to_have_count(1)

    results.first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("html")).to_have_attribute("lang", "ar")
