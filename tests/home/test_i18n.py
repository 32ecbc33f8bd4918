"""Seven languages: complete UI catalogues, a language switcher on every locale's home page,
practices linking to their translations, and the right `lang`/`dir` on every page."""

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from wagtail.models import Locale

from practices.factories import GuidePageFactory, PracticePageFactory
from tests.requirements import skip_unless_available
from tests.translations import compile_translations

LANGUAGES = dict(settings.LANGUAGES)
TRANSLATED_LANGUAGES = ["ar", "mk", "ro", "pl", "ka", "tr"]
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
NPLURALS = {"ar": 6, "mk": 2, "ro": 3, "pl": 3, "ka": 2, "tr": 2}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
# The number a plural form is chosen by; a form may leave it out.
COUNTERS = {"%(counter)s", "%(count)s", "%(count)d"}


@pytest.fixture(scope="module", autouse=True)
def compiled_translations():
    compile_translations()


def catalogue(language):
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


def home_url(language):
    return "/" if language == settings.LANGUAGE_CODE else f"/{language}/"


class LinkCollector(HTMLParser):
    """The <html> attributes, the links of the language switcher, the links of the "Also
    available in" block and the <link rel="alternate"> tags of a page."""

    def __init__(self):
        super().__init__()
        self.html = {}
        self.switcher = []
        self.translations = []
        self.alternates = []
        self._open = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "html":
            self.html = attributes
        elif tag == "link" and attributes.get("rel") == "alternate" and "hreflang" in attributes:
            # Language versions; the page's feeds are alternates of another kind.
            self.alternates.append(attributes)
        elif tag == "a" and "language-switcher" in self._open:
            self.switcher.append({**attributes, "text": ""})
        elif tag == "a" and "page-translations" in self._open:
            self.translations.append({**attributes, "text": ""})
        if tag in {"nav", "aside"}:
            self._open.append(next((c for c in classes if c in self._blocks), tag))

    _blocks = {"language-switcher", "page-translations"}

    def handle_endtag(self, tag):
        if tag in {"nav", "aside"} and self._open:
            self._open.pop()

    def handle_data(self, data):
        for block, links in (
            ("language-switcher", self.switcher),
            ("page-translations", self.translations),
        ):
            if block in self._open and links:
                links[-1]["text"] += data.strip()


def collect(response):
    collector = LinkCollector()
    collector.feed(response.content.decode())
    return collector


# The catalogues -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_the_catalogue_is_complete(language):
    po = catalogue(language)

    assert len(po) > 100, "the catalogue looks empty: run `make messages`"
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_plural_forms_follow_the_language(language):
    po = catalogue(language)

    header = po.metadata["Plural-Forms"]
    assert f"nplurals={NPLURALS[language]};" in header.replace(" ", "")
    for entry in po:
        if entry.msgid_plural and not entry.obsolete:
            forms = entry.msgstr_plural
            assert sorted(forms) == list(range(NPLURALS[language])), entry.msgid
            assert all(forms.values()), entry.msgid


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_translations_keep_their_placeholders(language):
    """A lost or renamed %(name)s would raise an error when the string is shown. A plural
    form may leave out the count (Arabic says "two results" without a figure) but nothing
    else."""
    for entry in catalogue(language).translated_entries():
        required = set(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural:
            allowed = required | set(PLACEHOLDER.findall(entry.msgid_plural))
            required -= COUNTERS
            translations = entry.msgstr_plural.values()
        else:
            allowed = required
            translations = [entry.msgstr]
        for text in translations:
            found = set(PLACEHOLDER.findall(text))
            assert required <= found <= allowed, (entry.msgid, text)


# What makemessages is not to read: the virtualenv, collected and uploaded files, tests,
# benchmarks, the catalogues themselves, and the search engine's distribution.
NOT_SOURCES = (".venv", "static", "media", "tests", "bench", "site", "engine")
MAKEMESSAGES_EXTENSIONS = (".py", ".html", ".txt")


def copy_of_the_sources(target):
    """The project's translatable files, copied to `target`. makemessages writes each
    template's preprocessed copy beside it (`page.html.py`) and deletes it afterwards: in the
    checkout itself, another run of this test at the same time (CI runs the PostgreSQL and the
    SQLite suites side by side) would read a copy being deleted, or delete the other's."""
    root = Path(settings.BASE_DIR)
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [
            name for name in subdirectories if name not in NOT_SOURCES and not name.startswith(".")
        ]
        for name in files:
            if name.endswith(MAKEMESSAGES_EXTENSIONS):
                source = Path(directory) / name
                copy = target / source.relative_to(root)
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, copy)
    return target


def test_the_catalogues_cover_every_string_of_the_code(tmp_path, monkeypatch, settings):
    """Extract the strings afresh (into a copy of the catalogues) and check that none is new:
    a string added to a template or model without `make messages` would show in English."""
    available = shutil.which("xgettext") is not None
    skip_unless_available("gettext", available, "xgettext is missing (apt-get install gettext)")
    for code in TRANSLATED_LANGUAGES:
        target = tmp_path / code / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(LOCALE_DIR / code / "LC_MESSAGES" / "django.po", target / "django.po")
    settings.LOCALE_PATHS = [tmp_path]
    monkeypatch.chdir(copy_of_the_sources(tmp_path / "sources"))

    call_command(
        "makemessages",
        locale=TRANSLATED_LANGUAGES,
        ignore_patterns=list(NOT_SOURCES),
        no_obsolete=True,
        verbosity=0,
    )

    for code in TRANSLATED_LANGUAGES:
        fresh = polib.pofile(str(tmp_path / code / "LC_MESSAGES" / "django.po"))
        missing = [entry.msgid for entry in fresh.untranslated_entries() + fresh.fuzzy_entries()]
        assert missing == [], f"{code}: run `make messages` and translate these"


# Pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_home_page_has_the_switcher_with_the_seven_languages(client, site_tree, language):
    response = client.get(home_url(language))

    links = collect(response).switcher
    assert response.status_code == 200
    assert [link["hreflang"] for link in links] == list(LANGUAGES)
    assert [link["text"] for link in links] == list(LANGUAGES.values())
    assert [link["lang"] for link in links] == list(LANGUAGES)
    assert [link["href"] for link in links] == [home_url(code) for code in LANGUAGES]
    assert [link["hreflang"] for link in links if link.get("aria-current")] == [language]
    assert next(link for link in links if link["lang"] == "ar")["dir"] == "rtl"


@pytest.mark.parametrize("language", LANGUAGES)
def test_html_lang_and_dir_follow_the_language(client, site_tree, language):
    practice = PracticePageFactory(parent=site_tree[language].practices)

    for url in (home_url(language), practice.url):
        response = client.get(url)
        html = collect(response).html
        assert response.status_code == 200
        assert html["lang"] == language
        assert html["dir"] == ("rtl" if language == "ar" else "ltr")


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_the_home_page_interface_is_translated(client, site_tree, language):
    response = client.get(home_url(language))

    with translation.override(language):
        skip_link = translation.gettext("Skip to main content")
    assert skip_link != "Skip to main content"
    assert skip_link in response.content.decode()


@pytest.fixture
def translated_practice(site_tree):
    english = PracticePageFactory(
        parent=site_tree["en"].practices,
        title="Participatory budgeting in Amman",
        slug="participatory-budgeting-amman",
    )
    arabic = english.copy_for_translation(Locale.objects.get(language_code="ar"))
    arabic.title = "الموازنة التشاركية في عمّان"
    arabic.save_revision().publish()
    arabic.refresh_from_db()
    return english, arabic


def test_a_practice_links_to_its_translation(client, translated_practice):
    english, arabic = translated_practice

    response = client.get(english.url)

    page = collect(response)
    assert response.status_code == 200
    assert "Also available in:" in response.content.decode()
    assert page.translations == [
        {
            "href": arabic.url,
            "hreflang": "ar",
            "lang": "ar",
            "dir": "rtl",
            "text": "العربيةالموازنة التشاركية في عمّان",
        }
    ]
    switcher = {link["hreflang"]: link["href"] for link in page.switcher}
    assert switcher["en"] == english.url
    assert switcher["ar"] == arabic.url
    # Languages the practice is not translated into lead to that language's home page.
    assert switcher["tr"] == "/tr/"
    assert {link["hreflang"]: link["href"] for link in page.alternates} == {
        "en": english.full_url,
        "ar": arabic.full_url,
        "x-default": english.full_url,
    }
    assert arabic.full_url.startswith("http://") and "/ar/" in arabic.full_url


def test_the_translation_links_back_to_the_original(client, translated_practice):
    english, arabic = translated_practice

    response = client.get(arabic.url)

    page = collect(response)
    assert page.html["dir"] == "rtl"
    assert [(link["hreflang"], link["href"]) for link in page.translations] == [("en", english.url)]
    with translation.override("ar"):
        heading = translation.gettext("Also available in:")
    assert heading != "Also available in:"
    assert heading in response.content.decode()


def test_an_untranslated_practice_lists_no_translations(client, site_tree):
    practice = PracticePageFactory(parent=site_tree["pl"].practices)

    response = client.get(practice.url)

    page = collect(response)
    assert page.translations == []
    assert page.alternates == []


def test_outside_wagtail_pages_the_switcher_keeps_the_path(client, site_tree):
    response = client.get("/ka/no-such-page/")

    links = {link["hreflang"]: link["href"] for link in collect(response).switcher}
    assert response.status_code == 404
    assert links["en"] == "/no-such-page/"
    assert links["ar"] == "/ar/no-such-page/"
    assert links["ka"] == "/ka/no-such-page/"


def test_a_guide_links_to_its_translation(client, site_tree):
    english = GuidePageFactory(parent=site_tree["en"].guides, title="Running a citizens' panel")
    georgian = english.copy_for_translation(Locale.objects.get(language_code="ka"))
    georgian.title = "მოქალაქეთა პანელის ორგანიზება"
    georgian.save_revision().publish()
    georgian.refresh_from_db()

    page = collect(client.get(georgian.url))

    assert [(link["hreflang"], link["href"]) for link in page.translations] == [("en", english.url)]
    assert {link["hreflang"] for link in page.alternates} == {"en", "ka", "x-default"}


def test_on_a_country_page_the_switcher_keeps_the_path(client, site_tree):
    response = client.get("/ar/countries/ge/")

    links = {link["hreflang"]: link["href"] for link in collect(response).switcher}
    assert response.status_code == 200
    assert links == {
        code: ("" if code == "en" else f"/{code}") + "/countries/ge/" for code in LANGUAGES
    }
