"""Elasticsearch layer 5: the backend against a real Elasticsearch 9 cluster.

Runs only when ELASTICSEARCH_URL is set, e.g.

    ELASTICSEARCH_URL=http://127.0.0.1:9200 \
        .venv/bin/pytest tests/search/test_elasticsearch_integration.py

and skips otherwise (add `elasticsearch` to REQUIRE_COMPONENTS where a cluster exists, to make the
skip a failure). Every test works in its own indices (`pc-test-<random>-items-*`), deleted
afterwards; nothing else on the cluster is touched.

`make engine` starts one on 127.0.0.1:9200 (Elasticsearch 9 from Maven Central, see
engine/pom.xml). This is the only layer that proves that the cluster accepts our index body
and queries, and that the analysed terms (search.analysis, in Python, as for the database
backend) are matched as we mean: Arabic with and without harakat and with any alef form,
Romanian with comma, cedilla or no diacritics, Polish without diacritics, Turkish dotted and
dotless i, Georgian, Macedonian, English stemming."""

import os
import uuid
from datetime import UTC, datetime

import pytest

from search.backends.base import SearchQuery, SearchUnavailable
from search.backends.elasticsearch import ElasticsearchBackend
from search.documents import index_terms
from search.export import SearchExport
from search.models import SearchDocument
from tests.requirements import skip_unless_available
from tests.search import dead_ends as dead_end_cases
from tests.search.backend_settings import elasticsearch_at

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")

pytestmark = [pytest.mark.elasticsearch, pytest.mark.django_db]


@pytest.fixture
def backend():
    skip_unless_available(
        "elasticsearch",
        bool(ELASTICSEARCH_URL),
        "ELASTICSEARCH_URL is not set (Elasticsearch cannot be installed on this machine)",
    )
    prefix = f"pc-test-{uuid.uuid4().hex[:10]}"
    backend = ElasticsearchBackend(ELASTICSEARCH_URL, prefix, timeout=30)
    try:
        yield backend
    finally:
        # Wildcard deletes are refused by default (action.destructive_requires_name).
        created = backend.client.indices.get(index=f"{prefix}-items-*", allow_no_indices=True)
        if created.body:
            backend.client.indices.delete(index=",".join(created.body))
        backend.client.close()


def document(key, title, summary="", body="", *, themes=("participatory-budgeting",),
             countries=("GE",), year=2021, day=1):  # fmt: skip
    object_type, object_id, language = key.split(":")
    labels = {
        "participatory-budgeting": ["Participatory budgeting", "Bugetare participativă"],
        "youth": ["Youth", "Tineret"],
    }
    return SearchDocument(
        key=key,
        object_type=object_type,
        object_id=int(object_id),
        language=language,
        title=title,
        summary=summary,
        body=body,
        themes=list(themes),
        countries=list(countries),
        theme_labels=[label for slug in themes for label in labels.get(slug, [])],
        country_labels=[],
        year=year,
        url=f"/{language}/practices/{object_id}/",
        source=f"seed-{object_id}.txt",
        published_at=datetime(2026, 1, day, tzinfo=UTC),
    )


LIBRARY = [
    document(
        "practice:1:ar",
        "المُوازَنة التَّشارُكيّة في إربد",
        "صوّت سكّان إربد على مشاريع الأحياء.",
        countries=("JO",),
        day=2,
    ),
    document(
        "practice:2:ro",
        "Bugetare participativă în Iași",
        "Transparență și participare cetățenească în cartiere.",
        countries=("RO",),
        year=2019,
        day=3,
    ),
    document(
        "practice:3:pl",
        "Budżet obywatelski w Gdańsku",
        "Budżet obywatelski wzmacnia społeczności lokalne.",
        countries=("PL",),
        year=2020,
        day=4,
    ),
    document(
        "practice:4:ka",
        "მონაწილეობითი ბიუჯეტი თბილისში",
        "მოქალაქეებმა თავად აირჩიეს პროექტები.",
        countries=("GE",),
        day=5,
    ),
    document(
        "practice:5:mk",
        "Партиципативно буџетирање во Скопје",
        "Граѓаните гласаа за проекти во нивните населби.",
        countries=("MK",),
        day=6,
    ),
    document(
        "practice:6:tr",
        "İzmir'de katılımcı bütçeleme",
        "Mahalle meclisleri katılımcı bütçe önerilerini oyladı.",
        countries=("TR",),
        day=7,
    ),
    document(
        "practice:7:en",
        "Participatory budgeting in small towns",
        "Residents proposed and voted on budgets for their neighbourhoods.",
        "Youth councils were consulted before the vote.",
        countries=("GE", "MK"),
        day=8,
    ),
    document(
        "guide:8:en",
        "Youth councils and participatory budgeting",
        "How youth councils can propose budgets for their neighbourhoods.",
        themes=("youth",),
        countries=("GE",),
        year=2022,
        day=9,
    ),
]


