"""The facet tally (`search.schema.TALLY_TABLE`), kept by triggers on the match table: after
every kind of change it equals a count made from the match rows, and the listings it
answers get the same totals and facet counts as counting their matches gives."""

import datetime

import pytest
from django.db import connection
from wagtail.models import PageViewRestriction

from search.backends.base import SearchQuery
from search.backends.database import DatabaseBackend
from search.schema import MATCH_TABLE, TALLY_TABLE
from taxonomy.models import Country, Theme

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the facet tally is PostgreSQL's match table's"
    ),
]

# A window no item falls out of: a search with it counts its matches (the tally answers no
# search within a time window), so it gives the counts the tally must equal.
FAR_FUTURE = datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC)


def kept():
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT object_type, language, with_code, code, count FROM {TALLY_TABLE} "
            "WHERE count <> 0"
        )
        return sorted(cursor.fetchall())


def recounted():
    """Per type and language, how many rows carry each code (with code 0), and each code
    with each other one."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.object_type, m.language, w.code, e.code, count(*) "
            f"FROM {MATCH_TABLE} m, unnest(m.facets) AS e(code), "
            "unnest(array_prepend(0::smallint, m.facets)) AS w(code) GROUP BY 1, 2, 3, 4"
        )
        return sorted(cursor.fetchall())


def as_counted(query):
    """`query`'s total and facet counts as counting its matches gives them."""
    windowed = SearchQuery(**{**query.__dict__, "published_until": FAR_FUTURE})
    return DatabaseBackend().search(windowed)


def summary(response):
    facets = {
        facet: sorted((value.value, value.count) for value in values)
        for facet, values in response.facets.items()
    }
    return response.total, [hit.key for hit in response.hits], facets


def test_the_tally_follows_publishing_editing_restricting_and_deleting(publish, site_tree):
    assert kept() == recounted() == []
    first = publish("en", title="Street lighting audit", countries=["GE", "PL"], themes=["youth"])
    publish("pl", title="Budżet obywatelski", countries=["PL"])
    guide = publish("en", kind="guide", title="Running a citizens' jury")
    assert kept() == recounted() != []

    first.countries.set([Country.objects.get(code="MT")])
    first.themes.set([Theme.objects.get(slug="deliberation")])
    first.save_revision().publish()
    assert kept() == recounted()

    guide.unpublish()
    assert kept() == recounted()

    restriction = PageViewRestriction.objects.create(
        page=site_tree["en"].practices, restriction_type=PageViewRestriction.LOGIN
    )
    assert kept() == recounted()
    restriction.delete()
    assert kept() == recounted()

    first.delete()
    assert kept() == recounted()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {MATCH_TABLE} SET language = 'ro'")
    assert kept() == recounted()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE search_searchdocument")
    assert kept() == recounted() == []


@pytest.fixture
def library(publish):
    publish("en", title="Street lighting audit", countries=["GE", "PL"], themes=["youth"])
    publish("en", title="Youth council", countries=["GE"], themes=["youth"], status="ongoing")
    publish(
        "en", title="Green roofs", countries=["FR"], themes=["green-transition"], status="planned"
    )
    publish("pl", title="Budżet obywatelski", countries=["PL"], themes=["youth"])
    publish("en", kind="guide", title="Running a citizens' jury", themes=["youth"])


