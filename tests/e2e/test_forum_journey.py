"""Issue 13's journey in a real browser: a visitor signs up and confirms the address with the
link the SMTP server received; asks a question from a practice page, which the lead
organisation's member hears of by email; that member replies, quoting the question and
mentioning the asker; the asker receives the email about the answer, follows it and accepts
the answer, which the practice page then shows with the question; three members flag a spam
post, which hides; a moderator deletes it from the admin's moderation queue."""

import re

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from forums.factories import ForumFactory, PostFactory
from forums.models import Post, PostStatus, Thread
from members.factories import MembershipFactory, OrganisationFactory, UserFactory
from members.groups import SITE_EDITORS
from practices.factories import PracticePageFactory
from taxonomy.models import Theme
from tests.e2e.conftest import E2E_DB
from tests.e2e.helpers import sign_in, sign_out
from tests.mail import mail_to

PASSWORD = "correct horse battery staple"
ASKER_PASSWORD = "a long and unusual passphrase 42"
QUESTION_TITLE = "How many people came to the hearings?"
QUESTION = "We plan hearings in every village. How many people came to yours, and when?"
ANSWER = "About forty each time, on Saturday mornings in the school halls."
SPAM = "Cheap watches at spam dot example, best prices"


def confirmed_member(username, **kwargs):
    member = UserFactory(username=username, password=PASSWORD, **kwargs)
    # Accounts confirm their address before they sign in on the site (allauth).
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    return member


def sign_in_on_site(page, live_server, username, password=PASSWORD):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".account")).to_be_visible()


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def confirmation_link(message):
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", text_of(message)).group(0)


