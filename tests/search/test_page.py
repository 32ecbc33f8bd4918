"""The search page, its feed, and the related-items template tag."""

import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template

from tests.search.conftest import publish_page, shared_data

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def library(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker) as trees:
        pages = {
            "amman": publish_page(
                trees,
                "ar",
                title="الموازنة التشاركية في عمّان",
                summary="مشاركة السُّكَّان في قرارات المدينة",
                themes=["participatory-budgeting"],
                countries=["JO"],
                year=2021,
            ),
            "irbid": publish_page(
                trees,
                "ar",
                title="مجالس الأحياء في إربد",
                summary="السكان يقررون أولويات المدينة",
                themes=["participatory-budgeting"],
                countries=["JO"],
                year=2022,
            ),
            "beirut": publish_page(
                trees,
                "ar",
                title="بلدية بيروت والمدينة المفتوحة",
                summary="بيانات المدينة للجميع",
                themes=["transparency-accountability"],
                countries=["LB"],
                year=2020,
            ),
        }
        for number in range(23):
            pages[f"market{number}"] = publish_page(
                trees, "en", title=f"Market square {number}", summary="Weekly market pilot."
            )
        yield pages


def test_search_page_renders_results_with_facets(client, library):
    response = client.get("/ar/search/", {"q": "المدينة"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert library["amman"].title in html
    assert "<mark>المدينة</mark>" in html
    # Facets with counts, as plain GET form controls.
    assert 'name="country" value="JO"' in html
    assert 'name="country" value="LB"' in html
    assert 'href="/ar/search/feed/?q=' in html
    assert response.context["response"].total == 3


def test_facet_filter_narrows_and_keeps_other_values(client, library):
    response = client.get("/ar/search/", {"q": "المدينة", "country": "LB"})
    assert response.context["response"].total == 1
    html = response.content.decode()
    assert library["beirut"].title in html
    assert library["amman"].title not in html
    faceted = response.context["faceted"]
    country = next(g for g in faceted.facet_groups if g["name"] == "country")
    assert {o.value: (o.count, o.selected) for o in country["options"]} == {
        "JO": (2, False),
        "LB": (1, True),
    }
    # A link drops the filter again.
    assert faceted.active_filters[0]["remove_url"].endswith(
        "?q=%D8%A7%D9%84%D9%85%D8%AF%D9%8A%D9%86%D8%A9"
    )


def test_pagination_and_sort_links(client, library):
    response = client.get("/search/", {"q": "market", "page": 2})
    assert response.status_code == 200
    context = response.context
    assert context["response"].total == 23
    assert context["faceted"].last_page == 2
    assert len(context["response"].hits) == 3
    assert context["faceted"].previous_url == "/search/?q=market"
    html = response.content.decode()
    assert 'rel="prev"' in html
    assert "/search/?q=market&amp;sort=newest" in html


def test_no_results_offers_ways_out(client, library):
    response = client.get("/ar/search/", {"q": "المدينة", "country": "JO", "year": "2020"})
    assert response.status_code == 200
    assert response.context["response"].total == 0
    html = response.content.decode()
    assert 'class="drop-filters"' in html
    assert "related-themes" in html
    assert "/search/?theme=participatory-budgeting" in html


def test_invalid_parameters_render_the_page_with_a_message(client, library):
    response = client.get("/search/", {"q": "market", "page_size": "1000"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("text", ['"', "((", "'; DROP TABLE x; --", "😀", "\x00", "x" * 6000])
def test_hostile_text_on_the_page(client, library, text):
    assert client.get("/search/", {"q": text}).status_code in (200, 400)


def test_atom_feed_of_the_search(client, library):
    response = client.get("/search/feed/", {"q": "market"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 23
    assert entries[0].find(f"{ATOM}title").text.startswith("Market square")
    assert client.get("/search/feed/", {"country": "nowhere"}).status_code == 400


def test_related_items_tag(client, library):
    template = Template("{% load search_tags %}{% related_items page %}")
    html = template.render(Context({"page": library["amman"]}))
    assert library["irbid"].title in html  # same language, same theme and country
    assert library["beirut"].title not in html  # shares neither
    assert library["market0"].title not in html  # another language
