"""A researcher in a real browser copies a practice's BibTeX with the copy button, which the
script shows only where it works, and follows the lineage to the practice it was adapted
from; the copied citation's link opens the cited version."""

from playwright.sync_api import expect

from practices.factories import PracticePageFactory
from practices.models import PracticeAdaptation
from tests.e2e.conftest import E2E_DB


@E2E_DB
def test_copy_the_bibtex_and_follow_the_lineage(live_server, site_tree, page):
    source = PracticePageFactory(parent=site_tree["en"].practices, title="Budget votes")
    source.save_revision().publish()
    adapted = PracticePageFactory(parent=site_tree["en"].practices, title="Budget grants")
    adapted.adapted_from.add(
        PracticeAdaptation(source=source, what_changed="Grants.", why="Local law.")
    )
    revision = adapted.save_revision()
    revision.publish()

    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"{live_server.url}{adapted.url}")
    copy = page.get_by_role("button", name="Copy the BibTeX")
    expect(copy).to_be_visible()
    copy.click()
    expect(page.locator(".cite__status")).to_have_text("Copied to the clipboard.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(f"@misc{{practicecommons{adapted.pk}r{revision.pk},")
    assert "title = {{Budget grants}}" in copied
    url = f"{live_server.url}/cite/{adapted.pk}/revision/{revision.pk}/"
    assert f"url = {{{url}}}" in copied

    page.locator("#lineage").get_by_role("link", name="Budget votes").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Budget votes")

    page.goto(url)
    expect(page.locator(".revision-banner")).to_contain_text("You are viewing the version of")
    expect(page.get_by_role("heading", level=1)).to_have_text("Budget grants")
