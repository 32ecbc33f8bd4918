"""The behaviour suite of the database backend, on PostgreSQL or SQLite (DATABASE_URL).

Pages are published like an editor publishes them, so each test also proves the
page_published signal indexed them."""

import pytest

from search.backends.base import SearchQuery
from search.models import SearchDocument
from tests.search.conftest import publish_page, shared_data

pytestmark = pytest.mark.django_db


def search(backend, text="", **options):
    return backend.search(SearchQuery(text=text, **options))


def titles(response):
    return [hit.title for hit in response.hits]


@pytest.fixture(scope="module")
def library(django_db_setup, django_db_blocker):
    """A small multilingual library, published once for the module."""
    with shared_data(django_db_blocker) as trees:
        yield _library(lambda *args, **kwargs: publish_page(trees, *args, **kwargs))


def _library(publish):
    return {
        "amman": publish(
            "ar",
            title="المَدِينَةُ الذَّكِيَّة في عمّان",
            summary="إِدَارَةُ المَوَازَنَةِ مع السُّكَّان في أَحْيَاءِ المدينة",
            themes=["participatory-budgeting"],
            countries=["JO"],
            year=2021,
        ),
        "cluj": publish(
            "ro",
            title="Bugetare participativă în Cluj",
            summary="Ședință publică a consiliului local cu cetățenii",
            themes=["participatory-budgeting"],
            countries=["RO"],
            year=2019,
        ),
        "iasi": publish(
            "ro",
            title="Transparență în Iași",
            summary="Şedinţele consiliului transmise online",  # cedilla letters
            themes=["transparency-accountability"],
            countries=["RO"],
            year=2022,
        ),
        "gdansk": publish(
            "pl",
            title="Budżet obywatelski w Gdańsku",
            summary="Społeczności lokalne decydują o wydatkach miasta",
            themes=["participatory-budgeting"],
            countries=["PL"],
            year=2020,
        ),
        "skopje": publish(
            "mk",
            title="Партиципативно буџетирање во Скопје",
            summary="Граѓаните одлучуваат за општинскиот буџет",
            themes=["participatory-budgeting"],
            countries=["MK"],
            year=2021,
        ),
        "tbilisi": publish(
            "ka",
            title="მონაწილეობითი ბიუჯეტირება თბილისში",
            summary="მოქალაქეები წყვეტენ ქალაქის ბიუჯეტის ნაწილს",
            themes=["participatory-budgeting"],
            countries=["GE"],
            year=2023,
        ),
        "istanbul": publish(
            "tr",
            title="İstanbul'da katılımcı bütçe",
            summary="Işık ve İnsan: mahalle meclisleri",
            themes=["participatory-budgeting"],
            countries=["TR"],
            year=2022,
        ),
        "guide": publish(
            "en",
            kind="guide",
            title="How to run citizen assemblies",
            summary="A step-by-step guide to deliberation for municipalities",
            themes=["deliberation"],
            countries=["GB"],
            year=2023,
        ),
    }


# -- languages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "المدينة",  # no harakat
        "المَدِينَةُ",  # full harakat
        "مدينه الذكيه",  # ta marbuta written as ha
        "المـدينة",  # tatweel
        "الموازنة السكان",
    ],
)
def test_arabic_with_and_without_harakat(search_backend, library, text):
    assert titles(search(search_backend, text)) == [library["amman"].title]


@pytest.mark.parametrize("alef", ["ا", "أ", "إ", "آ", "ٱ"])
def test_arabic_any_alef_form(search_backend, library, alef):
    # "أحياء" (neighbourhoods) is written with hamza on alef in the summary.
    assert titles(search(search_backend, f"{alef}حياء")) == [library["amman"].title]


@pytest.mark.parametrize("text", ["ședință", "şedinţă", "sedinta", "SEDINTA"])
def test_romanian_comma_cedilla_or_no_diacritics(search_backend, library, text):
    assert titles(search(search_backend, text)) == [library["cluj"].title]


@pytest.mark.parametrize("text", ["ședințele", "şedinţele", "sedintele"])
def test_romanian_text_written_with_cedillas_is_found(search_backend, library, text):
    assert titles(search(search_backend, text)) == [library["iasi"].title]


@pytest.mark.parametrize("text", ["społeczności", "spolecznosci", "Gdansku", "budzet obywatelski"])
def test_polish_without_diacritics(search_backend, library, text):
    assert titles(search(search_backend, text)) == [library["gdansk"].title]


@pytest.mark.parametrize("text", ["Скопје", "скопје", "граѓаните", "ГРАЃАНИТЕ", "општинскиот"])
def test_macedonian_cyrillic(search_backend, library, text):
    assert titles(search(search_backend, text)) == [library["skopje"].title]


