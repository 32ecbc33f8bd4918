"""Every public page takes a small, fixed number of queries: the same for a library of a few
items as for one of many (no query per item, per theme, per country, per member or per
post), for an anonymous visitor, with the page cache off (tests/test_page_cache.py tests
the cache). Each page's count is pinned: a change that adds a query to a page says so
here."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forums.factories import ForumFactory, PostFactory, ThreadFactory
from home.models import HomePage
from members.factories import MembershipFactory, ProfileFactory, UserFactory
from members.models import Organisation
from newsletters.models import NewsletterArchivePage, NewsletterIssuePage
from practices.models import GuideRelatedPractice
from search import facet_codes
from tests.search.conftest import publish_page

pytestmark = pytest.mark.django_db

# Queries of each page for an anonymous visitor, per database (the search backends read
# their facet counts each their own way). Every page reads the site, the locale and its
# sections (header and footer) and the site settings; Wagtail pages also their ancestors and
# view restrictions; practice and guide pages read more: the cited revision, lineage,
# quality reviews, questions asked about them and related items.
EXPECTED = {
    "home": 24,
    "practice list": 18,
    "practice list filtered": 19,
    "practice": 32,
    "guide list": 18,
    "guide": 25,
    "search": 6,
    "search filtered": 7,
    "search api": 3,
    "theme": 20,
    "country": 19,
    "countries": 4,
    "organisation": 22,  # 5 of them find its peers (practices.peers.MAX_QUERIES)
    "member": 6,
    "forum index": 4,
    "forum": 7,
    "thread": 8,
    "newsletter archive": 11,
}
EXPECTED_ON = {
    # PostgreSQL ranks text matches in tiers (titles first, then the rest), a query each,
    # and names the facet codes of the counts with one more; related items read their
    # facet codes first.
    "postgresql": {
        "practice": 33,
        "guide": 26,
        "search": 10,
        "search filtered": 11,
        "search api": 7,
        "theme": 18,
        "country": 17,
    },
    "sqlite": {},
}

THEMES = ["participatory-budgeting", "youth", "deliberation", "green-transition"]
COUNTRIES = ["GE", "PL", "RO", "MK", "TR", "JO"]


def queries_for(client, url):
    # PostgreSQL's backend names facet codes it has not seen in this process with a query:
    # every measure starts from a process that has seen none, so counts do not depend on
    # the tests that ran before.
    facet_codes._decoded.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), [query["sql"] for query in captured]


def add_items(site_tree, ctx, count, start):
    """`count` practices and as many guides, each with several themes, countries and
    partners, linked to each other; forum threads with posts; members of the organisation
    whose page is measured, with posts of the member whose page is measured; newsletter
    issues."""
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
            lead_organisation=ctx["organisation"] if number % 2 else lead,
        )
        practice.partner_organisations.add(partner, ctx["organisation"])
        practice.save_revision().publish()
        practices.append(practice)
        guide = publish_page(
            site_tree,
            kind="guide",
            title=f"Guide budget {number}",
            themes=themes,
            countries=countries,
            lead_organisation=ctx["organisation"] if number % 2 else lead,
        )
        for related in practices[-3:]:
            GuideRelatedPractice.objects.create(page=guide, practice=related)
        member = UserFactory()
        ProfileFactory(user=member)
        MembershipFactory(user=member, organisation=ctx["organisation"])
        thread = ThreadFactory(
            forum=ForumFactory(), themes=themes, countries=countries, author=member
        )
        PostFactory(thread=thread, author=member)
        PostFactory(thread=thread, author=UserFactory())
        PostFactory(thread=ctx["thread"], author=ctx["member"])
        issue = NewsletterIssuePage(
            title=f"Issue {number}", slug=f"issue-{number}", introduction="<p>News.</p>"
        )
        ctx["archive"].add_child(instance=issue)
        issue.save_revision().publish()
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
    "countries": lambda ctx: "/countries/",
    "organisation": lambda ctx: f"/organisations/{ctx['organisation'].slug}/",
    "member": lambda ctx: f"/people/{ctx['member'].pk}/",
    "forum index": lambda ctx: "/forums/",
    "forum": lambda ctx: ctx["forum"].get_absolute_url(),
    "thread": lambda ctx: ctx["thread"].get_absolute_url(),
    "newsletter archive": lambda ctx: ctx["archive"].url,
}


def measure(client, ctx):
    """{page: (queries, their SQL)}, each page requested once before it is measured (the
    per-process caches: site root paths, content types, settings)."""
    counts = {}
    for name, url_of in PAGES.items():
        url = url_of(ctx)
        client.get(url)
        counts[name] = queries_for(client, url)
    return counts


def test_every_page_takes_the_same_pinned_number_of_queries_at_two_sizes(client, site_tree):
    organisation = Organisation.objects.create(name="Busy town", slug="busy-town")
    member = UserFactory()
    ProfileFactory(user=member)
    MembershipFactory(user=member, organisation=organisation)
    forum = ForumFactory(slug="busy")
    thread = ThreadFactory(forum=forum, themes=THEMES[:2], countries=COUNTRIES[:2], author=member)
    PostFactory(thread=thread, author=member)
    home = HomePage.objects.get(locale__language_code="en")
    archive = NewsletterArchivePage(title="Newsletter", slug="newsletter")
    home.add_child(instance=archive)
    archive.save_revision().publish()
    ctx = {
        "organisation": organisation,
        "member": member,
        "forum": forum,
        "thread": thread,
        "archive": archive,
    }
    first = add_items(site_tree, ctx, 2, 0)
    guide = publish_page(site_tree, kind="guide", title="The guide", themes=THEMES)
    GuideRelatedPractice.objects.create(page=guide, practice=first[0])
    ctx.update(practice=first[0], guide=guide)
    home.featured_collections = [
        ("collection", {"title": "A", "description": "", "items": [first[0], guide]})
    ]
    home.save_revision().publish()
    few = measure(client, ctx)

    more = add_items(site_tree, ctx, 5, 2)
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
    assert NewsletterIssuePage.objects.live().count() == 7
    many = measure(client, ctx)

    expected = {**EXPECTED, **EXPECTED_ON[connection.vendor]}
    wrong = {
        name: (few[name][0], many[name][0], expected[name])
        for name in PAGES
        if not few[name][0] == many[name][0] == expected[name]
    }
    details = "\n\n".join(
        f"{name}: {counts} (few, many, expected)\n" + "\n".join(many[name][1])
        for name, counts in wrong.items()
    )
    assert wrong == {}, details
