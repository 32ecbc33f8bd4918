"""The page cache (pagecache/): anonymous visitors get public pages from Django's cache (a
real LocMemCache here), signed-in people always get their own page, forms on cached pages
carry each visitor's own CSRF token, and every kind of change to what a page shows is
visible at the next request.

Changes are made inside `django_capture_on_commit_callbacks(execute=True)`: the generation
moves on when a change is committed, and a test's transaction is never committed."""

import re

import pytest
from django.core.cache import caches
from django.test import Client

from forums.factories import ForumFactory, PostFactory, ThreadFactory
from home.models import SiteSettings
from members.factories import MembershipFactory, OrganisationFactory, ProfileFactory, UserFactory
from newsletters.models import NewsletterArchivePage, NewsletterIssuePage
from pagecache import memo
from taxonomy.models import Country, Theme
from tests.search.conftest import publish_page

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    # The per-process memos of the content too (theme labels, the header's sections): a
    # change must reach them as it reaches the cached pages.
    settings.CONTENT_MEMO = True
    memo.forget()
    for alias in ("default", "pages_local"):
        caches[alias].clear()
    yield
    memo.forget()
    for alias in ("default", "pages_local"):
        caches[alias].clear()


def cached_state(response):
    return response.get("X-Page-Cache")


@pytest.fixture
def practice(site_tree, commit):
    organisation = OrganisationFactory(
        name="Municipality of Tetovo", contact_email="office@tetovo.example"
    )
    with commit():
        return publish_page(
            site_tree,
            title="Budgeting in Tetovo",
            themes=["youth"],
            countries=["MK"],
            lead_organisation=organisation,
        )


def test_a_second_anonymous_visit_is_served_from_the_cache_without_a_query(
    client, practice, django_assert_num_queries
):
    first = client.get(practice.url)
    assert cached_state(first) == "miss"

    with django_assert_num_queries(0):
        second = Client().get(practice.url)

    assert cached_state(second) == "hit"
    assert second.status_code == 200
    assert "Budgeting in Tetovo" in second.content.decode()
    assert "Cookie" in second["Vary"]
    assert "Content-Security-Policy" in second


def test_each_language_and_each_query_string_is_its_own_entry(client, practice):
    client.get("/practices/")
    assert cached_state(client.get("/practices/?country=MK")) == "miss"
    assert cached_state(client.get("/ar/practices/")) == "miss"
    assert cached_state(client.get("/practices/?country=MK")) == "hit"
    assert cached_state(client.get("/ar/practices/")) == "hit"


def test_the_healthz_view_is_never_cached(client):
    assert client.get("/healthz").content == b"ok"
    assert cached_state(client.get("/healthz")) is None


def test_each_visitor_gets_their_own_csrf_token_on_a_cached_form(practice, smtp_server, commit):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    token_first = CSRF_INPUT.search(first.get(practice.url).content.decode()).group(1)
    page = second.get(practice.url)
    assert cached_state(page) == "hit"
    token_second = CSRF_INPUT.search(page.content.decode()).group(1)

    assert "placeholder" not in token_second
    assert token_second != token_first
    assert "csrftoken" in page.cookies

    contact = practice.url + practice.reverse_subpage("contact")
    form = {
        "name": "Ana",
        "email": "ana@example.org",
        "message": "How did you choose the neighbourhoods for the first round?",
        "website": "",
    }
    with commit():
        sent = second.post(contact, {**form, "csrfmiddlewaretoken": token_second})
    assert sent.status_code == 302
    assert len(smtp_server.messages) == 1
    # Back on the page with the message: that visit is not from the cache, nor cached.
    after = second.get(sent["Location"])
    assert cached_state(after) is None
    assert "Thank you. Your message has been sent" in after.content.decode()
    assert "Thank you" not in Client().get(practice.url).content.decode()


def test_signed_in_people_get_their_own_page_never_the_cached_one(practice):
    anonymous = Client()
    anonymous.get(practice.url)
    assert cached_state(anonymous.get(practice.url)) == "hit"

    pages = {}
    for username in ("ana", "bogdan"):
        user = UserFactory(username=username, first_name=username.title(), last_name="Test")
        person = Client()
        person.force_login(user)
        pages[username] = person.get(practice.url)
        assert cached_state(pages[username]) is None

    assert "Ana Test" in pages["ana"].content.decode()
    assert "Bogdan Test" not in pages["ana"].content.decode()
    assert "Bogdan Test" in pages["bogdan"].content.decode()
    assert "Ana Test" not in pages["bogdan"].content.decode()
    again = anonymous.get(practice.url).content.decode()
    assert "Ana Test" not in again and "Bogdan Test" not in again
    assert "Sign in" in again


