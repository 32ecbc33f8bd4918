"""Ask the implementers: a question asked from a practice or guide page starts a thread
linked to it; the page lists its questions; the asker or a member of the page's lead
organisation accepts an answer, which the page then shows with the question."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from forums.factories import PostFactory
from forums.models import Thread
from members.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def ask(client, practice, body="How many people came to the hearings?"):
    url = reverse("forums:ask", kwargs={"page_pk": practice.pk})
    form_url = client.get(url)["Location"]
    data = {"title": "Attendance at hearings", "language": "en", "body": body}
    return form_url, client.post(form_url, data)


def test_a_question_from_a_practice_is_a_thread_about_it(member_client, member, practice, pb_forum):
    page = member_client.get(practice.url).content.decode()
    assert f'href="/forums/ask/{practice.pk}/"' in page
    assert "No questions yet." in page

    form_url, response = ask(member_client, practice)

    assert form_url == f"/forums/{pb_forum.slug}/new/?about={practice.pk}"
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert (thread.forum, thread.about_page_id, thread.author) == (pb_forum, practice.pk, member)
    thread_page = member_client.get(thread.get_absolute_url()).content.decode()
    assert f'A question about <a href="{practice.url}">Budget hearings in Guria</a>' in thread_page
    assert "Attendance at hearings" in member_client.get(practice.url).content.decode()


def test_a_member_of_the_lead_organisation_accepts_an_answer(
    client, member_client, practice, organisation, pb_forum
):
    ask(member_client, practice)
    thread = Thread.objects.get()
    implementer = UserFactory(username="nino")
    MembershipFactory(user=implementer, organisation=organisation)
    answer = PostFactory(thread=thread, author=implementer, source="About **forty** each time.")
    outsider = UserFactory()

    client.force_login(outsider)
    refused = client.post(reverse("forums:accept_answer", kwargs={"pk": answer.pk}))
    assert refused.status_code == 403
    assert "Accept this answer" not in client.get(thread.get_absolute_url()).content.decode()

    client.force_login(implementer)
    assert "Accept this answer" in client.get(thread.get_absolute_url()).content.decode()
    response = client.post(reverse("forums:accept_answer", kwargs={"pk": answer.pk}))

    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.accepted_post == answer
    assert ModelLogEntry.objects.filter(action="forums.accept_answer", user=implementer).exists()
    page = client.get(practice.url).content.decode()
    assert "Accepted answer" in page
    assert "<p>About <strong>forty</strong> each time.</p>" in page


def test_the_asker_accepts_an_answer(member_client, practice, pb_forum):
    ask(member_client, practice)
    thread = Thread.objects.get()
    answer = PostFactory(thread=thread, source="Thirty.")

    member_client.post(reverse("forums:accept_answer", kwargs={"pk": answer.pk}))

    thread.refresh_from_db()
    assert thread.accepted_post == answer
