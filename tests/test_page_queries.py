"""Every public page takes a small, fixed number of queries: the same for a library of a few
items as for one of many (no query per item, per theme or per country), for an anonymous
visitor, with the page cache off (tests/test_page_cache.py tests the cache)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forums.factories import ForumFactory, PostFactory, ThreadFactory
from home.models import HomePage
from members.factories import UserFactory
from members.models import Organisation
from practices.models import GuideRelatedPractice
from tests.search.conftest import publish_page

pytestmark = pytest.mark.django_db

# The page's own queries plus the site, the locale and its sections (header and footer), the
# site settings and the page's view restrictions. Practice and guide pages read more: the
# cited revision, lineage, quality reviews, questions asked about them, related items.
MAX_QUERIES = 36
MAX_QUERIES_OF = {"practice": 52, "guide": 40}

THEMES = ["participatory-budgeting", "youth", "deliberation", "green-transition"]
COUNTRIES = ["GE", "PL", "RO", "MK", "TR", "JO"]


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), [query["sql"] for query in captured]


def add_items(site_tree, count, start):
    """`count` practices and as many guides, each with several themes, countries and
    partners, linked to each other, plus forum threads with posts."""
    practices = []
    for number in range(start, start + count):
        lead = Organisation.objects.create(name=f"Lead {number}", slug=f"lead-{number}")
        partner = Organisation.objects.create(name=f"Partner {number}", slug=f"partner-{number}")
        themes = [THEMES[number % 4], THEMES[(number + 1) % 4]]
        countries = [COUNTRIES[number % 6], COUNTRIES[(number + 2) % 6]]
        practice = publish_page(
            site_tree,
            title=f"Practice budget {number}",
            themes=themes,
            countries=countries,
            lead_organisation=lead,
        )
        practice.partner_organisations.add(partner)
        practice.save_revision().publish()
        practices.append(practice)
        guide = publish_page(
            site_tree,
            kind="guide",
            title=f"Guide budget {number}",
            themes=themes,
            countries=countries,
            lead_organisation=lead,
        )
        for related in practices[-3:]:
            GuideRelatedPractice.objects.create(page=guide, practice=related)
        thread = ThreadFactory(forum=ForumFactory(), themes=themes, countries=countries)
        PostFactory(thread=thread, author=UserFactory())
        PostFactory(thread=thread, author=UserFactory())
    return practices


PAGES = {
    "home": lambda ctx: "/",
    "practice list": lambda ctx: "/practices/",
    "practice list filtered": lambda ctx: "/practices/?theme=youth&country=PL&language=all",
    "practice": lambda ctx: ctx["practice"].url,
    "guide list": lambda ctx: "/guides/",
    "guide": lambda ctx: ctx["guide"].url,
    "search": lambda ctx: "/search/?q=budget",
    "search filtered": lambda ctx: "/search/?q=budget&theme=youth&country=PL",
    "search api": lambda ctx: "/api/search/?q=budget",
    "theme": lambda ctx: "/themes/youth/",
    "country": lambda ctx: "/countries/PL/",
    "forum index": lambda ctx: "/forums/",
    "forum": lambda ctx: ctx["forum"].get_absolute_url(),
    "thread": lambda ctx: ctx["thread"].get_absolute_url(),
}


@pytest.mark.parametrize("name", PAGES)
def test_queries_do_not_grow_with_the_library(client, site_tree, name):
    first = add_items(site_tree, 2, 0)
    forum = ForumFactory(slug="busy")
    thread = ThreadFactory(forum=forum, themes=THEMES[:2], countries=COUNTRIES[:2])
    PostFactory(thread=thread)
    guide = publish_page(site_tree, kind="guide", title="The guide", themes=THEMES)
    GuideRelatedPractice.objects.create(page=guide, practice=first[0])
    ctx = {"practice": first[0], "guide": guide, "forum": forum, "thread": thread}
    home = HomePage.objects.get(locale__language_code="en")
    home.featured_collections = [
        ("collection", {"title": "A", "description": "", "items": [first[0], guide]})
    ]
    home.save_revision().publish()
    url = PAGES[name](ctx)
    client.get(url)  # per-process caches (site root paths, content types, settings)
    few, few_sql = queries_for(client, url)

    more = add_items(site_tree, 5, 2)
    for _ in range(5):
        ThreadFactory(forum=forum, themes=THEMES, countries=COUNTRIES)
        PostFactory(thread=thread, author=UserFactory())
    for practice in more:
        GuideRelatedPractice.objects.create(page=guide, practice=practice)
    first[0].partner_organisations.add(*Organisation.objects.filter(slug__startswith="partner"))
    first[0].save_revision().publish()
    home.featured_collections = [
        ("collection", {"title": "A", "description": "", "items": [*more, guide]}),
        ("collection", {"title": "B", "description": "", "items": more[:5]}),
    ]
    home.save_revision().publish()
    client.get(url)  # publishing emptied the per-process caches
    many, many_sql = queries_for(client, url)

    assert many == few, "\n".join(many_sql)
    assert many <= MAX_QUERIES_OF.get(name, MAX_QUERIES), "\n".join(many_sql)