def test_a_signed_in_editor_sees_a_draft_change_only_in_the_preview(practice, commit):
    """Saving a draft changes nothing public: anonymous visitors still get the live page."""
    Client().get(practice.url)
    with commit():
        practice.title = "Draft title nobody should see"
        practice.save_revision()
    page = Client().get(practice.url).content.decode()
    assert "Draft title nobody should see" not in page
    assert "Budgeting in Tetovo" in page


# -- invalidation ---------------------------------------------------------------------------


def test_publishing_shows_at_once(client, site_tree, practice, commit):
    client.get("/practices/")
    client.get("/")
    with commit():
        publish_page(site_tree, title="Solar roofs in Krakow", themes=["youth"], countries=["PL"])
    assert "Solar roofs in Krakow" in client.get("/practices/").content.decode()
    assert "Solar roofs in Krakow" in client.get("/").content.decode()


def test_editing_shows_at_once(client, practice, commit):
    client.get(practice.url)
    client.get("/practices/")
    with commit():
        practice.title = "Youth budgeting in Tetovo"
        practice.save_revision().publish()
    assert "Youth budgeting in Tetovo" in client.get(practice.url).content.decode()
    assert "Youth budgeting in Tetovo" in client.get("/practices/").content.decode()


def test_unpublishing_shows_at_once(client, practice, commit):
    assert client.get(practice.url).status_code == 200
    client.get("/practices/")
    with commit():
        practice.unpublish()
    assert client.get(practice.url).status_code == 404
    assert "Budgeting in Tetovo" not in client.get("/practices/").content.decode()


def test_moving_shows_at_once(client, site_tree, practice, commit):
    old_url = practice.url
    assert client.get(old_url).status_code == 200
    with commit():
        practice.move(site_tree["ro"].practices, pos="last-child")
    practice.refresh_from_db()
    # Wagtail leaves a redirect at the old address, not the cached page.
    moved = client.get(old_url)
    assert (moved.status_code, moved["Location"]) == (301, practice.url)
    assert "Budgeting in Tetovo" in client.get(practice.url).content.decode()


def test_a_relabelled_theme_shows_at_once(client, practice, commit):
    client.get(practice.url)
    client.get("/themes/youth/")
    with commit():
        theme = Theme.objects.get(slug="youth")
        theme.name = "Young people"
        theme.save()
    assert "Young people" in client.get(practice.url).content.decode()
    assert "Young people" in client.get("/themes/youth/").content.decode()
    # The listing's theme facet, whose labels are remembered per process.
    facet = re.search(
        r'value="youth"[^>]*>\s*<span[^>]*>([^<]+)<', client.get("/practices/").content.decode()
    )
    assert facet is not None and facet.group(1).strip() == "Young people"


def test_a_renamed_country_and_organisation_show_at_once(client, practice, commit):
    client.get(practice.url)
    with commit():
        organisation = practice.lead_organisation
        organisation.name = "Opština Tetovo"
        organisation.save()
    assert "Opština Tetovo" in client.get(practice.url).content.decode()
    client.get("/countries/MK/")
    with commit():
        country = Country.objects.get(code="MK")
        country.save()
    assert cached_state(client.get("/countries/MK/")) == "miss"


def test_a_new_forum_post_and_thread_show_at_once(client, commit):
    with commit():
        forum = ForumFactory(name="Budgets", slug="budgets")
        thread = ThreadFactory(forum=forum, title="Where to start")
        PostFactory(thread=thread, body="<p>First</p>")
    client.get(thread.get_absolute_url())
    client.get(forum.get_absolute_url())
    client.get("/forums/")
    with commit():
        PostFactory(thread=thread, body="<p>A reply from Skopje</p>")
    assert "A reply from Skopje" in client.get(thread.get_absolute_url()).content.decode()
    with commit():
        ThreadFactory(forum=forum, title="Second thread")
        PostFactory(thread=forum.threads.get(title="Second thread"))
    assert "Second thread" in client.get(forum.get_absolute_url()).content.decode()
    with commit():
        thread.posts.last().delete()
    assert "A reply from Skopje" not in client.get(thread.get_absolute_url()).content.decode()


def test_a_moved_section_shows_at_once_in_every_header(client, site_tree, practice, commit):
    """The header's sections are remembered per process: the practice library at a new
    address shows in the header of every page."""
    client.get(practice.url)
    client.get("/forums/")
    with commit():
        library = site_tree["en"].practices
        library.slug = "case-studies"
        library.save_revision().publish()
    assert 'href="/case-studies/"' in client.get("/forums/").content.decode()
    assert 'href="/case-studies/"' in client.get("/guides/").content.decode()


