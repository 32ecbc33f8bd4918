"""Issue 14, "A map": the world map of practices drawn by the site from the vendored Natural
Earth outlines, each country with practices a link to its page and shaded by their number,
with a table alternative; the countries index with every country's count from one query."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practices.factories import PracticePageFactory
from practices.models import PracticePage
from taxonomy.world_map import country_shapes, equal_earth, shade, shade_legend

pytestmark = pytest.mark.django_db


def publish(page):
    page.save_revision().publish()
    return page


@pytest.fixture
def practices(site_tree):
    """Poland 3 (two English, one Polish), Georgia 1, Malta 1 (too small for the map), and a
    draft in France that counts nowhere."""
    for parent, countries in (
        (site_tree["en"].practices, ["PL"]),
        (site_tree["en"].practices, ["PL", "GE"]),
        (site_tree["pl"].practices, ["PL"]),
        (site_tree["en"].practices, ["MT"]),
    ):
        publish(PracticePageFactory(parent=parent, countries=countries))
    PracticePageFactory(parent=site_tree["en"].practices, countries=["FR"], live=False)


def the_map(html, map_id):
    start = html.index(f'aria-labelledby="{map_id}-title"')
    start = html.rindex("<svg", 0, start)
    return ET.fromstring(html[start : html.index("</svg>", start) + len("</svg>")])


def linked_countries(svg):
    return {
        link.get("href"): {
            "class": link.get("class"),
            "label": link.get("aria-label"),
            "title": link.find("title").text,
            "path": link.find("path").get("d"),
        }
        for link in svg.iter("a")
    }


def table_rows(html, start_marker):
    start = html.index(start_marker)
    table = html[html.index("<tbody>", start) : html.index("</tbody>", start)]
    return re.findall(r'<a href="([^"]+)">([^<]+)</a></th><td class="number">(\d+)</td>', table)


def test_the_outlines_come_from_the_vendored_natural_earth_data():
    drawing = country_shapes()
    codes = {shape.code for shape in drawing.shapes}

    assert drawing.width == 960 and 420 < drawing.height < 470
    assert {"PL", "GE", "MK", "JO", "RO", "TR", "XK", "US", "BR"} <= codes
    assert "AQ" not in codes  # Antarctica is left out
    assert len(codes - {""}) > 170
    poland = next(shape for shape in drawing.shapes if shape.code == "PL")
    assert re.fullmatch(r"(M\d+,\d+( \d+,\d+)+Z)+", poland.path)
    # Poland lies right of the centre (east of Greenwich) and in the top half.
    xs = [int(x) for x in re.findall(r"(\d+),\d+", poland.path)]
    ys = [int(y) for y in re.findall(r"\d+,(\d+)", poland.path)]
    assert 470 < min(xs) < max(xs) < 580 and max(ys) < drawing.height / 2


def test_no_outline_is_drawn_across_the_map():
    """Russia and Fiji cross the antimeridian: drawn flat, a ring jumping from 180° to -180°
    would be a band across the world."""
    widths = {}
    for shape in country_shapes().shapes:
        for ring in shape.path.split("Z")[:-1]:
            xs = [int(x) for x in re.findall(r"(\d+),\d+", ring)]
            widths[shape.code] = max(widths.get(shape.code, 0), max(xs) - min(xs))
    assert max(widths.values()) < 480
    assert widths["FJ"] < 20
    assert widths["RU"] > 300


def test_the_projection_is_equal_earth():
    assert equal_earth(0, 0) == (0, 0)
    x, y = equal_earth(180, 0)
    assert round(x, 4) == 2.7066 and y == 0
    assert round(equal_earth(0, 90)[1], 4) == 1.3174


def test_shades_grow_with_the_number_of_practices():
    assert [shade(count) for count in (0, 1, 2, 3, 9, 10, 30, 99, 100, 5000)] == [
        0, 1, 1, 2, 2, 3, 4, 4, 5, 5,
    ]  # fmt: skip
    assert shade_legend() == [(1, 1, 2), (2, 3, 9), (3, 10, 29), (4, 30, 99), (5, 100, None)]


def test_counts_per_country_take_one_query(practices, django_assert_num_queries):
    # One for all the counts; Wagtail's public() first reads the pages' view restrictions.
    with django_assert_num_queries(2):
        counts = PracticePage.count_by_country()

    assert counts == {"PL": 3, "GE": 1, "MT": 1}


def test_the_countries_index_has_the_map_and_every_country_with_its_count(client, practices):
    response = client.get("/countries/")

    assert response.status_code == 200
    html = response.content.decode()
    links = linked_countries(the_map(html, "countries-map"))
    assert set(links) == {"/countries/pl/", "/countries/ge/"}
    assert links["/countries/pl/"]["class"] == "world-map__country shade-2"
    assert links["/countries/pl/"]["label"] == "Poland: 3 practices"
    assert links["/countries/ge/"]["label"] == "Georgia: 1 practice"
    assert links["/countries/ge/"]["class"] == "world-map__country shade-1"
    # Malta is too small for the 1:110m outlines: named under the map instead.
    assert 'Too small to show at this scale: <a href="/countries/mt/">Malta</a> (1)' in html
    # The table: every country, by name.
    assert table_rows(html, 'id="country-list-heading"') == [
        ("/countries/ge/", "Georgia", "1"),
        ("/countries/mt/", "Malta", "1"),
        ("/countries/pl/", "Poland", "3"),
    ]
    assert "5 practices from 3 countries" in html


def test_the_countries_index_queries_do_not_grow_with_the_countries(
    client, site_tree, django_assert_max_num_queries
):
    publish(PracticePageFactory(parent=site_tree["en"].practices, countries=["PL"]))
    client.get("/countries/")  # warm the per-process caches (outlines, locales)
    with CaptureQueriesContext(connection) as one_country:
        client.get("/countries/")
    for code in ("GE", "RO", "TR", "JO", "IQ", "MK", "BA"):
        publish(PracticePageFactory(parent=site_tree["en"].practices, countries=[code]))
    with django_assert_max_num_queries(len(one_country.captured_queries)):
        response = client.get("/countries/")
    assert len(table_rows(response.content.decode(), 'id="country-list-heading"')) == 8


def test_the_countries_index_in_arabic_links_to_arabic_pages(client, practices):
    html = client.get("/ar/countries/").content.decode()

    links = linked_countries(the_map(html, "countries-map"))
    assert links["/ar/countries/pl/"]["title"] == "بولندا: 3"
    # The map is not mirrored: it is a map, not text.
    assert 'direction="ltr"' in html[html.index('aria-labelledby="countries-map-title"') - 200 :]


def test_the_home_page_shows_the_map_with_a_table_and_a_link_to_the_index(client, practices):
    html = client.get("/").content.decode()

    links = linked_countries(the_map(html, "home-map"))
    assert set(links) == {"/countries/pl/", "/countries/ge/"}
    assert links["/countries/pl/"]["path"] == next(
        shape.path for shape in country_shapes().shapes if shape.code == "PL"
    )
    assert '<a class="skip-map" href="#home-map-table">' in html
    assert table_rows(html, 'id="home-map-table"') == [
        ("/countries/pl/", "Poland", "3"),
        ("/countries/ge/", "Georgia", "1"),
        ("/countries/mt/", "Malta", "1"),
    ]
    assert '<a href="/countries/">All countries</a>' in html


def test_without_practices_the_index_says_so(client, site_tree):
    response = client.get("/countries/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "No practice has been published yet." in html
    assert "world-map__drawing" not in html
