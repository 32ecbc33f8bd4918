"""The read API: lists filter as the search page does and page with next/previous links;
details of every kind; what is not public is never there; the schema is served."""

import re

import pytest
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def keys(data):
    return [result["key"] for result in data["results"]]


@pytest.mark.parametrize(
    "endpoint, object_type, params",
    [
        ("practices", "practice", {"q": "well repair"}),
        ("practices", "practice", {"q": "well", "country": "ge"}),
        ("practices", "practice", {"theme": "citizen-participation", "sort": "title"}),
        ("practices", "practice", {"year": ["2021", "2022"], "sort": "newest"}),
        ("practices", "practice", {"language": "ka"}),
        ("practices", "practice", {"organisation": "ozurgeti-water-office", "language": "all"}),
        ("practices", "practice", {"status": "ongoing", "q": "repair"}),
        ("guides", "guide", {"q": "well"}),
        ("organisations", "organisation", {"q": "ozurgeti"}),
        ("threads", "thread", {"country": "GE"}),
    ],
)
def test_lists_are_the_searches_of_their_type(client, library, endpoint, object_type, params):
    search = client.get("/api/search/", {**params, "type": object_type}).json()

    response = client.get(f"/api/{endpoint}/", params)

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == search["count"] > 0
    assert [result["url"] for result in data["results"]] == [
        result["url"] for result in search["results"]
    ]
    assert {result["type"] for result in data["results"]} == {object_type}


def test_a_type_parameter_does_not_widen_a_list(client, library):
    data = client.get("/api/guides/", {"q": "well", "type": "practice"}).json()
    assert {result["type"] for result in data["results"]} == {"guide"}


def test_list_entries_have_the_export_columns_and_their_detail(client, library):
    practice = library["georgian"]

    data = client.get("/api/practices/", {"language": "ka"}).json()

    assert data["count"] == 1
    entry = data["results"][0]
    assert entry == {
        "key": f"practice:{practice.pk}:ka",
        "type": "practice",
        "id": practice.pk,
        "language": "ka",
        "title": "ჭის შეკეთება",
        "summary": "სოფლის ჭები",  # the escape character dropped
        "url": "http://testserver" + practice.get_url(),
        "countries": ["GE"],
        "themes": ["participatory-budgeting", "citizen-participation"],
        "year": 2024,
        "status": "ongoing",
        "organisation": "ozurgeti-water-office",
        "organisation_name": "Ozurgeti Water Office",
        "source": "",
        "published_at": entry["published_at"],
        "detail": f"http://testserver/api/practices/{practice.pk}/",
    }
    assert entry["published_at"].startswith(str(practice.first_published_at.date()))
    assert client.get(entry["detail"]).json()["title"] == "ჭის შეკეთება"


def test_pages_link_to_their_neighbours(client, library):
    first = client.get("/api/practices/", {"q": "well", "page_size": 2, "sort": "title"}).json()

    assert first["count"] == 5
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/practices/?page=2&page_size=2&q=well&sort=title"
    second = client.get(first["next"]).json()
    assert second["previous"] == "http://testserver/api/practices/?page_size=2&q=well&sort=title"
    third = client.get(second["next"]).json()
    assert third["next"] is None
    assert third["previous"] == first["next"]
    titles = [r["title"] for page in (first, second, third) for r in page["results"]]
    assert titles == [f"Well repair {number}" for number in range(5)]
    assert client.get(second["previous"]).json() == first