def test_a_new_issue_member_and_display_name_show_at_once(client, site_tree, commit):
    with commit():
        home = site_tree["en"].home
        archive = NewsletterArchivePage(title="Newsletter", slug="newsletter")
        home.add_child(instance=archive)
        archive.save_revision().publish()
        organisation = OrganisationFactory(name="Municipality of Ohrid", slug="ohrid")
        ana = UserFactory(username="ana")
        ProfileFactory(user=ana, display_name="Ana from Ohrid")
        MembershipFactory(user=ana, organisation=organisation)
    archive_url = archive.url
    client.get(archive_url)
    client.get("/organisations/ohrid/")
    client.get(f"/people/{ana.pk}/")
    with commit():
        issue = NewsletterIssuePage(
            title="Issue 7: lakeside budgets", slug="issue-7", introduction="<p>News.</p>"
        )
        archive.add_child(instance=issue)
        issue.save_revision().publish()
        bogdan = UserFactory(username="bogdan")
        ProfileFactory(user=bogdan, display_name="Bogdan of Struga")
        MembershipFactory(user=bogdan, organisation=organisation)
        ana.profile.display_name = "Ana Petrovska"
        ana.profile.save()
    assert "Issue 7: lakeside budgets" in client.get(archive_url).content.decode()
    organisation_page = client.get("/organisations/ohrid/").content.decode()
    assert "Bogdan of Struga" in organisation_page
    assert "Ana Petrovska" in organisation_page
    assert "Ana Petrovska" in client.get(f"/people/{ana.pk}/").content.decode()


def test_a_cached_page_carries_the_same_security_headers_as_a_fresh_one(client, practice):
    fresh = client.get(practice.url)
    cached = Client().get(practice.url)
    assert (cached_state(fresh), cached_state(cached)) == ("miss", "hit")
    policy = cached["Content-Security-Policy"]
    assert policy == fresh["Content-Security-Policy"]
    assert "script-src" in policy and "'unsafe-inline'" not in policy.split("script-src")[1]
    for header in ("X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"):
        assert cached.get(header) == fresh.get(header)


def test_site_settings_show_at_once(client, site_tree, commit):
    client.get("/")
    with commit():
        settings_row = SiteSettings.for_site(site_tree["en"].home.get_site())
        settings_row.about = "<p>Run by the association of municipalities.</p>"
        settings_row.save()
    assert "Run by the association of municipalities." in client.get("/").content.decode()


def test_a_sign_in_does_not_empty_the_cache(client, practice, commit):
    client.get(practice.url)
    user = UserFactory(username="reader", password="a-long-password-1")
    with commit():
        Client().login(username="reader", password="a-long-password-1")
    user.refresh_from_db()
    assert user.last_login is not None
    assert cached_state(client.get(practice.url)) == "hit"


# -- with Redis, as in production ----------------------------------------------------------


def started_redis(binary, directory):
    """A redis-server on a free loopback port, once it answers, and its port. Another process
    (CI runs two suites side by side) may take the port between its choice and the bind: the
    server then exits, and another port is tried. The answer must come from this server."""
    import subprocess
    import time

    import redis

    from tests.conftest import _free_port

    for _ in range(5):
        port = _free_port()
        server = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", directory],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + 30
        while server.poll() is None:
            try:
                answering = client.info("server")["process_id"]
            except redis.exceptions.ConnectionError:  # not listening yet
                if time.monotonic() > deadline:
                    server.kill()
                    raise
                time.sleep(0.1)
                continue
            if answering == server.pid:
                client.close()
                return server, port
            break  # another process's server had the port
        client.close()
        server.wait(timeout=10)
    raise RuntimeError("redis-server found no free port in five tries")


@pytest.fixture
def redis_cache(settings, tmp_path):
    """A real redis-server on a free loopback port as Django's default cache."""
    import shutil

    from tests.requirements import skip_unless_available

    binary = shutil.which("redis-server")
    skip_unless_available("redis", binary is not None, "apt-get install redis-server")
    server, port = started_redis(binary, tmp_path)
    local_caches = settings.CACHES
    try:
        settings.CACHES = {
            **local_caches,
            "default": {
                "BACKEND": "config.cache.RedisCache",  # as in production
                "LOCATION": f"redis://127.0.0.1:{port}/0",
            },
        }
        yield caches["default"]
    finally:
        # Back to the memory cache before the server goes: other fixtures clear the cache.
        settings.CACHES = local_caches
        server.terminate()
        server.wait(timeout=10)


def test_pages_are_shared_through_redis_and_a_change_shows_at_once(redis_cache, practice, commit):
    Client().get(practice.url)
    # Another worker: its own memory is empty, the page comes from Redis.
    caches["pages_local"].clear()
    served = Client().get(practice.url)
    assert cached_state(served) == "hit"
    assert redis_cache.get("pagecache:generation") is not None

    with commit():
        practice.title = "Budgeting in Tetovo, second year"
        practice.save_revision().publish()
    changed = Client().get(practice.url)
    assert cached_state(changed) == "miss"
    assert "Budgeting in Tetovo, second year" in changed.content.decode()
