"""Open data: CSV and JSON exports of any search (every result, streamed in batches), their
codebook, and what they never hold."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Group
from django.utils.html import escape
from wagtail.models import PageViewRestriction

from forums.factories import ThreadFactory
from members.factories import OrganisationFactory
from search import export
from tests.search.conftest import publish_page, shared_data

pytestmark = pytest.mark.django_db

CSV_URL = "/search/export.csv"
JSON_URL = "/search/export.json"


@pytest.fixture(scope="module")
def library(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker) as trees:
        practices = [
            publish_page(
                trees,
                "en",
                title=f"Water budget {number}",
                summary=f"Residents of town {number} decide on water works.",
                themes=["participatory-budgeting"],
                countries=["PL"],
                year=2020 + number % 3,
            )
            for number in range(7)
        ]
        yield {
            "practices": practices,
            "georgian": publish_page(
                trees,
                "ka",
                title="წყლის ბიუჯეტი",
                summary="Line one\nline\ttwo\x07 with a bell\x1b and \x85 NEL",
                themes=["participatory-budgeting"],
                countries=["GE"],
                year=2023,
                source_url="https://participedia.net/case/9001",
            ),
            "guide": publish_page(trees, "en", kind="guide", title="Water budget guide"),
            "organisation": OrganisationFactory(name="Water Budget Alliance"),
            "thread": ThreadFactory(title="Water budget questions"),
        }


def rows_of(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def json_of(response):
    return json.loads(b"".join(response.streaming_content).decode("utf-8"))


def search_total(client, **params):
    return client.get("/api/search/", params).json()["count"]


def test_csv_holds_every_result_of_the_search_streamed_in_batches(
    client, library, monkeypatch, django_assert_max_num_queries
):
    # Batches of 3: the 10 results of "water" take 4 of them.
    monkeypatch.setattr(export, "BATCH_SIZE", 3)
    total = search_total(client, q="water")
    assert total == 10

    response = client.get(CSV_URL, {"q": "water"})

    assert response.status_code == 200
    assert response.streaming is True
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="practice-commons-search.csv"'
    assert response["X-Total-Count"] == "10"
    # Each batch: a search (PostgreSQL reads up to three tiers of matches) and one read of
    # its documents, whatever the number of rows.
    with django_assert_max_num_queries(4 * (3 + 1)):
        rows = rows_of(response)
    assert len(rows) == total
    assert len({row["key"] for row in rows}) == total
    assert {row["type"] for row in rows} == {"practice", "guide", "organisation", "thread"}


def test_export_takes_the_search_pages_filters_and_order(client, library):
    params = {"q": "water", "type": "practice", "country": "PL", "sort": "title"}
    page = client.get("/api/search/", {**params, "page_size": 100}).json()

    rows = rows_of(client.get(CSV_URL, params))

    assert len(rows) == page["count"] == 7
    assert [row["url"] for row in rows] == [result["url"] for result in page["results"]]
    assert [row["title"] for row in rows] == [f"Water budget {number}" for number in range(7)]
    assert {row["countries"] for row in rows} == {"PL"}


def test_csv_columns_are_the_codebooks(client, library):
    codebook = client.get("/search/codebook.json").json()
    names = [column["name"] for column in codebook["columns"]]

    response = client.get(CSV_URL, {"q": "წყლის"})
    header = next(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert header == names
    row = rows_of(client.get(CSV_URL, {"q": "წყლის"}))[0]
    georgian = library["georgian"]
    assert row == {
        "key": f"practice:{georgian.pk}:ka",
        "type": "practice",
        "id": str(georgian.pk),
        "language": "ka",
        "title": "წყლის ბიუჯეტი",
        # Control characters are dropped; tab and newline stay.
        "summary": "Line one\nline\ttwo with a bell and  NEL",
        "url": "http://testserver" + georgian.get_url(),
        "countries": "GE",
        "themes": "participatory-budgeting|citizen-participation",
        "year": "2023",
        "status": "ongoing",
        "organisation": "",
        "organisation_name": "",
        "source": "https://participedia.net/case/9001",
        "published_at": row["published_at"],
    }
    assert row["published_at"].startswith(str(georgian.first_published_at.date()))


def test_json_export_has_the_count_the_codebook_and_every_result(client, library, monkeypatch):
    monkeypatch.setattr(export, "BATCH_SIZE", 4)

    response = client.get(JSON_URL, {"q": "water", "type": ["practice", "guide"]})

    assert response.streaming is True
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json_of(response)
    assert data["count"] == 8 == len(data["results"])
    assert data["codebook"] == "http://testserver/search/codebook.json"
    assert data["search"] == "http://testserver/search/?q=water&type=practice&type=guide"
    codebook = {column["name"]: column for column in export.codebook()}
    for result in data["results"]:
        assert list(result) == list(codebook)
        assert isinstance(result["id"], int)
        assert isinstance(result["countries"], list)
        assert isinstance(result["themes"], list)
    guide = next(result for result in data["results"] if result["type"] == "guide")
    assert guide["status"] == ""


def test_json_export_of_a_search_without_results_is_valid_json(client, library):
    data = json_of(client.get(JSON_URL, {"q": "nothing-matches-this"}))
    assert data["count"] == 0
    assert data["results"] == []


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
@pytest.mark.parametrize(
    "params, message",
    [
        ({"country": "ZZZ"}, "is not an ISO 3166-1 alpha-2 country code"),
        ({"theme": "no-such-theme"}, "Unknown theme"),
        ({"sort": "random"}, "Unknown sort"),
        ({"year": "19x"}, "is not a year"),
        ({"q": "x" * 5001}, "The search text is longer than 5,000 characters."),
    ],
)
def test_bad_parameters_get_the_search_pages_message(client, library, url, params, message):
    response = client.get(url, params)

    assert response.status_code == 400
    assert response.streaming is False
    assert response.templates[0].name == "search/search.html"
    assert message in response.content.decode()


def test_search_page_links_to_the_exports_of_the_current_search(client, library):
    response = client.get("/search/", {"q": "water", "country": "PL", "page": "2"})

    html = response.content.decode()
    assert 'href="/search/export.csv?q=water&amp;country=PL"' in html
    assert 'href="/search/export.json?q=water&amp;country=PL"' in html
    assert 'href="/search/codebook/"' in html


def test_codebook_page_describes_every_column(client):
    response = client.get("/search/codebook/")

    html = response.content.decode()
    assert response.status_code == 200
    for column in export.COLUMNS:
        assert f'<tr id="column-{column.name}">' in html
        assert escape(str(column.meaning)) in html


def test_codebook_as_csv_matches_the_json(client):
    columns = client.get("/search/codebook.json").json()["columns"]

    response = client.get("/search/codebook.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode(), newline="")))

    assert [row["name"] for row in rows] == [column["name"] for column in columns]
    assert {row["name"]: row["type"] for row in rows}["countries"] == "array"
    assert {row["name"]: row["example"] for row in rows}["countries"] == "GE|AM"
    assert all(row["meaning"] for row in rows)


def test_unpublished_and_restricted_pages_and_unopened_threads_are_never_exported(
    client, site_tree
):
    public = publish_page(site_tree, "en", title="Reservoir public")
    withdrawn = publish_page(site_tree, "en", title="Reservoir withdrawn")
    withdrawn.unpublish()
    draft = publish_page(site_tree, "en", title="Reservoir draft")
    draft.unpublish()
    draft.save_revision()
    password = publish_page(site_tree, "en", title="Reservoir password")
    PageViewRestriction.objects.create(
        page=password, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    members_only = publish_page(site_tree, "en", title="Reservoir members")
    restriction = PageViewRestriction.objects.create(
        page=members_only, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.create(name="Reservoir keepers")])
    # A thread whose first post is not written yet is no discussion.
    ThreadFactory(title="Reservoir thread", first_post=False)

    rows = rows_of(client.get(CSV_URL, {"q": "reservoir"}))
    data = json_of(client.get(JSON_URL, {"q": "reservoir"}))

    assert [row["title"] for row in rows] == ["Reservoir public"]
    assert [result["title"] for result in data["results"]] == ["Reservoir public"]
    assert data["count"] == 1
    assert public.pk == data["results"][0]["id"]


def test_a_lifted_restriction_brings_the_page_back(client, site_tree):
    page = publish_page(site_tree, "en", title="Reservoir reopened")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    assert rows_of(client.get(CSV_URL, {"q": "reopened"})) == []

    restriction.delete()

    assert [row["title"] for row in rows_of(client.get(CSV_URL, {"q": "reopened"}))] == [
        "Reservoir reopened"
    ]
