"""The home page: featured collections, latest practices, the chart and the theme tiles."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practices.factories import GuidePageFactory, PracticePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def home_content(site_tree):
    index = site_tree["en"].practices
    featured = PracticePageFactory(parent=index, title="Featured practice", countries=["GE"])
    guide = GuidePageFactory(parent=site_tree["en"].guides, title="Featured guide")
    withdrawn = PracticePageFactory(parent=index, title="Withdrawn practice")
    for number in range(3):
        PracticePageFactory(parent=index, title=f"Georgian practice {number}", countries=["GE"])
    PracticePageFactory(
        parent=index, title="Polish practice", countries=["PL"], themes=["green-transition"]
    )
    PracticePageFactory(
        parent=site_tree["ar"].practices, title="ممارسة أردنية", countries=["JO", "GE"]
    )
    home = site_tree["en"].home
    home.featured_collections = [
        (
            "collection",
            {
                "title": "Start here",
                "description": "Editors' picks.",
                "items": [featured, guide, withdrawn],
            },
        ),
    ]
    home.save_revision().publish()
    withdrawn.unpublish()
    return site_tree


def test_home_shows_featured_collection_latest_practices_chart_and_themes(client, home_content):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    collection = html[html.index("Start here") : html.index('id="latest-heading"')]
    assert "Featured practice" in collection and "Featured guide" in collection
    assert "Editors&#x27; picks." in collection
    assert "Withdrawn practice" not in html
    latest = html[html.index('id="latest-heading"') : html.index('id="chart-heading"')]
    assert "Polish practice" in latest
    assert "ممارسة أردنية" not in latest  # latest practices are the locale's own
    # The chart counts practices of every language: Georgia has 4 English + 1 Arabic.
    assert response.context["country_counts"][0] == ("GE", 5)
    start = html.index('class="country-chart"')
    chart = html[start : html.index("</svg>", start)]
    assert chart.count('class="bar"') == 3
    assert "Georgia: 5" in chart and "Poland: 1" in chart
    assert '<a href="/countries/ge/">Georgia</a>' in html  # the table fallback
    tiles = {tile["theme"].slug: tile for tile in response.context["theme_tiles"]}
    # Participatory budgeting (the default theme) is under citizen participation: the
    # featured, three Georgian and the Arabic practice; not the withdrawn one.
    assert tiles["citizen-participation"]["practices"] == 5
    assert tiles["citizen-participation"]["guides"] == 1
    assert tiles["green-transition"]["practices"] == 1
    assert 'href="/themes/green-transition/"' in html


def test_chart_is_mirrored_in_arabic(client, home_content):
    html = client.get("/ar/").content.decode()
    labels = re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="(\w+)"', html)
    # The country label is on the right and hugs the bars, the count on the left.
    assert labels[0][1] == "start" and float(labels[0][0]) > 200
    assert labels[1][1] == "end"


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_locale_renders_the_home_page(client, site_tree, language):
    PracticePageFactory(parent=site_tree[language].practices, title=f"Latest in {language}")
    response = client.get(site_tree[language].home.url)
    assert response.status_code == 200
    html_tag = re.search(rb"<html([^>]*)>", response.content).group(1).decode()
    assert f'lang="{language}"' in html_tag
    assert ('dir="rtl"' if language == "ar" else 'dir="ltr"') in html_tag
    assert f"Latest in {language}".encode() in response.content
    # Header navigation and the language switcher are there in every language.
    assert f'href="{site_tree[language].practices.url}"'.encode() in response.content
    assert b'hreflang="ar"' in response.content


def test_the_remembered_library_shows_a_change_at_once(client, home_content, content_memo, commit):
    first = client.get("/").content.decode()
    with CaptureQueriesContext(connection) as captured:
        again = client.get("/")
    assert again.content.decode() == first
    # The latest practices, the featured pages, the counts and the page's translations are
    # remembered: the page and its stream's chosen pages are read.
    assert len(captured) == 2
    with commit():
        polish = PracticePageFactory(
            parent=home_content["en"].practices, title="Newest practice", countries=["PL"]
        )
    html = client.get("/").content.decode()
    latest = html[html.index('id="latest-heading"') : html.index('id="chart-heading"')]
    assert "Newest practice" in latest
    assert "Poland: 2" in html
    with commit():
        home = home_content["en"].home
        home.featured_collections = [("collection", {"title": "Start here", "items": [polish]})]
        home.save_revision().publish()
    html = client.get("/").content.decode()
    collection = html[html.index("Start here") : html.index('id="latest-heading"')]
    assert "Newest practice" in collection and "Featured practice" not in collection