@pytest.fixture
def library(backend):
    assert backend.rebuild(LIBRARY) == len(LIBRARY)
    return backend


def keys(response):
    return {hit.key for hit in response.hits}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("الموازنة التشاركية", "practice:1:ar"),  # no harakat
        ("المُوازَنة", "practice:1:ar"),  # with harakat
        ("اربد", "practice:1:ar"),  # bare alef for إ
        ("Transparență", "practice:2:ro"),  # comma below
        ("Transparenţă", "practice:2:ro"),  # cedilla
        ("transparenta", "practice:2:ro"),  # no diacritics
        ("spolecznosci", "practice:3:pl"),  # Polish without diacritics
        ("Gdansku", "practice:3:pl"),
        ("ბიუჯეტი", "practice:4:ka"),  # Georgian
        ("буџетирање", "practice:5:mk"),  # Macedonian Cyrillic
        ("katilimci", "practice:6:tr"),  # Turkish without ı
        ("izmir", "practice:6:tr"),  # dotted İ lower-cased
        ("budgets", "practice:7:en"),  # English stemming: budgets ~ budgeting
    ],
)
def test_multilingual_matching(library, text, key):
    assert key in keys(library.search(SearchQuery(text=text, with_facets=False)))


def test_the_engine_indexes_the_python_analysis_as_it_is(library):
    """Text is analysed in Python (search.analysis); the index's fields only split the
    terms on spaces. Harakat and alef forms are gone before the engine sees the text."""

    def indexed(text, language):
        terms = index_terms(text, language)
        result = library.client.indices.analyze(
            index=library.alias, field="title_terms", text=terms
        )
        tokens = [token["token"] for token in result["tokens"]]
        assert tokens == terms.split()
        return tokens

    assert indexed("المُوازَنة", "ar") == indexed("الموازنة", "ar")
    assert indexed("إربد", "ar") == indexed("اربد", "ar")
    assert "transparenta" in indexed("Transparenţă", "ro")


def test_title_match_ranks_above_body_only_match(library):
    response = library.search(SearchQuery(text="youth councils", languages=("en",)))
    assert [hit.key for hit in response.hits] == ["guide:8:en", "practice:7:en"]


def test_facets_count_with_or_inside_a_facet(library):
    response = library.search(SearchQuery(countries=("GE", "MK"), ui_language="ro"))

    assert keys(response) == {"practice:4:ka", "practice:5:mk", "practice:7:en", "guide:8:en"}
    countries = {value.value: value.count for value in response.facets["country"]}
    assert countries["GE"] == 3 and countries["MK"] == 2 and countries["PL"] == 1
    themes = {value.value: value.label for value in response.facets["theme"]}
    assert themes["youth"] == "Tineret"
    years = {value.value: value.count for value in response.facets["year"]}
    assert years == {"2021": 3, "2022": 1}


def test_theme_labels_are_searchable(library):
    response = library.search(SearchQuery(text="bugetare participativa", countries=("GE",)))
    assert "practice:4:ka" in keys(response)


def test_highlighting_paging_and_newest(library):
    highlighted = library.search(SearchQuery(text="neighbourhoods", languages=("en",)))
    assert all("<mark>" in hit.snippet for hit in highlighted.hits)

    page_1 = library.search(SearchQuery(sort="newest", page_size=3))
    page_2 = library.search(SearchQuery(sort="newest", page=2, page_size=3))
    assert page_1.total == len(LIBRARY)
    assert [hit.key for hit in page_1.hits] == ["guide:8:en", "practice:7:en", "practice:6:tr"]
    assert [hit.key for hit in page_2.hits] == ["practice:5:mk", "practice:4:ka", "practice:3:pl"]


