"""The Content-Security-Policy header: on every public page, with nothing inline allowed; the
admins get 'unsafe-inline' for their own scripts and styles, and keep working."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import get_resolver

from config.csp import SiteCSPMiddleware
from forums.factories import ForumFactory, ThreadFactory
from members.factories import UserFactory
from practices.factories import PracticePageFactory

PUBLIC_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)


def directives(header):
    return dict((part.split()[0], part.split()[1:]) for part in header.split(";") if part.strip())


@pytest.mark.django_db
def test_every_public_page_sends_the_policy(client, site_tree):
    practice = PracticePageFactory(parent=site_tree["en"].practices, title="Budgets", slug="b")
    forum = ForumFactory(name="Participatory budgeting", slug="participatory-budgeting")
    thread = ThreadFactory(forum=forum, title="Budgets for schools")
    urls = [
        "/",
        practice.url,
        "/search/?q=budget",
        "/search/?page=0",  # refused parameters: a 400 page
        "/search/feed/",
        "/api/search/?q=budget",
        "/forums/",
        thread.get_absolute_url(),
        "/accounts/login/",
        "/no-such-page/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url
        assert directives(response["Content-Security-Policy"]) == directives(PUBLIC_POLICY), url


def test_the_server_error_page_has_the_policy_and_its_styles_in_a_file():
    # No `db` fixture: the 500 page makes no query, and the middleware adds none.
    handler = get_resolver().resolve_error_handler(500)
    request = RequestFactory().get("/broken/")

    response = SiteCSPMiddleware(handler)(request)

    assert response.status_code == 500
    assert directives(response["Content-Security-Policy"]) == directives(PUBLIC_POLICY)
    html = response.content.decode()
    assert "<style" not in html
    assert '<link rel="stylesheet" href="/static/css/error.css">' in html


@pytest.mark.django_db
def test_the_admin_gets_inline_scripts_and_styles_only(client):
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    for url in ("/admin/", "/admin/pages/", "/django-admin/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"], url
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"], url
        assert policy["default-src"] == ["'self'"], url


# Inline script (other than a JSON-LD data block, which browsers do not run), inline style,
# style attributes and event-handler attributes.
INLINE = re.compile(
    r"<style|<script(?![^>]*\bsrc=)(?![^>]*type=\"application/ld\+json\")[^>]*>|\sstyle=|\son[a-z]+=",
    re.I,
)


def test_no_template_has_inline_script_or_style():
    templates = Path(settings.BASE_DIR) / "templates"
    inline = INLINE
    # Emails are no web pages (their CSS is inlined for mail clients, css-inline).
    found = [
        f"{path.relative_to(templates)}: {match.group()}"
        for path in templates.rglob("*.html")
        if "email" not in path.relative_to(templates).parts
        for match in inline.finditer(path.read_text())
    ]
    assert found == []


@pytest.mark.django_db
def test_rendered_pages_have_only_json_ld_inline(client, site_tree):
    """What the templates render, tags included: the JSON-LD blocks that `json_ld` writes
    are the only script elements without a src, and nothing else is inline."""
    practice = PracticePageFactory(parent=site_tree["en"].practices, title="Budgets", slug="b")
    practice.save_revision().publish()
    thread = ThreadFactory(forum=ForumFactory(name="Budgets", slug="budgets"), title="Schools")
    for url in ("/", "/ar/", practice.url, thread.get_absolute_url(), "/countries/"):
        html = client.get(url).content.decode()
        assert INLINE.findall(html) == [], url
    assert '<script type="application/ld+json">' in client.get(practice.url).content.decode()


def test_the_pattern_allows_json_ld_and_nothing_else_inline():
    assert INLINE.findall('<script type="application/ld+json">{}</script>') == []
    assert INLINE.findall('<script src="/static/js/listing.js" defer></script>') == []
    assert INLINE.findall("<script>alert(1)</script>") == ["<script>"]
    assert INLINE.findall('<script type="module">x</script>') == ['<script type="module">']
    assert INLINE.findall('<p style="color:red" onclick="x()">') == [" style=", " onclick="]
