"""The country and theme pages."""

import pytest

from practices.factories import GuidePageFactory, PracticePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(site_tree):
    PracticePageFactory(
        parent=site_tree["en"].practices,
        title="Budget in Tbilisi",
        countries=["GE"],
        themes=["participatory-budgeting"],
    )
    PracticePageFactory(
        parent=site_tree["en"].practices,
        title="Assembly in Batumi",
        countries=["GE"],
        themes=["deliberation"],
    )
    PracticePageFactory(
        parent=site_tree["en"].practices,
        title="Solar in Krakow",
        countries=["PL"],
        themes=["green-transition"],
    )
    GuidePageFactory(
        parent=site_tree["en"].guides, title="Guide for Georgia", countries=["GE"], themes=["youth"]
    )
    PracticePageFactory(
        parent=site_tree["ar"].practices,
        title="مياه عمّان",
        countries=["JO"],
        themes=["basic-services"],
    )
    return site_tree


def test_country_page_lists_its_practices_and_guides(client, content):
    response = client.get("/countries/ge/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Georgia" in html
    assert "Budget in Tbilisi" in html and "Assembly in Batumi" in html
    assert "Guide for Georgia" in html
    assert "Solar in Krakow" not in html
    assert response.context["practices"]["count"] == 2
    assert response.context["practices"]["listing_url"] == "/practices/?country=GE"
    assert response.context["guides"]["listing_url"] == "/guides/?country=GE"


def test_country_page_falls_back_to_every_language(client, content):
    response = client.get("/countries/jo/")
    section = response.context["practices"]
    assert section["all_languages"] is True
    assert [item.title for item in section["items"]] == ["مياه عمّان"]
    assert section["listing_url"] == "/practices/?country=JO&language=all"
    # Following the link really lists it.
    listing = client.get(section["listing_url"]).context["listing"]
    assert [item.title for item in listing.items] == ["مياه عمّان"]


def test_country_page_in_arabic_lists_the_arabic_practice(client, content):
    response = client.get("/ar/countries/jo/")
    assert response.status_code == 200
    assert response.context["practices"]["all_languages"] is False
    assert 'dir="rtl"' in response.content.decode()[:400]


def test_theme_page_includes_sub_themes(client, content):
    response = client.get("/themes/citizen-participation/")
    assert response.status_code == 200
    titles = {item.title for item in response.context["practices"]["items"]}
    assert titles == {"Budget in Tbilisi", "Assembly in Batumi"}
    assert response.context["practices"]["count"] == 2
    html = response.content.decode()
    assert 'href="/themes/participatory-budgeting/"' in html  # sub-theme links
    assert "/practices/?theme=citizen-participation" in html


def test_sub_theme_page(client, content):
    response = client.get("/themes/deliberation/")
    assert [item.title for item in response.context["practices"]["items"]] == ["Assembly in Batumi"]
    assert 'href="/themes/citizen-participation/"' in response.content.decode()


def test_unknown_country_or_theme_is_a_404(client, site_tree):
    for url in ["/countries/xx/", "/countries/zzz/", "/themes/nope/", "/ar/countries/%00/"]:
        assert client.get(url).status_code == 404, url


def test_country_and_theme_pages_in_every_language(client, content, settings):
    for code, _name in settings.LANGUAGES:
        prefix = "" if code == "en" else f"/{code}"
        assert client.get(f"{prefix}/countries/ge/").status_code == 200
        assert client.get(f"{prefix}/themes/youth/").status_code == 200