def test_a_publication_window_keeps_what_was_published_in_it(library):
    """After the 4th (exclusive) and until the 7th (inclusive), with the other filters and
    words as usual; the total and the facets count only the window."""
    window = {
        "published_after": datetime(2026, 1, 4, tzinfo=UTC),
        "published_until": datetime(2026, 1, 7, tzinfo=UTC),
    }
    response = library.search(SearchQuery(sort="newest", **window))
    assert [hit.key for hit in response.hits] == ["practice:6:tr", "practice:5:mk", "practice:4:ka"]
    assert response.total == 3
    assert {value.value: value.count for value in response.facets["country"]} == {
        "GE": 1,
        "MK": 1,
        "TR": 1,
    }
    assert keys(library.search(SearchQuery(countries=("GE", "MK"), **window))) == {
        "practice:4:ka",
        "practice:5:mk",
    }
    assert keys(library.search(SearchQuery(text="katilimci", **window))) == {"practice:6:tr"}
    assert keys(library.search(SearchQuery(text="budgets", **window))) == set()
    after = library.search(SearchQuery(published_after=datetime(2026, 1, 8, tzinfo=UTC)))
    assert keys(after) == {"guide:8:en"}


def test_suggest_completes_titles(library):
    assert "Participatory budgeting in small towns" in library.suggest("participatory bud")
    assert library.suggest("Budżet obyw", language="pl") == ["Budżet obywatelski w Gdańsku"]
    assert library.suggest("budzet obyw", language="pl") == ["Budżet obywatelski w Gdańsku"]


def test_more_like_this_finds_related_items_but_not_translations(library):
    translation = document("practice:7:ro", "Bugetare participativă în orașe mici")
    library.index_documents([translation])
    library.refresh()

    related = [hit.key for hit in library.more_like_this("practice:7:en", limit=5)]

    assert "guide:8:en" in related
    assert "practice:7:en" not in related and "practice:7:ro" not in related


def test_rebuild_swaps_the_alias_and_deletes_the_old_index(library):
    (before,) = library.client.indices.get_alias(name=library.alias).body

    assert library.rebuild(LIBRARY[:3]) == 3

    (after,) = library.client.indices.get_alias(name=library.alias).body
    assert after != before
    assert not library.client.indices.exists(index=before)
    assert library.count() == 3


def test_a_rebuilt_index_is_merged_into_two_segments_with_the_merge_cap_lifted(backend):
    documents = [
        document(f"practice:{number}:en", f"Practice {number}", "Budgets decided in public.")
        for number in range(1, 1502)
    ]

    assert backend.rebuild(iter(documents)) == 1501

    (index,) = backend.client.indices.get_alias(name=backend.alias).body
    segments = backend.client.cat.segments(index=index, format="json")
    assert 1 <= len(segments) <= 2
    assert sum(int(segment["docs.count"]) for segment in segments) == 1501
    declared = backend.client.indices.get_settings(index=index).body[index]["settings"]
    assert "merge" not in declared["index"]  # the cap on merged segments is lifted again


def test_index_and_delete(library):
    extra = document("practice:9:en", "Open council meetings", "Streams of every session.")
    assert library.index_documents([extra]) == 1
    library.refresh()
    assert library.count() == len(LIBRARY) + 1

    assert library.delete_documents(["practice:9:en", "practice:404:en"]) == 1
    library.refresh()
    assert library.count() == len(LIBRARY)


def test_an_export_holds_every_result_past_the_result_window(backend, settings):
    """An index whose result window is 50 answers paging no further than result 50; an
    export of its 120 results walks a point in time and holds them all, each once, in the
    search's order. The database holds 30 more documents that the engine lacks: the export
    counting 120 shows the engine answered, not the database behind it."""
    indexed = [
        document(f"practice:{number}:en", f"Budget practice {number:03d}", day=1 + number % 28)
        for number in range(1, 121)
    ]
    only_in_database = [
        document(f"practice:{number}:en", f"Budget practice {number:03d}")
        for number in range(121, 151)
    ]
    SearchDocument.objects.bulk_create(indexed + only_in_database)
    assert backend.rebuild(indexed) == 120
    backend.client.indices.put_settings(
        index=backend.alias, settings={"index": {"max_result_window": 50}}
    )
    with pytest.raises(SearchUnavailable):
        backend.search(SearchQuery(page=3, page_size=20, with_facets=False))
    settings.SEARCH_BACKEND = elasticsearch_at(ELASTICSEARCH_URL, backend.index_prefix, timeout=30)

    query = SearchQuery(text="budget", sort="title", with_facets=False)
    results = SearchExport(query, lambda url: f"https://commons.example.org{url}", batch_size=20)
    rows = [row for batch in results.batches() for row in batch]

    assert results.total == 120
    assert [row["title"] for row in rows] == [
        f"Budget practice {number:03d}" for number in range(1, 121)
    ]
    lines = list(SearchExport(query, str, batch_size=20).csv_chunks())
    assert sum(chunk.count("\r\n") for chunk in lines) == 1 + 120


