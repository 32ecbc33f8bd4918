"""Issue 14, "Discoverable": the XML sitemap with each page's translations, robots.txt, the
canonical URL, Open Graph and Twitter card tags, and schema.org JSON-LD, read back from the
responses (XML and JSON parsed, values checked)."""

import json
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser

import pytest
from wagtail.models import Locale

from forums.factories import ForumFactory, PostFactory, ThreadFactory
from members.factories import OrganisationFactory, UserFactory
from practices.factories import GuidePageFactory, PracticePageFactory
from taxonomy.models import Country

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
# The host of the site's Wagtail Site: page URLs are built from it, so the requests use it too.
HOST = "http://localhost"


@pytest.fixture
def client(client):
    client.defaults["HTTP_HOST"] = "localhost"
    return client


class HeadReader(HTMLParser):
    """The canonical link, the meta tags and the JSON-LD blocks of a page."""

    def __init__(self):
        super().__init__()
        self.canonical = []
        self.meta = {}
        self.meta_lists = {}
        self.json_ld = []
        self.inline_scripts = []
        self._in_ld = False
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            key = attrs.get("property") or attrs.get("name")
            self.meta[key] = attrs.get("content")
            self.meta_lists.setdefault(key, []).append(attrs.get("content"))
        elif tag == "script":
            self._in_ld = attrs.get("type") == "application/ld+json"
            self._in_script = not self._in_ld and "src" not in attrs
            if self._in_ld:
                self.json_ld.append("")

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data
        elif self._in_script:
            self.inline_scripts.append(data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = self._in_script = False


def read_head(response):
    reader = HeadReader()
    reader.feed(response.content.decode())
    reader.data = [json.loads(block) for block in reader.json_ld]
    return reader


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def organisation():
    return OrganisationFactory(
        name="Municipality of Tetovo",
        website="https://tetovo.example",
        country=Country.objects.get(code="MK"),
        city="Tetovo",
        description="A municipality in the north-west.",
    )


@pytest.fixture
def translated_practice(site_tree, organisation):
    english = publish(
        PracticePageFactory(
            parent=site_tree["en"].practices,
            title="Participatory budgeting in Tetovo",
            slug="budgeting-tetovo",
            summary="Residents chose how to spend a share of the budget.",
            countries=["MK"],
            themes=["participatory-budgeting"],
            lead_organisation=organisation,
            start_date=date(2021, 3, 1),
            end_date=date(2022, 6, 30),
            source_url="https://participedia.net/case/1",
        )
    )
    arabic = english.copy_for_translation(Locale.objects.get(language_code="ar"))
    arabic.title = "الموازنة التشاركية في تيتوفو"
    publish(arabic)
    macedonian = english.copy_for_translation(Locale.objects.get(language_code="mk"))
    macedonian.title = "Партиципативно буџетирање во Тетово"
    publish(macedonian)
    return english, arabic, macedonian


def sitemap_urls(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    urls = {}
    for url in root.findall("sm:url", NS):
        location = url.find("sm:loc", NS).text
        urls[location] = {
            "lastmod": getattr(url.find("sm:lastmod", NS), "text", None),
            "alternates": {
                link.get("hreflang"): link.get("href")
                for link in url.findall("xhtml:link", NS)
                if link.get("rel") == "alternate"
            },
        }
    return urls


def test_the_sitemap_lists_every_locales_pages_with_their_translations(
    client, site_tree, translated_practice
):
    english, arabic, macedonian = translated_practice
    draft = PracticePageFactory(parent=site_tree["en"].practices, title="Draft", live=False)

    urls = sitemap_urls(client)

    expected = {
        "en": f"{HOST}{english.url}",
        "ar": f"{HOST}{arabic.url}",
        "mk": f"{HOST}{macedonian.url}",
        "x-default": f"{HOST}{english.url}",
    }
    assert expected["ar"] == f"{HOST}/ar/practices/budgeting-tetovo/"
    # Each translation is listed, and each lists all of them, itself included.
    for language in ("en", "ar", "mk"):
        assert urls[expected[language]]["alternates"] == expected
        assert urls[expected[language]]["lastmod"] == date.today().isoformat()
    # Every locale's home page, with the seven homes as alternates.
    assert urls[f"{HOST}/"]["alternates"]["ka"] == f"{HOST}/ka/"
    assert urls[f"{HOST}/tr/"]["alternates"]["en"] == f"{HOST}/"
    assert len(urls[f"{HOST}/"]["alternates"]) == 8
    assert f"{HOST}{draft.url}" not in urls and not any("Draft" in url for url in urls)


def test_a_page_without_translations_has_no_alternates(client, site_tree):
    alone = publish(PracticePageFactory(parent=site_tree["pl"].practices, title="Sołectwa"))

    urls = sitemap_urls(client)

    assert urls[f"{HOST}{alone.url}"]["alternates"] == {}


def test_the_sitemap_lists_countries_themes_and_threads_in_every_language(
    client, site_tree, translated_practice
):
    thread = ThreadFactory(forum=ForumFactory(name="Budgets"), title="Budgets for schools")

    urls = sitemap_urls(client)

    assert urls[f"{HOST}/countries/"]["alternates"]["ar"] == f"{HOST}/ar/countries/"
    north_macedonia = urls[f"{HOST}/countries/mk/"]
    assert north_macedonia["alternates"]["ka"] == f"{HOST}/ka/countries/mk/"
    assert north_macedonia["alternates"]["x-default"] == f"{HOST}/countries/mk/"
    # Only countries with a published practice.
    assert f"{HOST}/countries/fr/" not in urls
    assert f"{HOST}/themes/participatory-budgeting/" in urls
    thread_url = f"{HOST}{thread.get_absolute_url()}"
    assert urls[thread_url]["alternates"]["tr"] == f"{HOST}/tr{thread.get_absolute_url()}"


def test_the_sitemap_takes_a_fixed_number_of_queries(
    client, site_tree, translated_practice, django_assert_max_num_queries
):
    for _number in range(10):
        publish(PracticePageFactory(parent=site_tree["en"].practices, countries=["PL"]))
    ThreadFactory.create_batch(3)

    with django_assert_max_num_queries(20):
        response = client.get("/sitemap.xml")

    assert response.status_code == 200


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert f"Sitemap: {HOST}/sitemap.xml" in lines


def test_a_practice_has_its_canonical_url_open_graph_and_twitter_tags(client, translated_practice):
    english, arabic, _macedonian = translated_practice

    head = read_head(client.get(english.url + "?utm_source=newsletter&fbclid=abc"))

    canonical = f"{HOST}{english.url}"
    assert head.canonical == [canonical]
    assert head.meta["og:url"] == canonical
    assert head.meta["og:type"] == "article"
    assert head.meta["og:title"] == "Participatory budgeting in Tetovo"
    assert head.meta["og:description"] == "Residents chose how to spend a share of the budget."
    assert head.meta["description"] == head.meta["og:description"]
    assert head.meta["og:site_name"] == "Practice Commons"
    assert head.meta["og:locale"] == "en_GB"
    assert head.meta_lists["og:locale:alternate"] == ["ar_AR", "mk_MK"]
    assert head.meta["twitter:card"] == "summary"
    assert head.meta["twitter:title"] == "Participatory budgeting in Tetovo"

    arabic_head = read_head(client.get(arabic.url))
    assert arabic_head.canonical == [f"{HOST}/ar/practices/budgeting-tetovo/"]
    assert arabic_head.meta["og:locale"] == "ar_AR"


def test_canonical_urls_keep_what_the_page_shows_and_drop_tracking(client, site_tree):
    listing = site_tree["en"].practices

    head = read_head(client.get(f"{listing.url}?country=PL&utm_campaign=x&gclid=1&page=1"))
    assert head.canonical == [f"{HOST}{listing.url}?country=PL&page=1"]

    search = read_head(client.get("/search/?q=budget&utm_medium=email&country="))
    assert search.canonical == [f"{HOST}/search/?q=budget"]

    country = read_head(client.get("/ar/countries/pl/?ref=twitter"))
    assert country.canonical == [f"{HOST}/ar/countries/pl/"]
    assert country.meta["og:title"] == "بولندا"


def test_a_practice_is_a_creative_work(client, translated_practice, organisation):
    english, _arabic, _macedonian = translated_practice
    partner = OrganisationFactory(name="Youth Council of Tetovo")
    english.partner_organisations.add(partner)
    publish(english)

    head = read_head(client.get(english.url))

    assert head.inline_scripts == []
    [data] = head.data
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "CreativeWork"
    assert data["name"] == data["headline"] == "Participatory budgeting in Tetovo"
    assert data["url"] == f"{HOST}{english.url}"
    assert data["inLanguage"] == "en"
    assert data["description"] == "Residents chose how to spend a share of the budget."
    assert data["datePublished"].startswith(english.first_published_at.date().isoformat())
    assert data["author"] == {
        "@type": "Organization",
        "name": "Municipality of Tetovo",
        "url": "https://tetovo.example",
        "description": "A municipality in the north-west.",
        "address": {
            "@type": "PostalAddress",
            "addressCountry": "MK",
            "addressLocality": "Tetovo",
        },
    }
    assert data["contributor"] == [{"@type": "Organization", "name": "Youth Council of Tetovo"}]
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Practice Commons",
        "url": f"{HOST}/",
    }
    assert data["spatialCoverage"] == [
        {"@type": "Country", "name": "North Macedonia", "identifier": "MK"}
    ]
    assert data["about"] == [{"@type": "Thing", "name": "Participatory budgeting"}]
    assert data["temporalCoverage"] == "2021-03-01/2022-06-30"
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["isBasedOn"] == "https://participedia.net/case/1"


def test_json_ld_cannot_close_its_script_element(client, site_tree):
    practice = publish(
        PracticePageFactory(
            parent=site_tree["en"].practices,
            title="Budgets </script><script>alert(1)</script>",
            summary="A & B <b>",
        )
    )

    response = client.get(practice.url)
    head = read_head(response)

    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html
    assert head.data[0]["name"] == "Budgets </script><script>alert(1)</script>"
    assert head.data[0]["description"] == "A & B <b>"


def test_a_guide_is_a_how_to_with_its_steps(client, site_tree):
    guide = GuidePageFactory(
        parent=site_tree["en"].guides,
        title="How to run a budget assembly",
        audience="Municipal finance officers",
        steps=json.dumps(
            [
                {
                    "type": "step",
                    "value": {"title": "Invite residents", "body": "<p>Send <b>letters</b>.</p>"},
                },
                {"type": "step", "value": {"title": "Vote", "body": "<p>Count the votes.</p>"}},
            ]
        ),
    )
    publish(guide)

    [data] = read_head(client.get(guide.url)).data

    assert data["@type"] == "HowTo"
    assert data["name"] == "How to run a budget assembly"
    assert data["audience"] == {"@type": "Audience", "audienceType": "Municipal finance officers"}
    assert data["step"] == [
        {"@type": "HowToStep", "position": 1, "name": "Invite residents", "text": "Send letters."},
        {"@type": "HowToStep", "position": 2, "name": "Vote", "text": "Count the votes."},
    ]


def test_a_thread_is_a_discussion_forum_posting(client):
    author = UserFactory(username="amina", first_name="Amina", last_name="Haddad")
    thread = ThreadFactory(
        forum=ForumFactory(name="Participatory budgeting"),
        title="Budgets for schools",
        author=author,
        language="ar",
        first_post="<p>How did you <em>involve</em> pupils?</p>",
        themes=["youth"],
    )
    PostFactory(thread=thread)
    PostFactory(thread=thread)
    thread.refresh_from_db()

    head = read_head(client.get(thread.get_absolute_url()))

    [data] = head.data
    assert data["@type"] == "DiscussionForumPosting"
    assert data["headline"] == "Budgets for schools"
    assert data["text"] == "How did you involve pupils?"
    assert data["url"] == f"{HOST}{thread.get_absolute_url()}"
    assert data["inLanguage"] == "ar"
    assert data["author"] == {"@type": "Person", "name": "Amina Haddad"}
    assert data["isPartOf"]["name"] == "Participatory budgeting"
    assert data["about"] == [{"@type": "Thing", "name": "Youth"}]
    assert data["interactionStatistic"]["userInteractionCount"] == 2
    assert head.meta["og:type"] == "article"
    assert head.meta["og:description"] == "How did you involve pupils?"
    assert head.canonical == [f"{HOST}{thread.get_absolute_url()}"]


def test_the_home_page_is_a_web_site_with_its_search(client, site_tree):
    [data] = read_head(client.get("/ar/")).data

    assert data["@type"] == "WebSite"
    assert data["url"] == f"{HOST}/ar/"
    assert data["inLanguage"] == "ar"
    assert data["publisher"]["name"] == "Practice Commons"
    assert data["potentialAction"]["target"]["urlTemplate"] == (
        f"{HOST}/ar/search/?q={{search_term_string}}"
    )


def test_remembered_translations_show_a_new_or_withdrawn_translation_at_once(
    client, site_tree, translated_practice, content_memo, commit
):
    """A page's translations are remembered per content generation (editorial.translations):
    publishing or unpublishing one shows in the head and the language links at once."""
    english, arabic, macedonian = translated_practice

    def alternates():
        html = client.get(english.url).content.decode()
        return {code for code in ("en", "ar", "mk", "ro") if f'hreflang="{code}" href=' in html}

    assert alternates() == {"en", "ar", "mk"}
    with commit():
        romanian = english.copy_for_translation(Locale.objects.get(language_code="ro"))
        romanian.title = "Bugetare participativă în Tetovo"
        publish(romanian)
    assert alternates() == {"en", "ar", "mk", "ro"}
    assert "Bugetare participativă în Tetovo" in client.get(english.url).content.decode()
    with commit():
        arabic.unpublish()
    assert alternates() == {"en", "mk", "ro"}
