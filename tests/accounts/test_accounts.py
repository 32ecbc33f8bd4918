"""Accounts with django-allauth: signing up with a confirmed email address, signing in,
resetting a password and changing the email address, each email delivered by the one
pipeline to a real SMTP server (aiosmtpd on loopback); the pages in the site's languages."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import translation

from delivery.models import Delivery
from members.factories import UserFactory
from tests.mail import link_in, mail_to
from tests.translations import compile_translations

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "email": "nadia@example.org",
    "username": "nadia",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "website": "",
}


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def verified_user(username="ana", email="ana@example.org"):
    user = UserFactory(username=username, email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def test_sign_up_confirm_the_email_then_sign_in(client, smtp_server):
    response = client.post("/accounts/signup/", SIGN_UP)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = get_user_model().objects.get(username="nadia")
    assert not EmailAddress.objects.get(user=user).verified
    assert signed_in_user_id(client) is None
    # The confirmation went through the ledger, and on to the SMTP server.
    assert Delivery.objects.get(recipient="nadia@example.org").status == "sent"
    [message] = mail_to(smtp_server, "nadia@example.org")
    assert message["Subject"] == "[Practice Commons] Please Confirm Your Email Address"
    link = link_in(message)
    assert link.startswith("/accounts/confirm-email/")

    # Unconfirmed, signing in only sends the person back to confirm.
    other = client.__class__()
    refused = other.post("/accounts/login/", {"login": "nadia", "password": PASSWORD})
    assert refused["Location"] == "/accounts/confirm-email/"
    assert signed_in_user_id(other) is None

    page = client.get(link)
    assert page.status_code == 200
    assert "nadia@example.org" in page.content.decode()
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    client.post("/accounts/logout/")
    assert signed_in_user_id(client) is None
    signed_in = client.post(
        "/accounts/login/", {"login": "nadia@example.org", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/forums/"
    assert signed_in_user_id(client) == str(user.pk)


def test_the_confirmation_is_in_the_language_of_the_sign_up(client, smtp_server):
    client.post("/ro/accounts/signup/", SIGN_UP)

    [message] = mail_to(smtp_server, "nadia@example.org")
    with translation.override("ro"):
        subject = translation.gettext("Please Confirm Your Email Address")
    assert subject != "Please Confirm Your Email Address"
    # Django folds a long encoded subject onto the next line; unfolded it starts with a space.
    assert message["Subject"].strip() == f"[Practice Commons] {subject}"
    assert link_in(message).startswith("/ro/accounts/confirm-email/")


def test_a_filled_in_honeypot_signs_nobody_up(client, smtp_server):
    response = client.post("/accounts/signup/", {**SIGN_UP, "website": "http://spam.example"})

    assert response.status_code == 302
    assert not get_user_model().objects.filter(username="nadia").exists()
    assert smtp_server.messages == []


def test_signing_up_with_a_taken_address_tells_its_owner_and_nobody_else(client, smtp_server):
    owner = verified_user(username="nadia2", email="nadia@example.org")

    response = client.post("/accounts/signup/", SIGN_UP)

    # The same answer as for a new address, so that nobody learns who has an account.
    assert response["Location"] == "/accounts/confirm-email/"
    assert list(get_user_model().objects.filter(email="nadia@example.org")) == [owner]
    [message] = mail_to(smtp_server, "nadia@example.org")
    assert "/accounts/confirm-email/" not in message.get_content()
    assert "/accounts/password/reset/" in message.get_content()


def test_existing_accounts_sign_in_with_their_username(client):
    user = verified_user()

    response = client.post("/accounts/login/", {"login": "ana", "password": PASSWORD})

    assert response["Location"] == "/forums/"
    assert signed_in_user_id(client) == str(user.pk)


def test_a_wrong_password_is_refused(client):
    verified_user()

    response = client.post("/accounts/login/", {"login": "ana", "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert signed_in_user_id(client) is None


def test_password_reset(client, smtp_server):
    user = verified_user()

    response = client.post("/accounts/password/reset/", {"email": "ana@example.org"})

    assert response["Location"] == "/accounts/password/reset/done/"
    [message] = mail_to(smtp_server, "ana@example.org")
    assert message["Subject"] == "[Practice Commons] Password Reset Email"
    link = link_in(message)
    assert link.startswith("/accounts/password/reset/key/")
    # allauth keeps the key in the session and moves to a page without it.
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    form_url = form_page.redirect_chain[-1][0]
    new_password = "another long passphrase 43"
    done = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert done["Location"] == "/accounts/password/reset/key/done/"
    user.refresh_from_db()
    assert user.check_password(new_password)

    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"login": "ana", "password": new_password})
    assert signed_in_user_id(client) == str(user.pk)


def test_a_reset_for_an_unknown_address_reveals_nothing(client, smtp_server):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    assert response["Location"] == "/accounts/password/reset/done/"
    # allauth tells the owner of the address that nobody has an account with it.
    [message] = mail_to(smtp_server, "nobody@example.org")
    assert "/accounts/password/reset/key/" not in message.get_content()


def test_change_the_email_address(client, smtp_server):
    user = verified_user()
    client.force_login(user)

    response = client.post("/accounts/email/", {"action_add": "", "email": "ana.new@example.org"})

    assert response.status_code == 302
    [message] = mail_to(smtp_server, "ana.new@example.org")
    link = link_in(message)
    assert link.startswith("/accounts/confirm-email/")
    user.refresh_from_db()
    assert user.email == "ana@example.org"

    client.post(link)

    user.refresh_from_db()
    assert user.email == "ana.new@example.org"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("ana.new@example.org", True)
    ]


LANGUAGES = ["en", "ar", "mk", "ro", "pl", "ka", "tr"]


@pytest.fixture(scope="module")
def compiled_translations():
    compile_translations()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_account_pages_are_in_every_language(client, language, compiled_translations):
    prefix = "" if language == "en" else f"/{language}"
    with translation.override(language):
        sign_up = translation.gettext("Sign Up")
        sign_in = translation.gettext("Sign In")
    if language != "en":
        # allauth's own catalogues, and site/locale-allauth for Macedonian.
        assert (sign_up, sign_in) != ("Sign Up", "Sign In")
    for path in ("/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"):
        response = client.get(f"{prefix}{path}")
        html = response.content.decode()
        assert response.status_code == 200
        direction = "rtl" if language == "ar" else "ltr"
        assert f'<html lang="{language}" dir="{direction}">' in html
        # The site's own layout around allauth's form.
        assert 'class="site-header"' in html
    assert sign_up in client.get(f"{prefix}/accounts/signup/").content.decode()
    assert sign_in in client.get(f"{prefix}/accounts/login/").content.decode()


def test_the_arabic_sign_up_page_is_right_to_left_and_in_arabic(client):
    response = client.get("/ar/accounts/signup/")

    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    with translation.override("ar"):
        heading = translation.gettext("Sign Up")
    assert heading != "Sign Up"
    assert heading in html
    assert 'action="/ar/accounts/signup/"' in html