@pytest.mark.parametrize("text", ["თბილისში", "ბიუჯეტის ნაწილს"])
def test_georgian(search_backend, library, text):
    assert titles(search(search_backend, text)) == [library["tbilisi"].title]


@pytest.mark.parametrize("text", ["istanbul", "İSTANBUL", "ışık", "isik", "insan"])
def test_turkish_dotted_and_dotless_i(search_backend, library, text):
    assert titles(search(search_backend, text, ui_language="tr")) == [library["istanbul"].title]


def test_english_stemming(search_backend, library):
    assert titles(search(search_backend, "assembly municipality")) == [library["guide"].title]


def test_theme_labels_in_every_language_are_indexed(search_backend, library):
    """ "participatory budgeting" filtered to Georgia finds the Georgian practice, whose own
    text is Georgian only."""
    response = search(search_backend, "participatory budgeting", countries=("GE",))
    assert titles(response) == [library["tbilisi"].title]
    # ...and an Arabic reader finds it by the Arabic name of the theme.
    response = search(search_backend, "الموازنة التشاركية", countries=("GE",))
    assert titles(response) == [library["tbilisi"].title]


def test_country_names_are_indexed(search_backend, library):
    assert titles(search(search_backend, "Georgia")) == [library["tbilisi"].title]
    assert titles(search(search_backend, "Грузија")) == [library["tbilisi"].title]
    assert titles(search(search_backend, "Грузија", ui_language="mk")) == [library["tbilisi"].title]
    # "Грузия" is the Russian spelling: no UI language writes it, so nothing is indexed.
    assert titles(search(search_backend, "Грузия", ui_language="mk")) == []


# -- query syntax --------------------------------------------------------------------------


def test_all_words_are_required(search_backend, library):
    response = search(search_backend, "Cluj consiliului")
    assert titles(response) == [library["cluj"].title]
    assert response.match == "all"
    # No item has both: the answer is partial, and says so (tests/search/test_dead_ends.py).
    partial = search(search_backend, "Cluj Gdańsku")
    assert partial.match == "partial"
    assert set(titles(partial)) == {library["cluj"].title, library["gdansk"].title}


def test_or_and_exclusion(search_backend, library):
    response = search(search_backend, "Cluj or Gdańsku")
    assert set(titles(response)) == {library["cluj"].title, library["gdansk"].title}
    response = search(search_backend, "consiliului -Cluj")
    assert titles(response) == [library["iasi"].title]


# -- ranking, highlighting, paging -------------------------------------------------------


def test_snippet_highlights_matches_in_the_original_text(search_backend, library):
    hit = search(search_backend, "spolecznosci").hits[0]
    assert "<mark>Społeczności</mark>" in hit.snippet
    hit = search(search_backend, "المدينة").hits[0]
    assert "<mark>المدينة</mark>" in hit.snippet


def test_sort_newest(search_backend, library):
    response = search(search_backend, "", sort="newest", types=("practice",))
    dates = [hit.published_at for hit in response.hits]
    assert dates == sorted(dates, reverse=True)


def test_a_publication_window_keeps_what_was_published_in_it(search_backend, library):
    """Strictly after `published_after`, at or before `published_until`: the bounds are two
    documents' own publication times. The total and the facets count only the window, and
    the other filters and the words apply within it."""
    documents = list(
        SearchDocument.objects.order_by("published_at").values_list("key", "published_at")
    )
    after, until = documents[1][1], documents[5][1]
    inside = [key for key, _published in documents[2:6]]
    window = {"published_after": after, "published_until": until}

    response = search(search_backend, "", sort="newest", **window)
    assert [hit.key for hit in response.hits] == inside[::-1]
    assert response.total == 4
    assert sum(facet(response, "language").values()) == 4
    assert all(after < hit.published_at <= until for hit in response.hits)

    languages = {key: key.rsplit(":", 1)[1] for key in inside}
    some = inside[0]
    narrowed = search(search_backend, "", languages=(languages[some],), **window)
    assert [hit.key for hit in narrowed.hits] == [
        key for key in inside[::-1] if languages[key] == languages[some]
    ]
    assert keys_of(search(search_backend, "", published_after=documents[-2][1])) == [
        documents[-1][0]
    ]
    assert keys_of(search(search_backend, "", published_until=documents[0][1])) == [documents[0][0]]


def test_words_are_searched_within_the_window_only(search_backend, library):
    gdansk = SearchDocument.objects.get(key=f"practice:{library['gdansk'].pk}:pl").published_at
    assert titles(search(search_backend, "Gdańsku", published_until=gdansk)) == [
        library["gdansk"].title
    ]
    assert titles(search(search_backend, "Gdańsku", published_after=gdansk)) == []


def keys_of(response):
    return [hit.key for hit in response.hits]


