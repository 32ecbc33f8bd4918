"""The practice and guide listings: filters, facet counts, pagination, bad input and the
number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practices.factories import GuidePageFactory, PracticePageFactory
from practices.models import PracticePage

pytestmark = pytest.mark.django_db


def titles(response):
    return sorted(item.title for item in response.context["listing"].items)


def facet(response, name):
    listing = response.context["listing"]
    found = next(facet for facet in listing.facets if facet.name == name)
    return {option.value: option.count for option in found.all_options()}


@pytest.fixture
def library(site_tree):
    index = site_tree["en"].practices
    PracticePageFactory(
        parent=index,
        title="Budget Tbilisi",
        themes=["participatory-budgeting"],
        countries=["GE"],
        year=2021,
        status=PracticePage.Status.COMPLETED,
    )
    PracticePageFactory(
        parent=index,
        title="Assembly Skopje",
        themes=["deliberation"],
        countries=["MK"],
        year=2022,
        status=PracticePage.Status.ONGOING,
    )
    PracticePageFactory(
        parent=index,
        title="Solar Krakow",
        themes=["green-transition"],
        countries=["PL"],
        year=2022,
        status=PracticePage.Status.PLANNED,
    )
    PracticePageFactory(
        parent=index,
        title="Youth Batumi",
        themes=["youth", "participatory-budgeting"],
        countries=["GE", "TR"],
        year=2023,
        status=PracticePage.Status.ONGOING,
    )
    PracticePageFactory(
        parent=site_tree["ar"].practices,
        title="Amman water",
        themes=["basic-services"],
        countries=["JO", "IQ", "TR"],
        year=2021,
    )
    draft = PracticePageFactory(parent=index, title="Draft practice", countries=["GE"])
    draft.unpublish()
    return site_tree


def test_default_listing_shows_live_practices_of_the_index_locale(client, library):
    response = client.get("/practices/")
    assert response.status_code == 200
    assert titles(response) == ["Assembly Skopje", "Budget Tbilisi", "Solar Krakow", "Youth Batumi"]
    assert b"Draft practice" not in response.content


def test_parent_theme_includes_its_sub_themes(client, library):
    response = client.get("/practices/?theme=citizen-participation")
    assert titles(response) == ["Assembly Skopje", "Budget Tbilisi", "Youth Batumi"]


def test_sub_theme_alone(client, library):
    response = client.get("/practices/?theme=deliberation")
    assert titles(response) == ["Assembly Skopje"]


def test_repeated_country_is_or_and_different_filters_are_and(client, library):
    response = client.get("/practices/?country=MK&country=pl")
    assert titles(response) == ["Assembly Skopje", "Solar Krakow"]
    response = client.get("/practices/?country=GE&country=PL&year=2022")
    assert titles(response) == ["Solar Krakow"]


def test_year_and_status_filters(client, library):
    assert titles(client.get("/practices/?year=2021")) == ["Budget Tbilisi"]
    assert titles(client.get("/practices/?status=ongoing")) == ["Assembly Skopje", "Youth Batumi"]
    assert titles(client.get("/practices/?status=ongoing&status=planned")) == [
        "Assembly Skopje",
        "Solar Krakow",
        "Youth Batumi",
    ]


def test_language_filter_uses_the_page_locale(client, library):
    assert titles(client.get("/practices/?language=ar")) == ["Amman water"]
    everything = client.get("/practices/?language=all&country=TR")
    assert titles(everything) == ["Amman water", "Youth Batumi"]
    assert titles(client.get("/ar/practices/")) == ["Amman water"]


def test_facet_counts(client, library):
    response = client.get("/practices/")
    themes = facet(response, "theme")
    # Youth Batumi has both participatory budgeting and youth: it counts once under the
    # parent theme, next to the deliberation practice and the budgeting one.
    assert themes["citizen-participation"] == 3
    assert themes["participatory-budgeting"] == 2
    assert themes["deliberation"] == 1
    assert themes["green-transition"] == 1
    assert facet(response, "country") == {"GE": 2, "MK": 1, "PL": 1, "TR": 1}
    assert facet(response, "year") == {"2023": 1, "2022": 2, "2021": 1}
    assert facet(response, "status") == {"planned": 1, "ongoing": 2, "completed": 1}
    assert facet(response, "language") == {"all": 5, "en": 4, "ar": 1}


def test_facet_counts_apply_the_other_filters_but_not_their_own(client, library):
    response = client.get("/practices/?country=GE")
    # Counts of other countries stay visible so a visitor can widen the choice...
    assert facet(response, "country") == {"GE": 2, "MK": 1, "PL": 1, "TR": 1}
    # ... while the other facets count only Georgian practices.
    assert facet(response, "year") == {"2023": 1, "2021": 1}
    assert facet(response, "status") == {"planned": 0, "ongoing": 1, "completed": 1}
    assert facet(response, "language") == {"all": 2, "en": 2}
    # Only Arabic and English practices are in Turkey: the language facet says so.
    assert facet(client.get("/practices/?country=TR"), "language") == {"all": 2, "en": 1, "ar": 1}


def test_active_filters_can_be_removed(client, library):
    response = client.get("/practices/?country=GE&year=2021")
    removals = {item.label: item.remove_url for item in response.context["listing"].active_filters}
    assert removals["Georgia"] == "?year=2021"
    assert removals["2021"] == "?country=GE"
    assert titles(client.get("/practices/" + removals["Georgia"])) == ["Budget Tbilisi"]


def test_unknown_filter_values_are_ignored_with_a_message(client, library):
    response = client.get(
        "/practices/?theme=nope&country=XX&country=ge&year=abc&status=lost&language=zz&sort=up"
    )
    assert response.status_code == 200
    assert titles(response) == ["Budget Tbilisi", "Youth Batumi"]
    notices = " ".join(response.context["listing"].notices)
    for value in ("nope", "XX", "abc", "lost", "zz", "up"):
        assert value in notices
    assert b"Ignored unknown" in response.content


MALFORMED_QUERIES = [
    "country=%00",
    "theme=%00",
    "year=%C2%B9",
    "year=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%91",
    "language=%00",
    "sort=%00",
    "country=" + "G" * 5000,
    "theme=a'%20OR%201=1",
    "year=99999999999999999999",
]


def test_malformed_parameters_never_fail(client, library):
    for query in MALFORMED_QUERIES:
        response = client.get(f"/practices/?{query}")
        assert response.status_code == 200, query
        assert response.context["listing"].count == 4, query
        assert response.context["listing"].notices, query


def test_guide_listing_has_no_status_filter(client, site_tree):
    GuidePageFactory(parent=site_tree["en"].guides, title="How to budget", year=2020)
    response = client.get("/guides/?status=ongoing")
    assert response.status_code == 200
    assert titles(response) == ["How to budget"]
    assert [f.name for f in response.context["listing"].facets] == [
        "theme",
        "country",
        "year",
        "language",
    ]


def test_sorting_by_title_and_newest(client, library):
    by_title = client.get("/practices/?sort=title").context["listing"].items
    assert [item.title for item in by_title] == [
        "Assembly Skopje",
        "Budget Tbilisi",
        "Solar Krakow",
        "Youth Batumi",
    ]
    newest = client.get("/practices/").context["listing"].items
    assert newest[0].title == "Youth Batumi"


@pytest.fixture
def many(site_tree):
    index = site_tree["en"].practices
    for number in range(30):
        PracticePageFactory(parent=index, title=f"Practice {number:02d}", countries=["GE"])
    return site_tree


def test_pagination(client, many):
    first = client.get("/practices/?sort=title")
    listing = first.context["listing"]
    assert listing.count == 30
    assert [item.title for item in listing.items][:2] == ["Practice 00", "Practice 01"]
    third = client.get("/practices/?sort=title&page=3").context["listing"]
    assert [item.title for item in third.items] == [f"Practice {n}" for n in range(24, 30)]
    assert b'rel="next"' in first.content


def test_bad_page_numbers_give_a_valid_page(client, many):
    # One fixture of 30 practices serves every case: creating it is the slow part.
    for page in ["0", "-1", "999", "abc", "", "1e9", "%00", "%C2%B9"]:
        response = client.get(f"/practices/?page={page}")
        assert response.status_code == 200, page
        assert len(response.context["listing"].items) > 0, page
    # Past the end is the last page, not an error.
    assert client.get("/practices/?page=999").context["listing"].page.number == 3


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
    index = site_tree["en"].practices
    for _ in range(3):
        PracticePageFactory(parent=index, themes=["youth", "deliberation"], countries=["GE", "PL"])
    client.get(url)  # warm per-process caches (site root paths, content types)
    with_three = _queries_for_listing(client, url)
    for _ in range(27):
        PracticePageFactory(parent=index, themes=["youth", "deliberation"], countries=["GE", "PL"])
    # 30 items fill three pages; only the first 12 are shown, as 3 were shown before.
    assert _queries_for_listing(client, url) == with_three