@E2E_DB
def test_sign_up_ask_be_answered_accept_and_moderate(
    live_server, site_tree, page, smtp_server, settings
):
    # Links in the forums' emails lead to the server the browser talks to.
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    organisation = OrganisationFactory(name="Municipality of Ozurgeti")
    practice = PracticePageFactory(
        parent=site_tree["en"].practices,
        title="Budget hearings in Guria",
        lead_organisation=organisation,
        themes=["participatory-budgeting"],
    )
    ForumFactory(
        name="Participatory budgeting",
        slug="participatory-budgeting",
        theme=Theme.objects.get(slug="participatory-budgeting"),
    )
    implementer = confirmed_member("nino", first_name="Nino", last_name="Beridze")
    MembershipFactory(user=implementer, organisation=organisation)
    confirmed_member("tomasz")
    spammer = confirmed_member("spammer")
    moderator = confirmed_member("mira")
    moderator.groups.add(Group.objects.get(name=SITE_EDITORS))
    practice_url = f"{live_server.url}{practice.url}"

    # A visitor signs up with allauth's form and is asked to confirm the address.
    page.goto(f"{live_server.url}/")
    page.locator(".account").get_by_role("link", name="Sign up").click()
    page.fill("#id_email", "nadia@example.org")
    page.fill("#id_username", "nadia")
    page.fill("#id_password1", ASKER_PASSWORD)
    page.fill("#id_password2", ASKER_PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/confirm-email/")
    expect(page.locator("body")).to_contain_text("nadia@example.org")

    # The link in the email the SMTP server received confirms it and signs her in.
    [confirmation] = mail_to(smtp_server, "nadia@example.org")
    assert confirmation["Subject"] == "[Practice Commons] Please Confirm Your Email Address"
    page.goto(confirmation_link(confirmation))
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".account")).to_contain_text("nadia")
    asker = get_user_model().objects.get(username="nadia")
    assert EmailAddress.objects.get(user=asker).verified

    # She asks a question from the practice page.
    page.goto(practice_url)
    expect(page.locator("#questions")).to_contain_text("No questions yet.")
    page.locator("#questions").get_by_role("link", name="Ask a question").click()
    expect(page.locator(".notice")).to_have_text("Your question is about Budget hearings in Guria.")
    page.fill("#id_title", QUESTION_TITLE)
    page.fill("#id_body", QUESTION)
    page.get_by_role("button", name="Start the thread").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION_TITLE)
    expect(page.locator(".thread__about")).to_contain_text("Budget hearings in Guria")
    thread = Thread.objects.get(title=QUESTION_TITLE)
    question = thread.posts.get()
    assert (thread.about_page_id, thread.author) == (practice.pk, asker)
    thread_url = f"{live_server.url}{thread.get_absolute_url()}"
    # The lead organisation's member hears of the question; the asker of nothing (her post).
    [question_mail] = mail_to(smtp_server, implementer.email)
    assert "A question about your organisation's work" in text_of(question_mail)
    assert QUESTION in text_of(question_mail)
    assert mail_to(smtp_server, "nadia@example.org") == [confirmation]
    sign_out(page, live_server)

    # A member of the practice's lead organisation quotes the question and mentions her.
    sign_in_on_site(page, live_server, "nino")
    page.goto(thread_url)
    page.locator(f"#post-{question.pk}").get_by_role("link", name="Quote").click()
    body = page.locator("#id_body")
    expect(body).to_have_value(re.compile(rf"^> \[nadia\]\(.*#post-{question.pk}\):"))
    body.fill(body.input_value() + f"@nadia {ANSWER}")
    page.get_by_role("button", name="Post reply").click()
    expect(page).to_have_url(re.compile(r"#post-\d+$"))
    expect(page.locator(".post")).to_have_count(2)
    reply = page.locator(".post").nth(1)
    expect(reply.locator("blockquote")).to_contain_text(QUESTION)
    expect(reply.locator("blockquote a").first).to_have_attribute(
        "href", re.compile(rf"#post-{question.pk}$")
    )
    expect(reply).to_contain_text(f"@nadia {ANSWER}")
    expect(reply.locator(f".mention[data-member='{asker.pk}']")).to_have_text("@nadia")
    expect(reply).to_contain_text("Nino Beridze")
    answer = thread.posts.get(author=implementer)
    sign_out(page, live_server)

    # The asker receives one email about the answer: asked and mentioned, she is told the
    # stronger reason, the mention.
    [_confirmation, answer_mail] = mail_to(smtp_server, "nadia@example.org")
    # Django folds a long non-ASCII subject after "Subject:"; the parser keeps that space.
    assert answer_mail["Subject"].strip() == f"Nino Beridze in “{QUESTION_TITLE}”"
    assert text_of(answer_mail).startswith("You were mentioned")
    # The HTML part carries the whole reply (the text part its first 80 characters).
    html = answer_mail.get_body(preferencelist=("html",)).get_content()
    assert ANSWER in html
    answer_link = re.search(
        rf"{re.escape(live_server.url)}/\S+#post-{answer.pk}", text_of(answer_mail)
    ).group(0)

    # She follows it and accepts the answer; the practice page shows it with her question.
    sign_in_on_site(page, live_server, "nadia", ASKER_PASSWORD)
    page.goto(answer_link)
    expect(page.locator(f"#post-{answer.pk}")).to_contain_text(ANSWER)
    page.locator(f"#post-{answer.pk}").get_by_role("button", name="Accept this answer").click()
    expect(page.locator("body")).to_contain_text("The answer is marked as accepted.")
    expect(page.locator(f"#post-{answer.pk} .badge--accepted")).to_have_text("Accepted answer")
    page.goto(practice_url)
    asked = page.locator("#questions .question")
    expect(asked.get_by_role("link", name=QUESTION_TITLE)).to_be_visible()
    expect(asked.locator(".question__answer")).to_contain_text("Accepted answer")
    expect(asked.locator(".question__answer")).to_contain_text(ANSWER)
    sign_out(page, live_server)

    # A spam post in the thread; three members flag it, and the third flag hides it.
    spam = PostFactory(thread=thread, author=spammer, source=SPAM)
    for number, (name, password) in enumerate(
        (("nadia", ASKER_PASSWORD), ("nino", PASSWORD), ("tomasz", PASSWORD))
    ):
        sign_in_on_site(page, live_server, name, password)
        page.goto(thread_url)
        page.locator(f"#post-{spam.pk}").get_by_role("link", name="Flag").click()
        page.get_by_label("Spam").check()
        page.get_by_role("button", name="Flag").click()
        message = "hidden until a moderator" if number == 2 else "a moderator will look"
        expect(page.locator("body")).to_contain_text(message)
        sign_out(page, live_server)
    page.goto(thread_url)
    expect(page.locator(".post")).to_have_count(2)
    expect(page.locator("body")).not_to_contain_text(SPAM)
    assert Post.objects.get(pk=spam.pk).status == PostStatus.HIDDEN

    # A moderator deletes it from the moderation queue in the Wagtail admin.
    sign_in(page, live_server, "mira", PASSWORD)
    page.goto(f"{live_server.url}/admin/forum_moderation/")
    row = page.locator(f"#queue-post-{spam.pk}")
    expect(row).to_contain_text(SPAM)
    expect(row.locator(".queue-status")).to_have_text("Hidden")
    row.get_by_role("button", name="Delete").click()
    expect(page.locator("body")).to_contain_text("Nothing waits for a moderator.")
    assert not Post.objects.filter(pk=spam.pk).exists()
    page.goto(thread_url)
    expect(page.locator(".post")).to_have_count(2)
    expect(page.locator(f"#post-{answer.pk} .badge--accepted")).to_have_text("Accepted answer")
