"""The practice and guide listings: searches for one type of item, in the index page's
language until another is chosen, with the search page's filters, facet counts, sorting,
paging and refusal of bad parameters, and a number of queries that does not grow with the
number of items."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from practices.factories import PracticePageFactory
from practices.models import PracticePage
from tests.search.conftest import publish_page

pytestmark = pytest.mark.django_db


def titles(response):
    """The titles listed, in the listing's order."""
    return [item.title for item in response.context["listing"].items]


def facet(response, name):
    groups = response.context["listing"].faceted.facet_groups
    group = next(group for group in groups if group["name"] == name)
    return {option.value: option.count for option in group["options"]}


@pytest.fixture
def library(site_tree):
    """Published in this order, so newest first is the reverse (Amman water apart: it is
    Arabic)."""
    for fields in (
        {
            "title": "Budget Tbilisi",
            "themes": ["participatory-budgeting"],
            "countries": ["GE"],
            "year": 2021,
            "status": PracticePage.Status.COMPLETED,
        },
        {
            "title": "Assembly Skopje",
            "themes": ["deliberation"],
            "countries": ["MK"],
            "year": 2022,
            "status": PracticePage.Status.ONGOING,
        },
        {
            "title": "Solar Krakow",
            "themes": ["green-transition"],
            "countries": ["PL"],
            "year": 2022,
            "status": PracticePage.Status.PLANNED,
        },
        {
            "title": "Youth Batumi",
            "themes": ["youth", "participatory-budgeting"],
            "countries": ["GE", "TR"],
            "year": 2023,
            "status": PracticePage.Status.ONGOING,
        },
    ):
        publish_page(site_tree, "en", **fields)
    publish_page(
        site_tree,
        "ar",
        title="Amman water",
        themes=["basic-services"],
        countries=["JO", "IQ", "TR"],
        year=2021,
    )
    # Never published: a draft.
    PracticePageFactory(parent=site_tree["en"].practices, title="Draft practice", live=False)
    return site_tree


NEWEST_FIRST = ["Youth Batumi", "Solar Krakow", "Assembly Skopje", "Budget Tbilisi"]


def test_default_listing_shows_published_practices_of_the_index_locale_newest_first(
    client, library
):
    response = client.get("/practices/")
    assert response.status_code == 200
    assert titles(response) == NEWEST_FIRST
    assert response.context["listing"].count == 4
    assert "Draft practice" not in response.content.decode()


def test_a_theme_includes_every_theme_below_it(client, library):
    response = client.get("/practices/?theme=citizen-participation")
    assert titles(response) == ["Youth Batumi", "Assembly Skopje", "Budget Tbilisi"]
    assert titles(client.get("/practices/?theme=deliberation")) == ["Assembly Skopje"]


def test_repeated_country_is_or_and_different_filters_are_and(client, library):
    assert titles(client.get("/practices/?country=MK&country=pl")) == [
        "Solar Krakow",
        "Assembly Skopje",
    ]
    assert titles(client.get("/practices/?country=GE&country=PL&year=2022")) == ["Solar Krakow"]


def test_year_and_status_filters(client, library):
    assert titles(client.get("/practices/?year=2021")) == ["Budget Tbilisi"]
    assert titles(client.get("/practices/?status=ongoing")) == ["Youth Batumi", "Assembly Skopje"]
    assert titles(client.get("/practices/?status=ongoing&status=planned")) == [
        "Youth Batumi",
        "Solar Krakow",
        "Assembly Skopje",
    ]


def test_language_is_the_index_locale_until_another_or_all_is_chosen(client, library):
    assert titles(client.get("/practices/?language=ar")) == ["Amman water"]
    assert titles(client.get("/practices/?language=all&country=TR")) == [
        "Amman water",
        "Youth Batumi",
    ]
    assert titles(client.get("/ar/practices/")) == ["Amman water"]


