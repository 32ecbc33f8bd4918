"""The contact form of practice pages: messages reach the lead organisation by email through
the delivery pipeline and the task queue (a real SMTP server on loopback), and its address
never reaches the page."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from delivery.models import Delivery
from members.factories import OrganisationFactory
from practices.factories import PracticePageFactory
from tests.translations import compile_translations

ORGANISATION_EMAIL = "office@municipality-of-tetovo.example"

VALID = {
    "name": "Ana Petreska",
    "email": "ana@example.org",
    "message": "How did you choose the neighbourhoods for the first budgeting round?",
    "website": "",
}


@pytest.fixture(scope="module")
def compiled_translations():
    compile_translations()


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Municipality of Tetovo", contact_email=ORGANISATION_EMAIL)


@pytest.fixture
def practice(site_tree, organisation):
    return PracticePageFactory(
        parent=site_tree["en"].practices,
        title="Participatory budgeting in Tetovo",
        slug="participatory-budgeting-tetovo",
        lead_organisation=organisation,
    )


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """The test client, whose POSTs run what their transaction leaves to its commit (the
    delivery pipeline's sending task), as the commit of a real request would."""
    post = client.post

    def post_and_commit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_commit
    return client


def contact_url(practice):
    return practice.url + practice.reverse_subpage("contact")


def test_the_page_offers_the_form_without_the_address(client, practice):
    response = client.get(practice.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'action="{contact_url(practice)}#contact"' in html
    assert 'name="message"' in html
    assert ORGANISATION_EMAIL not in html
    assert "tetovo.example" not in html


def test_a_valid_message_is_emailed_to_the_organisation(client, practice, smtp_server):
    response = client.post(contact_url(practice), VALID)

    assert response.status_code == 302
    assert response["Location"] == practice.url
    assert len(smtp_server.messages) == 1
    delivered = smtp_server.messages[0]
    email = delivered["message"]
    assert delivered["to"] == [ORGANISATION_EMAIL]
    assert email["To"] == ORGANISATION_EMAIL
    assert email["Reply-To"] == "Ana Petreska <ana@example.org>"
    # Django folds the encoded subject onto a second line; Python's parser keeps the fold's
    # leading space, which mail clients drop.
    assert email["Subject"].strip() == (
        "Message about “Participatory budgeting in Tetovo” from Practice Commons"
    )
    body = email.get_content()
    assert VALID["message"] in body
    assert "Ana Petreska" in body
    assert practice.full_url in body


def test_after_sending_the_page_thanks_and_still_hides_the_address(client, practice, smtp_server):
    response = client.post(contact_url(practice), VALID, follow=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Your message has been sent to Municipality of Tetovo" in html
    assert ORGANISATION_EMAIL not in html


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "Ana\r\nBcc: victim@example.org"}, "name"),
        ({"email": "not-an-address"}, "email"),
        ({"email": ""}, "email"),
        ({"message": "Too short"}, "message"),
        ({"message": "x" * 5001}, "message"),
    ],
)
def test_invalid_input_shows_the_errors_and_sends_nothing(
    client, practice, smtp_server, changes, field
):
    response = client.post(contact_url(practice), {**VALID, **changes})

    html = response.content.decode()
    assert response.status_code == 200
    assert "The message was not sent" in html
    assert f'id="id_{field}_error"' in html
    assert 'aria-invalid="true"' in html
    assert smtp_server.messages == []
    assert ORGANISATION_EMAIL not in html


def test_the_honeypot_blocks_the_message(client, practice, smtp_server):
    response = client.post(contact_url(practice), {**VALID, "website": "http://spam.example"})

    # The robot gets the answer a person gets, but nothing is sent.
    assert response.status_code == 302
    assert smtp_server.messages == []


def test_opening_the_contact_address_goes_back_to_the_page(client, practice):
    response = client.get(contact_url(practice))

    assert response.status_code == 302
    assert response["Location"] == practice.url + "#contact"


