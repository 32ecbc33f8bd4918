"""No dead ends (`search.relaxation`) on the database backend, PostgreSQL or SQLite
(DATABASE_URL): a search whose words no item has all of lists the items with most of them,
more first, and says so on the page and in the API; a word indexed nowhere matches the start
of indexed words; two typed words find them written as one, and one typed word finds two
it runs together. In every script of the site's languages (tests/search/dead_ends.py; the
engine answers the same searches in test_elasticsearch_integration.py)."""

import json

import pytest

from search.backends.base import SearchQuery
from tests.search.conftest import publish_page, shared_data
from tests.search.dead_ends import COUNTRY, ITEMS, JOINED, PARTIAL, PREFIX, THEME

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def library(django_db_setup, django_db_blocker):
    """{item name: page}, published once for the module."""
    with shared_data(django_db_blocker) as trees:
        yield {
            name: publish_page(
                trees, language, title=title, summary=summary, themes=[THEME], countries=[COUNTRY]
            )
            for name, (language, title, summary) in ITEMS.items()
        }


def search(backend, text, **options):
    return backend.search(SearchQuery(text=text, **options))


def names(library, response):
    by_title = {page.title: name for name, page in library.items()}
    return [by_title[hit.title] for hit in response.hits]


@pytest.mark.parametrize(("text", "expected", "unmatched"), PARTIAL)
def test_items_with_most_words_come_first_when_none_has_all(
    search_backend, library, text, expected, unmatched
):
    response = search(search_backend, text)

    assert response.match == "partial"
    assert names(library, response) == expected
    assert response.total == len(expected)
    assert response.unmatched_words == unmatched
    two, one = response.hits
    # The score counts the words matched, the usual rank below 1 on top.
    assert int(two.score) == 2 and int(one.score) == 1


@pytest.mark.parametrize(("text", "expected", "marked"), PREFIX)
def test_a_word_indexed_nowhere_matches_the_start_of_words(
    search_backend, library, text, expected, marked
):
    response = search(search_backend, text)

    assert response.match == "all"
    assert names(library, response) == expected
    assert response.unmatched_words == []
    assert f"<mark>{marked}</mark>" in response.hits[0].snippet


@pytest.mark.parametrize(("text", "expected"), JOINED)
def test_words_written_together_or_apart_find_each_other(search_backend, library, text, expected):
    response = search(search_backend, text)

    assert response.match == "all"
    assert names(library, response) == expected


def test_a_search_that_matches_stays_strict(search_backend, library):
    response = search(search_backend, "composting pilot")

    assert (response.match, response.unmatched_words) == ("all", [])
    assert names(library, response) == ["en_two"]


def test_one_word_that_matches_nothing_is_named(search_backend, library):
    response = search(search_backend, "qzxw")

    assert (response.total, response.hits, response.match) == (0, [], "all")
    assert response.unmatched_words == ["qzxw"]


def test_no_partial_answer_when_no_word_matches(search_backend, library):
    response = search(search_backend, "qzxw vvkq")

    assert (response.total, response.match) == (0, "all")
    assert response.unmatched_words == ["qzxw", "vvkq"]


def test_partial_answers_count_facet_and_page_what_they_show(search_backend, library):
    text = "composting neighbours bahçesi qzxw"
    everything = search(search_backend, text, page_size=10)

    assert everything.match == "partial"
    assert names(library, everything)[0] == "en_two"
    assert set(names(library, everything)) == {"en_two", "en_one", "tr_two", "tr_one"}
    assert everything.total == 4
    languages = {value.value: value.count for value in everything.facets["language"]}
    assert languages == {"en": 2, "tr": 2}
    # Page by page, the same order.
    pages = [search(search_backend, text, page=page, page_size=1) for page in range(1, 6)]
    assert [hit.key for page in pages for hit in page.hits] == [hit.key for hit in everything.hits]
    assert {page.total for page in pages} == {4}
    assert all(page.match == "partial" for page in pages)
    # A filter narrows the partial answer, and its facet still counts the other values.
    turkish = search(search_backend, text, languages=("tr",))
    assert turkish.match == "partial"
    assert set(names(library, turkish)) == {"tr_two", "tr_one"}
    assert turkish.total == 2
    assert {value.value: value.count for value in turkish.facets["language"]} == languages


@pytest.mark.parametrize("sort", ["newest", "title"])
def test_items_with_more_words_come_first_in_every_sort(search_backend, library, sort):
    # en_one is newer than en_two and sorts before it by title, but has one word of two.
    response = search(search_backend, "composting neighbours qzxw", sort=sort)

    assert response.match == "partial"
    assert names(library, response) == ["en_two", "en_one"]


def test_the_page_says_the_answer_is_partial(client, library):
    html = client.get("/search/", {"q": "composting neighbours qzxw"}).content.decode()

    assert "No item has every word; these items have most of them" in html
    assert "No match for: qzxw." in html
    assert html.index(library["en_two"].title) < html.index(library["en_one"].title)


def test_the_page_says_nothing_of_the_kind_for_a_search_that_matches(client, library):
    html = client.get("/search/", {"q": "composting pilot"}).content.decode()

    assert library["en_two"].title in html
    assert "No item has every word" not in html
    assert "No match for" not in html


def test_the_page_names_the_word_that_matches_nothing(client, library):
    html = client.get("/search/", {"q": "qzxw"}).content.decode()

    assert "No match for: qzxw." in html
    assert "No item has every word" not in html


def test_the_api_says_the_answer_is_partial(client, library):
    data = client.get("/api/search/", {"q": "јавна скопје жщфх"}).json()

    assert data["match"] == "partial"
    assert data["unmatched_words"] == ["жщфх"]
    assert data["count"] == 2
    assert [item["title"] for item in data["results"]] == [
        library["mk_two"].title,
        library["mk_one"].title,
    ]

    strict = client.get("/api/search/", {"q": "јавна скопје"}).json()
    assert (strict["match"], strict["unmatched_words"], strict["count"]) == ("all", [], 1)


def test_the_read_api_lists_say_the_answer_is_partial(client, library):
    data = client.get("/api/practices/", {"q": "ბაღი მეზობლები ჯჯღღ"}).json()

    assert (data["match"], data["unmatched_words"], data["count"]) == ("partial", ["ჯჯღღ"], 2)
    assert [item["title"] for item in data["results"]] == [
        library["ka_two"].title,
        library["ka_one"].title,
    ]
    strict = client.get("/api/practices/", {"q": "ბაღი მეზობლები"}).json()
    assert (strict["match"], strict["unmatched_words"], strict["count"]) == ("all", [], 1)


def test_the_json_export_says_the_answer_is_partial(client, library):
    response = client.get("/search/export.json", {"q": "حديقة الجيران ظظغغ"})
    data = json.loads(b"".join(response.streaming_content))

    assert (data["match"], data["count"]) == ("partial", 2)
    assert [row["title"] for row in data["results"]] == [
        library["ar_two"].title,
        library["ar_one"].title,
    ]


def test_the_practice_listing_says_the_answer_is_partial(client, library):
    listing = library["en_two"].get_parent().specific
    html = client.get(listing.url, {"q": "composting neighbours qzxw"}).content.decode()

    assert "No item has every word; these items have most of them" in html
    assert "No match for: qzxw." in html
    assert html.index(library["en_two"].title) < html.index(library["en_one"].title)
