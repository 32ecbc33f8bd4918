"""Issue 12 in a real browser: a visitor asks for alerts from a search page, confirms with
the link the SMTP server received, an editor publishes a matching practice, the weekly
digest brings it, and one click in the digest unsubscribes."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from newsletters.models import Subscriber
from tests.e2e.conftest import E2E_DB
from tests.search.conftest import publish_page

TITLE = "Residents of Ozurgeti choose their budget"


def _link(message, marker, kind="plain"):
    text = message["message"].get_body(preferencelist=(kind,)).get_content()
    return re.search(rf"https?://\S*{re.escape(marker)}\S*?(?=[\s\"<])", text).group(0)


@E2E_DB
def test_alerts_from_a_search_confirmed_digested_and_unsubscribed(
    live_server, site_tree, page, smtp_server, settings
):
    settings.NEWSLETTERS_BASE_URL = live_server.url

    page.goto(f"{live_server.url}/search/?theme=participatory-budgeting&country=GE")
    page.get_by_role("link", name="Get alerts for this search").click()
    expect(page.get_by_label(re.compile(r"Participatory budgeting$"))).to_be_checked()
    page.get_by_label("Your email address").fill("ana@example.org")
    page.get_by_label(re.compile("I agree to receive")).check()
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    (confirmation,) = smtp_server.messages
    assert confirmation["to"] == ["ana@example.org"]
    page.goto(_link(confirmation, "/newsletters/confirm/"))
    expect(page.get_by_role("heading", name="You are subscribed")).to_be_visible()

    publish_page(site_tree, title=TITLE, themes=["participatory-budgeting"], countries=["GE"])
    call_command("send_digests", "--frequency", "weekly", "--no-progress")

    digest = smtp_server.messages[-1]
    assert len(smtp_server.messages) == 2
    assert TITLE in digest["message"].get_body(preferencelist=("plain",)).get_content()
    page.goto(_link(digest, "/newsletters/unsubscribe/", "html"))
    page.get_by_role("button", name="Unsubscribe from everything").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