def test_without_a_lead_organisation_the_form_is_not_offered(client, site_tree, smtp_server):
    practice = PracticePageFactory(parent=site_tree["en"].practices, lead_organisation=None)

    response = client.get(practice.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="message"' not in html
    assert "no lead organisation" in html

    response = client.post(contact_url(practice), VALID, follow=True)
    assert response.status_code == 200
    assert "Messages cannot be sent about this practice" in response.content.decode()
    assert smtp_server.messages == []


def test_without_an_address_the_form_is_not_offered(client, site_tree, smtp_server):
    organisation = OrganisationFactory(name="Quiet Council", contact_email="")
    practice = PracticePageFactory(parent=site_tree["en"].practices, lead_organisation=organisation)

    response = client.get(practice.url)
    html = response.content.decode()
    assert 'name="message"' not in html
    assert "Quiet Council has not given Practice Commons an address" in html

    client.post(contact_url(practice), VALID)
    assert smtp_server.messages == []


def test_the_email_is_written_in_the_practice_language(
    client, site_tree, organisation, smtp_server, compiled_translations
):
    practice = PracticePageFactory(
        parent=site_tree["ar"].practices, title="الموازنة التشاركية", lead_organisation=organisation
    )

    response = client.post(contact_url(practice), VALID)

    assert response.status_code == 302
    subject = smtp_server.messages[0]["message"]["Subject"]
    assert "الموازنة التشاركية" in subject
    assert "Message about" not in subject


# The worker reads the queue through its own transactions, so this test commits; the
# serialized rollback restores the reference data afterwards for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_database_backend_the_message_waits_for_the_worker(
    client, site_tree, organisation, smtp_server, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    practice = PracticePageFactory(parent=site_tree["en"].practices, lead_organisation=organisation)

    response = client.post(contact_url(practice), VALID)

    assert response.status_code == 302
    # The message waits in the delivery ledger; the task queue holds no address.
    delivery = Delivery.objects.get(send__kind="contact")
    assert (delivery.recipient, delivery.status) == (ORGANISATION_EMAIL, "queued")
    # Publishing pages queues other work too (search indexing); this test follows the email.
    queued = DBTaskResult.objects.get(task_path="delivery.tasks.deliver")
    assert queued.status == "READY"
    assert ORGANISATION_EMAIL not in str(queued.args_kwargs)
    assert smtp_server.messages == []

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    queued.refresh_from_db()
    delivery.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert delivery.status == "sent"
    assert [message["to"] for message in smtp_server.messages] == [[ORGANISATION_EMAIL]]


# -- how many messages one sender may send ----------------------------------------------


@pytest.fixture
def two_an_hour(settings):
    settings.CONTACT_MESSAGES_PER_HOUR = 2


def test_a_sender_is_stopped_after_the_hourly_limit(client, practice, smtp_server, two_an_hour):
    for _ in range(2):
        assert client.post(contact_url(practice), VALID).status_code == 302
    response = client.post(contact_url(practice), VALID)

    html = response.content.decode()
    assert response.status_code == 429
    assert "You have sent as many messages in the last hour" in html
    assert VALID["message"] in html  # what they wrote is still in the form
    assert len(smtp_server.messages) == 2


def test_the_limit_follows_the_address_and_the_email(client, practice, smtp_server, two_an_hour):
    def send(address, email):
        data = {**VALID, "email": email}
        return client.post(contact_url(practice), data, REMOTE_ADDR=address).status_code

    assert send("203.0.113.5", "ana@example.org") == 302
    assert send("203.0.113.5", "ana.b@example.org") == 302
    # The same network address with a third email address, the same email from elsewhere.
    assert send("203.0.113.5", "someone@example.org") == 429
    assert send("198.51.100.7", "ANA@example.org") == 302
    assert send("192.0.2.1", "ana@example.org") == 429
    assert send("192.0.2.1", "marta@example.org") == 302
    assert len(smtp_server.messages) == 4


def test_after_an_hour_the_sender_may_write_again(client, practice, smtp_server, two_an_hour):
    for _ in range(2):
        client.post(contact_url(practice), VALID)
    assert client.post(contact_url(practice), VALID).status_code == 429

    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert client.post(contact_url(practice), VALID).status_code == 302
    assert len(smtp_server.messages) == 3


def test_the_counts_hold_no_address_in_clear(client, practice, smtp_server, two_an_hour):
    client.post(contact_url(practice), VALID, REMOTE_ADDR="203.0.113.5")

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {caches['ratelimit']._table}")
        keys = [row[0] for row in cursor.fetchall()]
    assert len(keys) == 2
    assert not any("ana" in key or "203.0.113.5" in key for key in keys)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "127.0.0.1"),
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (1, "", "127.0.0.1"),
    ],
)
def test_behind_proxies_the_address_is_the_one_they_saw(rf, settings, proxies, forwarded, expected):
    from editorial.client import client_address

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.post("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1")
    assert client_address(request) == expected
