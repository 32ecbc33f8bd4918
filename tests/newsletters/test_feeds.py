"""RSS 2.0 and Atom feeds of the latest practices, per theme, per country and of any search,
discoverable from those pages; control characters never break them."""

from xml.etree import ElementTree

import pytest

from tests.search.conftest import publish_page

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def library(site_tree):
    return {
        "budget": publish_page(
            site_tree,
            title="Participatory budgeting in Ozurgeti",
            themes=["participatory-budgeting"],
            countries=["GE"],
        ),
        "solar": publish_page(
            site_tree, title="Solar roofs in Cluj", themes=["green-transition"], countries=["RO"]
        ),
        "guide": publish_page(
            site_tree, kind="guide", title="How to run a budget vote", countries=["GE"]
        ),
    }


def rss_titles(response):
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ElementTree.fromstring(response.content)
    return [item.findtext("title") for item in root.iter("item")]


def atom_titles(response):
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def test_the_latest_practices_in_rss_and_atom(client, library):
    rss = rss_titles(client.get("/feeds/practices/rss/"))
    atom = atom_titles(client.get("/feeds/practices/atom/"))

    assert rss == ["Solar roofs in Cluj", "Participatory budgeting in Ozurgeti"]
    assert atom == rss


def test_per_theme_per_country_and_per_search(client, library):
    assert rss_titles(client.get("/feeds/themes/participatory-budgeting/rss/")) == [
        "Participatory budgeting in Ozurgeti"
    ]
    assert atom_titles(client.get("/feeds/countries/ro/atom/")) == ["Solar roofs in Cluj"]
    assert rss_titles(client.get("/feeds/search/rss/?country=GE&type=guide")) == [
        "How to run a budget vote"
    ]
    assert client.get("/feeds/themes/no-such-theme/rss/").status_code == 404
    assert client.get("/feeds/countries/xx/rss/").status_code == 404
    bad = client.get("/feeds/search/rss/?country=Georgia")
    assert bad.status_code == 400
    assert "is not an ISO 3166-1 alpha-2 country code" in bad.content.decode()


def test_control_characters_are_stripped_from_every_field(client, site_tree):
    publish_page(
        site_tree,
        title="Budget\x01 vote\x0b in Tbilisi",
        summary="A summary\x1f with\x08 control characters.",
        countries=["GE"],
    )

    rss = client.get("/feeds/countries/ge/rss/")
    atom = client.get("/feeds/search/atom/?q=Tbilisi")

    assert rss.status_code == 200
    assert rss_titles(rss) == ["Budget vote in Tbilisi"]
    assert b"\x01" not in rss.content and b"\x1f" not in rss.content
    assert atom.status_code == 200
    assert atom_titles(atom) == ["Budget vote in Tbilisi"]


@pytest.mark.parametrize(
    ("url", "feed"),
    [
        ("/themes/participatory-budgeting/", "/feeds/themes/participatory-budgeting/rss/"),
        ("/countries/ge/", "/feeds/countries/ge/rss/"),
        ("/search/?q=budget&country=GE&page=2", "/feeds/search/rss/?q=budget&amp;country=GE"),
        ("/", "/feeds/practices/rss/"),
    ],
)
def test_pages_link_their_feeds_for_discovery(client, library, url, feed):
    html = client.get(url).content.decode()

    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert f'href="{feed}"' in html
    assert f'href="{feed.replace("/rss/", "/atom/")}"' in html


def test_the_search_pages_own_atom_feed_strips_them_too(client, site_tree):
    publish_page(site_tree, title="Budget\x01 vote in Kutaisi", countries=["GE"])

    response = client.get("/search/feed/?q=Kutaisi")

    assert response.status_code == 200
    assert atom_titles(response) == ["Budget vote in Kutaisi"]
