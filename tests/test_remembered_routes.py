"""Wagtail's routing remembered per content generation (pagecache/routing.py): with
CONTENT_MEMO on and the page cache off, a page's second request skips the routing queries,
and publishing, renaming or unpublishing a page shows at the next request."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from pagecache import generation, memo, routing
from tests.search.conftest import publish_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content_memo")]


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, len(captured)


def test_a_second_request_skips_the_routing_queries(client, site_tree, commit):
    with commit():
        publish_page(site_tree, title="Budgeting in Tetovo", themes=["youth"], countries=["MK"])
    client.get("/practices/")  # the other memos (theme labels, the header's sections)
    memo.forget(routing.KEY_PREFIX)
    first, first_count = queries_of(client, "/practices/")
    second, second_count = queries_of(client, "/practices/")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert "Budgeting in Tetovo" in second.content.decode()
    # The site, the locale, the root page, its localized version, the child and its
    # specific row, then the page's locale: six queries become one (the page by its key,
    # with its locale); and Wagtail's view restriction check (the ancestors' aliases, then
    # the restrictions) reads the remembered ones: two queries become none.
    assert second_count == first_count - 7


def test_renaming_and_unpublishing_show_at_once(client, site_tree, commit):
    practices = site_tree["en"].practices
    assert client.get("/practices/").status_code == 200
    with commit():
        practices.slug = "cases"
        practices.save_revision().publish()
    assert client.get("/cases/").status_code == 200
    # Wagtail's redirect from the old address, not the remembered route.
    moved = client.get("/practices/")
    assert (moved.status_code, moved["Location"]) == (301, "/cases/")
    with commit():
        practices.unpublish()
    assert client.get("/cases/").status_code == 404


def test_each_language_routes_to_its_own_page(client, site_tree):
    english = client.get("/practices/")
    romanian = client.get("/ro/practices/")
    assert english.status_code == romanian.status_code == 200
    assert client.get("/practices/").context["page"].pk == site_tree["en"].practices.pk
    assert client.get("/ro/practices/").context["page"].pk == site_tree["ro"].practices.pk


def test_the_remembered_values_and_routes_are_bounded(client, site_tree, monkeypatch):
    urls = [
        f"{prefix}/{section}/"
        for prefix in ("", "/ro", "/pl")
        for section in ("practices", "guides")
    ]

    def visit():
        for url in urls:
            assert client.get(url).status_code == 200
        return [key for key in memo._entries if key.startswith(routing.KEY_PREFIX)]

    assert len(visit()) == len(urls)
    unbounded = len(memo._entries)
    memo.forget()
    monkeypatch.setattr(memo, "MAX_ENTRIES", unbounded - 2)
    routes = visit()
    assert len(memo._entries) == unbounded - 2
    # The least recently used went: the first two routes.
    assert [key.rsplit(":", 2)[1:] for key in routes] == [
        ["ro", "practices/"],
        ["ro", "guides/"],
        ["pl", "practices/"],
        ["pl", "guides/"],
    ]


def test_a_remembered_route_is_read_again_after_the_memo_seconds(
    client, site_tree, settings, monkeypatch
):
    # With a per-process cache, a change made by another process shows in time.
    settings.CONTENT_MEMO_SECONDS = 60
    assert client.get("/practices/").status_code == 200
    key = next(key for key in memo._entries if key.startswith(routing.KEY_PREFIX))
    assert memo.recall(key, generation.current()) is not memo.MISSING
    later = time.monotonic() + 61
    monkeypatch.setattr(memo.time, "monotonic", lambda: later)
    assert memo.recall(key, generation.current()) is memo.MISSING


def test_a_practice_is_remembered_at_its_own_address_not_its_contact_form(
    client, site_tree, commit
):
    with commit():
        practice = publish_page(site_tree, title="Budgeting in Tetovo", themes=["youth"])
    client.get(practice.url)  # the other memos
    memo.forget(routing.KEY_PREFIX)
    first, first_count = queries_of(client, practice.url)
    second, second_count = queries_of(client, practice.url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert second.context["request"].routable_resolver_match.url_name == "index_route"
    # The site, the locale, the pages down the path with their specific rows, then the
    # page's locale: eight queries become one (the page by its key, with its locale); and
    # the view restriction check's two queries none.
    assert second_count == first_count - 9
    # The contact form's address is still routed by Wagtail: GET goes back to the form.
    contact = client.get(f"{practice.url}contact/")
    assert (contact.status_code, contact["Location"]) == (302, f"{practice.url}#contact")
    routes = [key for key in memo._entries if key.startswith(routing.KEY_PREFIX)]
    assert routes == [f"{routing.KEY_PREFIX}testserver:80:en:{practice.url.lstrip('/')}"]


def test_a_remembered_route_keeps_the_view_restrictions_and_sees_new_ones(
    client, site_tree, commit
):
    with commit():
        practice = publish_page(site_tree, title="Budgeting in Tetovo")
        hidden = publish_page(site_tree, title="Budgeting in Bitola")
        PageViewRestriction.objects.create(
            page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
    # Refused on the request that remembers the route and on the ones that read it.
    for _ in range(3):
        response = client.get(hidden.url)
        assert response.status_code == 200
        assert "Budgeting in Bitola" not in response.content.decode()
        assert 'name="password"' in response.content.decode()
    assert "Budgeting in Tetovo" in client.get(practice.url).content.decode()
    # A restriction added on a section covers its remembered pages at once; removed, they
    # show again.
    with commit():
        section = PageViewRestriction.objects.create(
            page=site_tree["en"].practices,
            restriction_type=PageViewRestriction.LOGIN,
        )
    refused = client.get(practice.url)
    assert refused.status_code == 302
    assert "login/?next=" in refused["Location"]
    with commit():
        section.delete()
    assert "Budgeting in Tetovo" in client.get(practice.url).content.decode()


def site_reads(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query for query in captured if '"wagtailcore_site"' in query["sql"]]


def test_other_views_remember_the_site(client, site_tree, commit):
    client.get("/forums/")
    memo.forget(routing.SITE_KEY_PREFIX)
    first, first_count = queries_of(client, "/forums/")
    second, second_count = queries_of(client, "/forums/")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert second_count == first_count - 1
    assert site_reads(client, "/forums/") == []
    # A change to a site shows at the next request: saving it moves the generation on.
    with commit():
        site = Site.objects.get(is_default_site=True)
        site.site_name = "Renamed"
        site.save()
    assert site_reads(client, "/forums/")  # the site (and its root paths) read afresh
    assert site_reads(client, "/forums/") == []
