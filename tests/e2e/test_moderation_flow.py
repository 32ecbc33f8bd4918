"""Moderation in a real browser: three members flag a spam post, which hides; a moderator
finds it in the admin's moderation queue, deletes it and suspends its author, and the audit
log shows both."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from forums.factories import ForumFactory, PostFactory, ThreadFactory
from forums.models import Post, Suspension
from members.factories import UserFactory
from members.groups import SITE_EDITORS
from tests.e2e.conftest import E2E_DB
from tests.e2e.helpers import sign_in, sign_out

PASSWORD = "correct horse battery staple"
SPAM = "Cheap watches at spam dot example, best prices"


def sign_in_on_site(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".account")).to_be_visible()


@E2E_DB
def test_flags_hide_a_spam_post_and_a_moderator_removes_it(live_server, site_tree, page):
    thread = ThreadFactory(forum=ForumFactory(slug="grants"), title="Small grants")
    spammer = UserFactory(username="spammer")
    spam = PostFactory(thread=thread, author=spammer, source=SPAM)
    for name in ("ana", "tomasz", "nino"):
        member = UserFactory(username=name)
        # Accounts confirm their address before they sign in on the site (allauth).
        EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    moderator = UserFactory(username="mira")
    moderator.groups.add(Group.objects.get(name=SITE_EDITORS))
    thread_url = f"{live_server.url}{thread.get_absolute_url()}"

    for number, name in enumerate(("ana", "tomasz", "nino")):
        sign_in_on_site(page, live_server, name)
        page.goto(thread_url)
        page.locator(f"#post-{spam.pk}").get_by_role("link", name="Flag").click()
        page.get_by_label("Spam").check()
        page.get_by_role("button", name="Flag").click()
        message = "hidden until a moderator" if number == 2 else "a moderator will look"
        expect(page.locator("body")).to_contain_text(message)
        sign_out(page, live_server)

    page.goto(thread_url)
    expect(page.locator(".post")).to_have_count(1)
    expect(page.locator("body")).not_to_contain_text(SPAM)

    sign_in(page, live_server, "mira", PASSWORD)
    page.goto(f"{live_server.url}/admin/forum_moderation/")
    row = page.locator(f"#queue-post-{spam.pk}")
    expect(row).to_contain_text(SPAM)
    expect(row.locator(".queue-status")).to_have_text("Hidden")
    row.get_by_label("Suspend the author for").fill("14")
    row.get_by_role("button", name="Suspend").click()
    expect(page.locator("body")).to_contain_text("is suspended for 14 days")
    page.locator(f"#queue-post-{spam.pk}").get_by_role("button", name="Delete").click()
    expect(page.locator("body")).to_contain_text("Nothing waits for a moderator.")

    assert not Post.objects.filter(pk=spam.pk).exists()
    assert Suspension.objects.get(member=spammer).created_by == moderator
    page.goto(f"{live_server.url}/admin/reports/site-history/")
    expect(page.locator("body")).to_contain_text("Post deleted")
    expect(page.locator("body")).to_contain_text("Member suspended")
    expect(page.locator("body")).to_contain_text("Post hidden by members' flags")
