"""The country and theme pages: searches for the newest practices and guides with the
country or theme (a theme includes the themes below it), in the visitor's language or, when
it has none, in every language."""

import pytest

from tests.search.conftest import publish_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(site_tree):
    """Published in this order: newest first is the reverse."""
    publish_page(
        site_tree,
        "en",
        title="Budget in Tbilisi",
        countries=["GE"],
        themes=["participatory-budgeting"],
    )
    publish_page(
        site_tree, "en", title="Assembly in Batumi", countries=["GE"], themes=["deliberation"]
    )
    publish_page(
        site_tree, "en", title="Solar in Krakow", countries=["PL"], themes=["green-transition"]
    )
    publish_page(
        site_tree, "en", kind="guide", title="Guide for Georgia", countries=["GE"], themes=["youth"]
    )
    publish_page(site_tree, "ar", title="مياه عمّان", countries=["JO"], themes=["basic-services"])
    return site_tree


def titles(section):
    return [item.title for item in section["items"]]


def test_country_page_lists_its_practices_and_guides(client, content):
    response = client.get("/countries/ge/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Georgia" in html
    assert "Budget in Tbilisi" in html and "Assembly in Batumi" in html
    assert "Guide for Georgia" in html
    assert "Solar in Krakow" not in html
    assert titles(response.context["practices"]) == ["Assembly in Batumi", "Budget in Tbilisi"]
    assert titles(response.context["guides"]) == ["Guide for Georgia"]
    assert response.context["practices"]["count"] == 2
    assert response.context["practices"]["all_languages"] is False
    assert response.context["practices"]["listing_url"] == "/practices/?country=GE"
    assert response.context["guides"]["listing_url"] == "/guides/?country=GE"


def test_country_page_falls_back_to_every_language(client, content):
    response = client.get("/countries/jo/")
    section = response.context["practices"]
    assert section["all_languages"] is True
    assert titles(section) == ["مياه عمّان"]
    assert section["count"] == 1
    assert section["listing_url"] == "/practices/?country=JO&language=all"
    # Following the link really lists it.
    listing = client.get(section["listing_url"]).context["listing"]
    assert [item.title for item in listing.items] == ["مياه عمّان"]
    # No guide in any language: an empty section without a link.
    assert response.context["guides"] == {
        "items": [],
        "count": 0,
        "all_languages": True,
        "listing_url": "",
    }


def test_country_page_in_arabic_lists_the_arabic_practice(client, content):
    response = client.get("/ar/countries/jo/")
    assert response.status_code == 200
    section = response.context["practices"]
    assert section["all_languages"] is False
    assert titles(section) == ["مياه عمّان"]
    assert section["listing_url"] == "/ar/practices/?country=JO"
    html = response.content.decode()
    assert 'dir="rtl"' in html[:400]
    assert "مياه عمّان" in html


def test_theme_page_includes_sub_themes(client, content):
    response = client.get("/themes/citizen-participation/")
    assert response.status_code == 200
    assert titles(response.context["practices"]) == ["Assembly in Batumi", "Budget in Tbilisi"]
    assert response.context["practices"]["count"] == 2
    assert titles(response.context["guides"]) == []
    html = response.content.decode()
    assert 'href="/themes/participatory-budgeting/"' in html  # sub-theme links
    assert "/practices/?theme=citizen-participation" in html


def test_sub_theme_page_lists_only_its_items_and_links_to_its_parent(client, content):
    response = client.get("/themes/deliberation/")
    assert titles(response.context["practices"]) == ["Assembly in Batumi"]
    assert response.context["practices"]["listing_url"] == "/practices/?theme=deliberation"
    assert 'href="/themes/citizen-participation/"' in response.content.decode()


def test_unknown_country_or_theme_is_a_404(client, site_tree):
    for url in ["/countries/xx/", "/countries/zzz/", "/themes/nope/", "/ar/countries/%00/"]:
        assert client.get(url).status_code == 404, url


def test_country_and_theme_pages_in_every_language(client, content, settings):
    """Each UI language's pages name the country and theme in that language and, with no
    item in it, show the English ones (the Arabic ones: none has the country or theme)."""
    for code, _name in settings.LANGUAGES:
        prefix = "" if code == "en" else f"/{code}"
        country = client.get(f"{prefix}/countries/ge/")
        assert country.status_code == 200, code
        assert country.context["country"].code == "GE"
        assert titles(country.context["practices"]) == [
            "Assembly in Batumi",
            "Budget in Tbilisi",
        ], code
        assert country.context["practices"]["all_languages"] is (code != "en"), code
        theme = client.get(f"{prefix}/themes/youth/")
        assert theme.status_code == 200, code
        assert titles(theme.context["guides"]) == ["Guide for Georgia"], code
        assert titles(theme.context["practices"]) == [], code


def test_the_remembered_theme_and_country_show_a_change_at_once(
    client, content, content_memo, commit
):
    from taxonomy.models import Theme

    assert "Budget in Tbilisi" in client.get("/countries/ge/").content.decode()
    theme = Theme.objects.get(slug="participatory-budgeting")
    first = client.get("/themes/participatory-budgeting/").content.decode()
    assert client.get("/themes/participatory-budgeting/").content.decode() == first
    with commit():
        theme.description = "Residents decide part of the budget, a new description."
        theme.save()
        Theme.objects.create(name="Youth budgets", slug="youth-budgets", parent=theme)
    html = client.get("/themes/participatory-budgeting/").content.decode()
    assert "a new description" in html and "Youth budgets" in html