# -- No dead ends (search.relaxation): the database backend's searches, answered alike -------


@pytest.fixture
def dead_ends(backend):
    """The items of tests/search/dead_ends.py, published in their order (a later one is
    newer); {title: item name}."""
    items = [
        document(
            f"practice:{number}:{language}",
            title,
            summary,
            themes=(dead_end_cases.THEME,),
            countries=(dead_end_cases.COUNTRY,),
            day=number,
        )
        for number, (language, title, summary) in enumerate(dead_end_cases.ITEMS.values(), start=1)
    ]
    assert backend.rebuild(items) == len(items)
    return backend, {title: name for name, (_, title, _) in dead_end_cases.ITEMS.items()}


def found(names, response):
    return [names[hit.title] for hit in response.hits]


@pytest.mark.parametrize(("text", "expected", "unmatched"), dead_end_cases.PARTIAL)
def test_items_with_most_words_come_first_when_none_has_all(dead_ends, text, expected, unmatched):
    backend, names = dead_ends
    response = backend.search(SearchQuery(text=text))

    assert response.match == "partial"
    assert found(names, response) == expected
    assert response.total == len(expected)
    assert response.unmatched_words == unmatched
    two, one = response.hits
    assert int(two.score) == 2 and int(one.score) == 1


@pytest.mark.parametrize(("text", "expected", "marked"), dead_end_cases.PREFIX)
def test_a_word_indexed_nowhere_matches_the_start_of_words(dead_ends, text, expected, marked):
    backend, names = dead_ends
    response = backend.search(SearchQuery(text=text))

    assert (response.match, response.unmatched_words) == ("all", [])
    assert found(names, response) == expected
    assert f"<mark>{marked}</mark>" in response.hits[0].snippet


@pytest.mark.parametrize(("text", "expected"), dead_end_cases.JOINED)
def test_words_written_together_or_apart_find_each_other(dead_ends, text, expected):
    backend, names = dead_ends
    response = backend.search(SearchQuery(text=text))

    assert response.match == "all"
    assert found(names, response) == expected


def test_a_search_that_matches_stays_strict(dead_ends):
    backend, names = dead_ends
    response = backend.search(SearchQuery(text="composting pilot"))

    assert (response.match, response.unmatched_words) == ("all", [])
    assert found(names, response) == ["en_two"]


def test_words_that_match_nothing_are_named(dead_ends):
    backend, _names = dead_ends
    one = backend.search(SearchQuery(text="qzxw"))
    two = backend.search(SearchQuery(text="qzxw vvkq"))

    assert (one.total, one.match, one.unmatched_words) == (0, "all", ["qzxw"])
    assert (two.total, two.match, two.unmatched_words) == (0, "all", ["qzxw", "vvkq"])


def test_partial_answers_count_facet_and_page_what_they_show(dead_ends):
    backend, names = dead_ends
    text = "composting neighbours bahçesi qzxw"
    everything = backend.search(SearchQuery(text=text, page_size=10))

    assert everything.match == "partial"
    assert found(names, everything)[0] == "en_two"
    assert set(found(names, everything)) == {"en_two", "en_one", "tr_two", "tr_one"}
    assert everything.total == 4
    languages = {value.value: value.count for value in everything.facets["language"]}
    assert languages == {"en": 2, "tr": 2}
    pages = [backend.search(SearchQuery(text=text, page=page, page_size=1)) for page in range(1, 6)]
    assert [hit.key for page in pages for hit in page.hits] == [hit.key for hit in everything.hits]
    assert {page.total for page in pages} == {4}
    turkish = backend.search(SearchQuery(text=text, languages=("tr",)))
    assert turkish.match == "partial"
    assert set(found(names, turkish)) == {"tr_two", "tr_one"}
    assert turkish.total == 2
    assert {value.value: value.count for value in turkish.facets["language"]} == languages


@pytest.mark.parametrize("sort", ["newest", "title"])
def test_items_with_more_words_come_first_in_every_sort(dead_ends, sort):
    backend, names = dead_ends
    # en_one is newer than en_two and sorts before it by title, but has one word of two.
    response = backend.search(SearchQuery(text="composting neighbours qzxw", sort=sort))

    assert response.match == "partial"
    assert found(names, response) == ["en_two", "en_one"]