@pytest.mark.parametrize(
    "params, parameter, message",
    [
        ({"country": "XX"}, "country", "“XX” is not an ISO 3166-1 alpha-2 country code."),
        ({"page": "0"}, "page", "Give a number from 1 to 10000."),
        ({"page_size": "abc"}, "page_size", "“abc” is not a whole number."),
        ({"theme": "nope"}, "theme", "Unknown theme: “nope”."),
        ({"page": "200", "page_size": "100"}, "page", "Only the first 10,000 results"),
    ],
)
def test_bad_parameters_are_refused_with_a_message(client, library, params, parameter, message):
    response = client.get("/api/practices/", params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["parameter"] == parameter
    assert response.json()["error"].startswith(message)


def test_practice_detail(client, library):
    practice = library["practices"][1]

    data = client.get(f"/api/practices/{practice.pk}/").json()

    lead = library["lead"]
    assert data["id"] == practice.pk
    assert data["title"] == "Well repair 1"
    assert data["language"] == "en"
    assert data["url"] == "http://testserver" + practice.get_url()
    assert data["summary"] == "Residents of village 1 repair wells together."
    assert data["themes"] == ["participatory-budgeting"]
    assert data["countries"] == ["GE"]
    assert data["year"] == 2021
    assert data["status"] == "ongoing"
    assert data["lead_organisation"] == {
        "id": lead.pk,
        "slug": "ozurgeti-water-office",
        "name": "Ozurgeti Water Office",
        "detail": f"http://testserver/api/organisations/{lead.pk}/",
    }
    assert data["partner_organisations"] == []
    assert "contact_email" not in str(data)


def test_guide_organisation_and_thread_details(client, library):
    guide = client.get(f"/api/guides/{library['guide'].pk}/").json()
    assert guide["title"] == "Well repair guide"
    assert guide["audience"] == "Village councils"

    lead = library["lead"]
    organisation = client.get(f"/api/organisations/{lead.pk}/").json()
    assert organisation["name"] == "Ozurgeti Water Office"
    assert organisation["city"] == "Ozurgeti"
    assert organisation["description"] == "Runs the town's wells."  # the bell dropped
    assert organisation["kind"] == "municipality"
    assert "contact_email" not in organisation

    thread = library["thread"]
    data = client.get(f"/api/threads/{thread.pk}/").json()
    assert data["title"] == "Well repair questions"
    assert data["forum"] == {"slug": thread.forum.slug, "name": thread.forum.name}
    assert data["countries"] == ["GE"]
    assert data["post_count"] == 2
    assert [post["text"] for post in data["posts"]] == [
        "Opening post of Well repair questions.",
        "Which pumps last?",
    ]
    assert data["url"] == "http://testserver" + thread.get_absolute_url()


@pytest.mark.parametrize(
    "path",
    [
        "/api/practices/{hidden}/",
        "/api/practices/{withdrawn}/",
        "/api/threads/{unopened}/",
        "/api/guides/{practice}/",  # a practice is no guide
        "/api/practices/9223372036854775807/",
        "/api/practices/99999999999999999999999/",
    ],
)
def test_what_is_not_public_is_not_found(client, library, path):
    url = path.format(
        hidden=library["hidden"].pk,
        withdrawn=library["withdrawn"].pk,
        unopened=library["unopened"].pk,
        practice=library["practices"][0].pk,
    )

    response = client.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["detail"]


def test_lists_never_hold_what_is_not_public(client, library):
    practices = client.get("/api/practices/", {"q": "well", "page_size": 100}).json()
    threads = client.get("/api/threads/", {"q": "well"}).json()

    assert sorted(r["title"] for r in practices["results"]) == [
        f"Well repair {number}" for number in range(5)
    ]
    assert [r["title"] for r in threads["results"]] == ["Well repair questions"]


def test_schema_is_served_and_describes_every_operation(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    # Raises on any departure from the OpenAPI 3 specification.
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert {
        (path, method) for path, operations in schema["paths"].items() for method in operations
    } == {
        (f"/api/{kind}/{suffix}", "get")
        for kind in ("practices", "guides", "organisations", "threads")
        for suffix in ("", "{id}/")
    }


def test_schema_lists_the_values_filters_accept(client, library):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    parameters = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/practices/"]["get"]["parameters"]
    }
    assert "participatory-budgeting" in parameters["theme"]["items"]["enum"]
    assert "GE" in parameters["country"]["items"]["enum"]
    assert parameters["language"]["items"]["enum"][-1] == "all"
    assert parameters["status"]["items"]["enum"] == ["completed", "ongoing", "planned"]


def test_docs_page_loads_its_assets_from_the_site(client):
    response = client.get("/api/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<style" not in html
    scripts = re.findall(r"<script([^>]*)>", html)
    assert len(scripts) == 3
    assert all(
        'src="/static/' in attributes or 'src="/api/docs/?' in attributes for attributes in scripts
    )
    script = client.get("/api/docs/", {"script": ""})
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()