def test_hit_fields(search_backend, library):
    hit = search(search_backend, "Gdańsku").hits[0]
    page = library["gdansk"]
    assert hit.key == f"practice:{page.pk}:pl"
    assert (hit.type, hit.language, hit.countries) == ("practice", "pl", ["PL"])
    assert hit.themes == ["participatory-budgeting", "citizen-participation"]
    assert hit.url == page.get_url()
    assert hit.url.startswith("/pl/")


# -- facets and filters -------------------------------------------------------------------


def facet(response, name):
    return {item.value: item.count for item in response.facets[name]}


def test_facets_count_the_matched_set(search_backend, library):
    response = search(search_backend, "")
    assert response.total == 8
    assert facet(response, "type") == {"practice": 7, "guide": 1}
    assert facet(response, "country")["RO"] == 2
    assert facet(response, "language") == {
        "ar": 1, "ro": 2, "pl": 1, "mk": 1, "ka": 1, "tr": 1, "en": 1
    }  # fmt: skip
    # Parent themes are counted with their children.
    assert facet(response, "theme")["participatory-budgeting"] == 6
    assert facet(response, "theme")["citizen-participation"] == 7
    assert facet(response, "year")["2022"] == 2


def test_filters_within_a_facet_are_or_and_across_facets_and(search_backend, library):
    response = search(search_backend, "", countries=("RO", "PL"))
    assert response.total == 3
    response = search(search_backend, "", countries=("RO", "PL"), years=(2019, 2020))
    assert set(titles(response)) == {library["cluj"].title, library["gdansk"].title}
    response = search(
        search_backend, "", countries=("RO",), themes=("transparency-accountability",)
    )
    assert titles(response) == [library["iasi"].title]


def test_a_facet_ignores_its_own_filter(search_backend, library):
    response = search(search_backend, "", countries=("RO",))
    assert response.total == 2
    # Other countries stay selectable with the counts they would add...
    assert facet(response, "country") == {
        "JO": 1, "RO": 2, "PL": 1, "MK": 1, "GE": 1, "TR": 1, "GB": 1
    }  # fmt: skip
    # ...while the other facets count the filtered set.
    assert facet(response, "language") == {"ro": 2}
    assert facet(response, "year") == {"2019": 1, "2022": 1}


def test_parent_theme_filter_finds_children(search_backend, library):
    response = search(search_backend, "", themes=("citizen-participation",))
    assert response.total == 7


def test_facet_labels_in_the_ui_language(search_backend, library):
    response = search(search_backend, "", countries=("GE",), ui_language="ka")
    themes = {item.value: item.label for item in response.facets["theme"]}
    assert themes["participatory-budgeting"] == "მონაწილეობითი ბიუჯეტირება"
    countries = {item.value: item.label for item in response.facets["country"]}
    assert countries["GE"] == "საქართველო"


def test_language_and_type_filters(search_backend, library):
    assert titles(search(search_backend, "", languages=("ka",))) == [library["tbilisi"].title]
    assert titles(search(search_backend, "", types=("guide",))) == [library["guide"].title]


def test_without_facets(search_backend, library):
    response = search(search_backend, "Cluj", with_facets=False)
    assert response.total == 1
    assert response.facets == {}


# -- hostile text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '"unclosed phrase',
        "(((",
        "a AND (b OR",
        "foo:* & !bar <-> baz",
        "NEAR(a b)",
        "title_terms : x",
        "title : x",
        "'a+b' & c:*",
        "'; DROP TABLE search_searchdocument; --",
        '" OR 1=1 --',
        "x" * 5000,
        "word " * 1000,
        "😀 🙂",
        "\u200fمدينة\u200e",
        "a\x00b",
        "%s %(x)s {0}",
        "\\",
        "*",
        "-",
        "- - -",
        "-Cluj",
    ],
)
def test_hostile_text_gets_results_not_errors(search_backend, library, text):
    response = search(search_backend, text)
    assert response.total >= 0
    assert len(response.hits) <= 20


def test_rtl_marks_are_ignored(search_backend, library):
    assert titles(search(search_backend, "\u200fالمدينة\u200e")) == [library["amman"].title]


def test_exclusion_only_query(search_backend, library):
    response = search(search_backend, "-Cluj", types=("practice",))
    assert response.total == 6
    assert library["cluj"].title not in titles(response)


# -- suggestions and related items --------------------------------------------------------


def test_suggest_completes_titles(search_backend, library):
    assert search_backend.suggest("bugetare partic", language="ro") == [library["cluj"].title]
    assert search_backend.suggest("თბილ") == [library["tbilisi"].title]
    assert search_backend.suggest("budzet obyw") == [library["gdansk"].title]
    assert search_backend.suggest("((") == []


def test_more_like_this_of_unknown_key(search_backend, library):
    assert search_backend.more_like_this("practice:999999:en") == []
