"""The forums in a real browser: a member signs in on the site, opens a forum, starts a
thread, replies to it and sees the reply; the thread is then found by the search."""

import re

from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from forums.factories import ForumFactory
from forums.models import Thread
from members.factories import UserFactory
from taxonomy.models import Theme
from tests.e2e.conftest import E2E_DB

PASSWORD = "correct horse battery staple"
TITLE = "Budget hearings in the villages of Guria"


@E2E_DB
def test_sign_in_start_a_thread_reply_and_see_the_reply(live_server, site_tree, page):
    tamar = UserFactory(username="tamar", first_name="Tamar", last_name="Kiknadze")
    EmailAddress.objects.create(user=tamar, email=tamar.email, verified=True, primary=True)
    forum = ForumFactory(
        name="Participatory budgeting",
        slug="participatory-budgeting",
        theme=Theme.objects.get(slug="participatory-budgeting"),
    )

    # A visitor reads the forums and is asked to sign in to write.
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Forums").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forums")
    page.get_by_role("link", name="Participatory budgeting").first.click()
    expect(page).to_have_url(f"{live_server.url}/forums/{forum.slug}/")
    page.locator("header.page-header").get_by_role("link", name="Sign in").click()

    page.fill("#id_login", "tamar")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/forums/{forum.slug}/")
    expect(page.locator(".account")).to_contain_text("Tamar Kiknadze")

    # Starting a thread: a first attempt without a message is refused, nothing is lost.
    page.get_by_role("link", name="Start a thread").click()
    page.fill("#id_title", TITLE)
    page.get_by_label("Youth", exact=True).check()
    # The countries: a long list of checkboxes narrowed by typing, accents or not.
    countries = page.get_by_placeholder("Type to filter the list")
    countries.fill("géorg")
    expect(page.locator("#id_countries label:visible")).to_have_text(
        ["Georgia", "South Georgia and the South Sandwich Islands"]
    )
    page.get_by_label("Georgia", exact=True).check()
    countries.fill("armen")
    # A checked country stays in view whatever is typed.
    expect(page.locator("#id_countries label:visible")).to_have_text(["Armenia", "Georgia"])
    countries.press("Enter")  # filters, does not send the form
    expect(page.locator(".field--error")).to_have_count(0)
    page.get_by_role("button", name="Start the thread").click()
    expect(page.locator(".field--error")).to_contain_text("Write your message.")
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.get_by_label("Georgia", exact=True)).to_be_checked()
    page.fill("#id_body", "Who has run budget hearings in the villages?\n\nHow many people came?")
    page.get_by_role("button", name="Start the thread").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".post")).to_have_count(1)

    # Replying.
    page.fill("#id_body", "We held ours in the school halls; about forty people each time.")
    page.get_by_role("button", name="Post reply").click()

    expect(page).to_have_url(re.compile(r"#post-\d+$"))
    expect(page.locator(".post")).to_have_count(2)
    reply = page.locator(".post").nth(1)
    expect(reply).to_contain_text("school halls; about forty people")
    expect(reply).to_contain_text("Tamar Kiknadze")

    thread = Thread.objects.get(title=TITLE)
    assert (thread.post_count, thread.language) == (2, "en")
    assert list(thread.countries.values_list("code", flat=True)) == ["GE"]

    # The forum counts the reply, and the search finds the thread by its words.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Participatory budgeting"
    ).click()
    expect(page.locator(".thread-row")).to_contain_text("1 reply")
    page.goto(f"{live_server.url}/search/?q=school+halls")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