LISTINGS = {
    "practices in English": SearchQuery(
        types=("practice",), languages=("en",), sort="newest", page_size=2
    ),
    "practices in every language": SearchQuery(types=("practice",), sort="newest"),
    "every item": SearchQuery(sort="newest"),
    "no such language": SearchQuery(types=("practice",), languages=("tr",), sort="newest"),
    "a theme's section": SearchQuery(
        types=("practice",),
        languages=("en",),
        themes=("youth",),
        sort="newest",
        with_facets=False,
    ),
    "a country's section": SearchQuery(
        types=("practice",), countries=("PL",), sort="newest", with_facets=False
    ),
    "a country no item has": SearchQuery(
        types=("practice",), countries=("ZW",), sort="newest", with_facets=False
    ),
    "practices of a theme": SearchQuery(
        types=("practice",), languages=("en",), themes=("youth",), sort="newest"
    ),
    "practices of a theme in a country": SearchQuery(
        types=("practice",), languages=("en",), themes=("youth",), countries=("GE",)
    ),
    "items of a country and status, every language": SearchQuery(
        countries=("PL",), statuses=("ongoing",), sort="newest"
    ),
    "a theme and a country no item has": SearchQuery(
        types=("practice",), languages=("en",), themes=("youth",), countries=("ZW",)
    ),
    "a year": SearchQuery(types=("practice",), years=(2024,), sort="newest"),
}


@pytest.mark.parametrize("name", LISTINGS)
def test_a_listing_read_from_the_tally_equals_the_counted_one(library, name):
    query = LISTINGS[name]
    assert DatabaseBackend()._tally_filter(query, DatabaseBackend().parse(query)) is not None
    assert summary(DatabaseBackend().search(query)) == summary(as_counted(query))


def test_a_listing_read_from_the_tally_has_the_counts_of_its_items(library):
    response = DatabaseBackend().search(LISTINGS["practices in English"])
    assert response.total == 3
    assert len(response.hits) == 2
    facets = {
        facet: {value.value: value.count for value in values}
        for facet, values in response.facets.items()
    }
    assert facets["country"] == {"GE": 2, "PL": 1, "FR": 1}
    assert facets["language"] == {"en": 3, "pl": 1}
    assert facets["type"] == {"practice": 3, "guide": 1}
    assert facets["status"] == {"ongoing": 2, "planned": 1}
    section = DatabaseBackend().search(LISTINGS["a theme's section"])
    assert (section.total, len(section.hits)) == (2, 2)
    both = DatabaseBackend().search(LISTINGS["practices of a theme in a country"])
    facets = {
        facet: {value.value: value.count for value in values}
        for facet, values in both.facets.items()
    }
    assert both.total == 2
    assert facets["country"] == {"GE": 2, "PL": 1}
    assert facets["theme"] == {"youth": 2}
    assert facets["language"] == {"en": 2}
    assert facets["status"] == {"ongoing": 2}


def test_two_values_count_the_types_and_languages_their_filters_leave_out(library, publish):
    """The rows carrying both values come in several types and languages: the type's counts
    keep the language filter and the language's the type filter."""
    publish("en", kind="guide", title="Lighting guide", countries=["PL"], themes=["youth"])
    query = SearchQuery(
        types=("practice",), languages=("en",), themes=("youth",), countries=("PL",)
    )
    assert DatabaseBackend()._tally_filter(query, DatabaseBackend().parse(query)) is not None
    response = DatabaseBackend().search(query)
    assert summary(response) == summary(as_counted(query))
    facets = {
        facet: {value.value: value.count for value in values}
        for facet, values in response.facets.items()
    }
    assert response.total == 1
    assert facets["type"] == {"practice": 1, "guide": 1}
    assert facets["language"] == {"en": 1, "pl": 1}
    assert facets["country"] == {"GE": 2, "PL": 1}


def test_searches_the_tally_cannot_answer_count_their_matches(library):
    backend = DatabaseBackend()
    for query in (
        SearchQuery(text="youth", types=("practice",)),
        SearchQuery(types=("practice",), countries=("GE", "PL"), with_facets=False),
        SearchQuery(themes=("youth",), countries=("GE",), statuses=("ongoing",)),
        SearchQuery(types=("practice",), organisations=("someone",)),
    ):
        assert backend._tally_filter(query, backend.parse(query)) is None
    query = SearchQuery(types=("practice",), countries=("GE", "PL"), with_facets=False)
    assert backend.search(query).total == 3