def test_facet_counts(client, library):
    response = client.get("/practices/")
    themes = facet(response, "theme")
    # A practice counts once under each of its themes and each theme above them: Youth
    # Batumi (participatory budgeting and youth) counts once under citizen participation.
    assert themes == {
        "citizen-participation": 3,
        "participatory-budgeting": 2,
        "deliberation": 1,
        "green-transition": 1,
        "youth": 1,
    }
    assert facet(response, "country") == {"GE": 2, "MK": 1, "PL": 1, "TR": 1}
    assert facet(response, "year") == {"2023": 1, "2022": 2, "2021": 1}
    assert facet(response, "status") == {"ongoing": 2, "completed": 1, "planned": 1}
    # "All languages" counts every language's practices.
    assert facet(response, "language") == {"all": 5, "en": 4, "ar": 1}
    groups = response.context["listing"].faceted.facet_groups
    assert [group["name"] for group in groups] == [
        "theme",
        "country",
        "year",
        "status",
        "label",
        "language",
    ]
    # No practice here holds the quality label.
    assert facet(response, "label") == {}
    language = next(group for group in groups if group["name"] == "language")
    assert [option.value for option in language["options"] if option.selected] == ["en"]


def test_facet_counts_apply_the_other_filters_but_not_their_own(client, library):
    response = client.get("/practices/?country=GE")
    # Counts of other countries stay visible so a visitor can widen the choice...
    assert facet(response, "country") == {"GE": 2, "MK": 1, "PL": 1, "TR": 1}
    # ... while the other facets count only Georgian practices.
    assert facet(response, "year") == {"2023": 1, "2021": 1}
    assert facet(response, "status") == {"ongoing": 1, "completed": 1}
    assert facet(response, "language") == {"all": 2, "en": 2}
    # Only Arabic and English practices are in Turkey: the language facet says so.
    assert facet(client.get("/practices/?country=TR"), "language") == {"all": 2, "en": 1, "ar": 1}


def test_active_filters_can_be_removed(client, library):
    response = client.get("/practices/?country=GE&year=2021")
    removals = {
        item["label"]: item["remove_url"]
        for item in response.context["listing"].faceted.active_filters
    }
    # The index locale's language is the default, not a filter to remove.
    assert removals == {"Georgia": "/practices/?year=2021", "2021": "/practices/?country=GE"}
    assert titles(client.get(removals["Georgia"])) == ["Budget Tbilisi"]
    everything = client.get("/practices/?language=all").context["listing"].faceted
    assert [(f["label"], f["remove_url"]) for f in everything.active_filters] == [
        ("All languages", "/practices/")
    ]


# Each bad parameter: a 400 whose message names it, and the default listing beside it.
BAD_PARAMETERS = [
    ("theme=nope", "theme", "Unknown theme: “nope”."),
    ("country=XX", "country", "“XX” is not an ISO 3166-1 alpha-2 country code."),
    ("year=abc", "year", "“abc” is not a year."),
    ("status=lost", "status", "Unknown status: “lost”."),
    ("language=zz", "language", "Unknown language: “zz”."),
    ("sort=up", "sort", "Unknown sort: “up”."),
    ("page=abc", "page", "“abc” is not a whole number."),
    ("page=0", "page", "Give a number from 1 to 10000."),
    ("type=guide", "type", "This list has no “type” filter."),
    ("theme=a'%20OR%201=1", "theme", "Unknown theme: “a' or 1=1”."),
    ("country=" + "G" * 5000, "country", "is not an ISO 3166-1 alpha-2 country code."),
    ("year=99999999999999999999", "year", "“99999999999999999999” is not a year."),
    ("year=%C2%B9", "year", "“¹” is not a year."),
]


@pytest.mark.parametrize(("query", "parameter", "message"), BAD_PARAMETERS)
def test_bad_parameters_are_refused_with_a_message(client, library, query, parameter, message):
    response = client.get(f"/practices/?{query}")
    assert response.status_code == 400
    listing = response.context["listing"]
    assert listing.error.parameter == parameter
    assert message in listing.error.message
    assert escape(listing.error.message) in response.content.decode()
    assert titles(response) == NEWEST_FIRST


def test_empty_parameters_are_no_filter(client, library):
    for query in ["country=", "theme=", "language=", "sort=", "year=", "status="]:
        response = client.get(f"/practices/?{query}")
        assert response.status_code == 200, query
        assert titles(response) == NEWEST_FIRST, query


def test_a_nul_in_a_parameter_is_refused_as_the_search_page_refuses_it(client, library):
    for name in ["country", "theme", "language", "sort"]:
        response = client.get(f"/practices/?{name}=%00")
        assert response.status_code == 400, name
        assert "U+0000" in response.content.decode(), name


