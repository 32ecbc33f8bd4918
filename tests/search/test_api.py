"""GET /api/search/: the JSON shape, validation, and text no one should be able to break."""

import pytest

from tests.search.conftest import publish_page, shared_data

pytestmark = pytest.mark.django_db

API = "/api/search/"


@pytest.fixture(scope="module")
def library(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker) as trees:
        yield {
            "tbilisi": publish_page(
                trees,
                "ka",
                title="მონაწილეობითი ბიუჯეტირება თბილისში",
                summary="მოქალაქეები წყვეტენ ქალაქის ბიუჯეტის ნაწილს",
                themes=["participatory-budgeting"],
                countries=["GE"],
                year=2023,
                source_url="https://participedia.net/case/9001",
            ),
            "amman": publish_page(
                trees,
                "ar",
                title="الموازنة التشاركية في عمّان",
                summary="مشاركة السُّكَّان في المدينة",
                themes=["participatory-budgeting"],
                countries=["JO"],
                year=2021,
                source_name="seed-practices-ar.json",
            ),
            "guide": publish_page(
                trees,
                "en",
                kind="guide",
                title="Participatory budgeting step by step",
                summary="A guide for municipalities",
                themes=["participatory-budgeting"],
                countries=["GE", "JO"],
                year=2023,
            ),
        }


def get(client, **params):
    return client.get(API, params)


def test_response_shape(client, library):
    response = get(client, q="participatory budgeting", country="ge")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"count", "backend", "results", "facets"}
    assert data["backend"] == "database"
    assert data["count"] == 2
    result = next(r for r in data["results"] if r["language"] == "ka")
    assert set(result) == {
        "title", "url", "type", "language", "countries", "themes", "snippet", "score", "source"
    }  # fmt: skip
    assert result["title"] == library["tbilisi"].title
    assert result["url"] == "http://testserver" + library["tbilisi"].get_url()
    assert result["type"] == "practice"
    assert result["countries"] == ["GE"]
    assert result["themes"] == ["participatory-budgeting", "citizen-participation"]
    assert result["source"] == "https://participedia.net/case/9001"
    assert isinstance(result["score"], float)
    assert set(data["facets"]) == {
        "theme",
        "country",
        "type",
        "language",
        "year",
        "status",
        "label",
    }
    # One match in Georgia is a practice (factories' default status: ongoing), one a guide,
    # which has no status.
    assert data["facets"]["status"] == [{"value": "ongoing", "label": "Ongoing", "count": 1}]
    countries = {item["value"]: item for item in data["facets"]["country"]}
    assert countries["GE"] == {"value": "GE", "label": "Georgia", "count": 2}
    assert countries["JO"]["count"] == 2  # the guide and the Arabic practice


def test_seed_documents_give_their_file_name_as_source(client, library):
    data = get(client, q="عمان").json()
    assert [r["source"] for r in data["results"]] == ["seed-practices-ar.json"]


def test_repeated_parameters_are_or_within_a_facet(client, library):
    assert get(client, country=["GE", "JO"], type="practice").json()["count"] == 2
    assert get(client, type=["practice", "guide"], year="2023").json()["count"] == 2


def test_facet_labels_follow_the_ui_language(client, library):
    data = client.get("/api/search/", {"ui_language": "ar", "q": "budgeting"}).json()
    countries = {item["value"]: item["label"] for item in data["facets"]["country"]}
    assert countries["GE"] == "جورجيا"


def test_paging(client, library):
    data = get(client, page_size=1, page=2).json()
    assert data["count"] == 3
    assert len(data["results"]) == 1


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "1e3"}, "page"),
        ({"page": "500", "page_size": "100"}, "page"),
        ({"year": "twenty"}, "year"),
        ({"year": "20231"}, "year"),
        ({"type": "event"}, "type"),
        ({"country": "XX"}, "country"),
        ({"country": "Georgia"}, "country"),
        ({"theme": "no-such-theme"}, "theme"),
        ({"language": "xx"}, "language"),
        ({"sort": "random"}, "sort"),
        ({"q": "x" * 5001}, "q"),
    ],
)
def test_invalid_parameters_get_a_400_json_error(client, library, params, parameter):
    response = get(client, **params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["parameter"] == parameter
    assert data["error"]


HOSTILE = [
    '"',
    '"unclosed',
    "((()))",
    "[a] {b} <c>",
    "a & b | !c <-> d:*",
    "AND OR NOT NEAR",
    "title_terms:x",
    "title:x",
    "match_vector @@ 'x'",
    "'; DROP TABLE search_searchdocument; --",
    "1' OR '1'='1",
    "x" * 5000,
    "ab " * 1666,
    "😀👍🏽🇬🇪",
    "\u200f\u202eمدينة\u202c\u200e",
    "\x00",
    "a\x00b\x00",
    "%00%27",
    "%s %d {0} {{x}}",
    "\\\\\\",
    "*",
    "-",
    "--",
    "\ud7ff\ue000\uffff",
    "\t\n\r",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_never_gives_a_500(client, library, text):
    response = get(client, q=text)
    assert response.status_code in (200, 400)
    assert "count" in response.json() or "error" in response.json()


@pytest.mark.parametrize("text", HOSTILE[:12])
def test_hostile_filters_never_give_a_500(client, library, text):
    for name in ("theme", "country", "type", "language", "year", "page", "page_size", "sort"):
        response = get(client, **{name: text})
        assert response.status_code in (200, 400), (name, text)


def test_query_of_5000_characters_is_accepted(client, library):
    response = get(client, q="budgeting " * 499)
    assert response.status_code == 200


def test_only_get(client, library):
    assert client.post(API, {"q": "x"}).status_code == 405


def test_suggest(client, library):
    response = client.get("/api/search/suggest/", {"q": "participatory bud", "language": "en"})
    assert response.status_code == 200
    assert response.json() == {"suggestions": ["Participatory budgeting step by step"]}
    assert client.get("/api/search/suggest/", {"q": "\x00(("}).json() == {"suggestions": []}
    assert client.get("/api/search/suggest/", {"q": "x" * 10_000}).status_code == 200


def test_reading_a_search_without_themes_asks_the_database_nothing(django_assert_num_queries):
    from django.http import QueryDict

    from search.params import parse_search

    with django_assert_num_queries(0):
        query = parse_search(QueryDict("q=budget&country=ge&page=2"))
    assert (query.text, query.countries, query.page) == ("budget", ("GE",), 2)
    with django_assert_num_queries(1):
        parse_search(QueryDict("q=budget&theme=participatory-budgeting"))