def test_guide_listing_has_no_status_filter(client, site_tree):
    publish_page(site_tree, "en", kind="guide", title="How to budget", year=2020)
    response = client.get("/guides/")
    assert titles(response) == ["How to budget"]
    groups = response.context["listing"].faceted.facet_groups
    assert [group["name"] for group in groups] == ["theme", "country", "year", "language"]
    refused = client.get("/guides/?status=ongoing")
    assert refused.status_code == 400
    assert refused.context["listing"].error.message == "This list has no “status” filter."


def test_sorting_by_title_and_newest(client, library):
    assert titles(client.get("/practices/?sort=title")) == [
        "Assembly Skopje",
        "Budget Tbilisi",
        "Solar Krakow",
        "Youth Batumi",
    ]
    assert titles(client.get("/practices/?sort=newest")) == NEWEST_FIRST
    sorts = client.get("/practices/?sort=title").context["listing"].faceted.sort_options
    assert [(s["value"], s["url"], s["selected"]) for s in sorts] == [
        ("newest", "/practices/", False),
        ("title", "/practices/?sort=title", True),
    ]


@pytest.fixture
def many(site_tree):
    for number in range(30):
        publish_page(site_tree, "en", title=f"Practice {number:02d}", countries=["GE"])
    return site_tree


def test_pagination(client, many):
    first = client.get("/practices/?sort=title")
    listing = first.context["listing"]
    assert listing.count == 30
    assert titles(first) == [f"Practice {n:02d}" for n in range(12)]
    assert [link["number"] for link in listing.faceted.page_links] == [1, 2, 3]
    assert listing.faceted.next_url == "/practices/?sort=title&page=2"
    assert 'rel="next"' in first.content.decode()
    third = client.get("/practices/?sort=title&page=3")
    assert titles(third) == [f"Practice {n}" for n in range(24, 30)]
    assert third.context["listing"].faceted.next_url == ""
    # Past the last page: no items, and links back to the pages that have some.
    beyond = client.get("/practices/?sort=title&page=4")
    assert beyond.status_code == 200
    assert titles(beyond) == []
    assert [link["number"] for link in beyond.context["listing"].faceted.page_links] == [1, 2, 3]


def _queries_for_listing(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    ["/practices/", "/practices/?country=GE&theme=citizen-participation&language=all"],
)
def test_query_count_does_not_grow_with_the_number_of_items(client, site_tree, url):
    for _ in range(3):
        publish_page(site_tree, "en", themes=["youth", "deliberation"], countries=["GE", "PL"])
    client.get(url)  # warm per-process caches (site root paths, content types)
    with_three = _queries_for_listing(client, url)
    for _ in range(27):
        publish_page(site_tree, "en", themes=["youth", "deliberation"], countries=["GE", "PL"])
    # 30 items fill three pages; only the first 12 are shown, as 3 were shown before.
    assert _queries_for_listing(client, url) == with_three


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_listed_card_names_the_themes_and_countries_the_page_has(site_tree, language):
    """A listing reads its cards' themes and countries as rows of labels and codes
    (`practices.cards`), not through the pages' relations: the card is the same one, with
    the first three themes in their order and language and the first three countries."""
    from django.utils import translation

    from practices.templatetags.library_tags import library_card
    from search.backends import get_search_backend
    from search.backends.base import SearchQuery
    from search.indexing import items_of

    publish_page(
        site_tree,
        "en",
        title="Four of each",
        themes=["youth", "deliberation", "participatory-budgeting", "basic-services"],
        countries=["TR", "GE", "MK", "PL"],
    )
    hits = get_search_backend().search(SearchQuery(types=("practice",))).hits
    with translation.override(language):
        [listed] = items_of(hits)
        assert listed.card_taxonomy.country_codes == ["GE", "MK", "PL", "TR"]
        own = PracticePage.objects.get(pk=listed.pk)
        assert not hasattr(own, "card_taxonomy")
        expected = library_card({"request": None}, own)
        themes = [theme.label() for theme in own.themes.all()]
        assert listed.card_taxonomy.theme_labels == themes
        assert len(set(themes)) == 4
        assert all(escape(label) in expected for label in themes[:3])
        assert escape(themes[3]) not in expected
        assert library_card({"request": None}, listed) == expected
