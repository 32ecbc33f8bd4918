"""PostgreSQL: quoted phrases are matched through the word pairs' 64-bit hashes
(`{field}_pairs`, `search.analysis.pair_hash`), not through lexemes of the vectors: the
vectors hold no pair, and a phrase still finds exactly the items that have its words side by
side, in every tier, combined with words, among alternatives, excluded, and in the relaxed
answer. Migration search.0009 moves the pairs of rows written before it the way the app now
writes them."""

import importlib

import pytest
from django.db import connection

from search.analysis import pair_hash
from search.backends.base import SearchQuery
from search.fulltext import indexed_fields
from search.models import SearchDocument
from search.schema import MATCH_TABLE

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the match table is PostgreSQL's"),
]

FIELDS = ("title", "summary", "match")


def search(backend, text="", **options):
    return backend.search(SearchQuery(text=text, **options))


def titles(response):
    return [hit.title for hit in response.hits]


def match_row(page):
    document = SearchDocument.objects.get(object_type="practice", object_id=page.pk)
    columns = ", ".join(f"{field}_vector::text, {field}_pairs" for field in FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {MATCH_TABLE} WHERE id = %s", [document.pk])
        row = cursor.fetchone()
    return document.pk, {
        field: (set(row[2 * number].replace("'", "").split()), set(row[2 * number + 1]))
        for number, field in enumerate(FIELDS)
    }


@pytest.fixture
def pages(publish):
    return {
        "title": publish("en", title="Open budget data portal", summary="A pilot."),
        "summary": publish("en", title="Spending portal", summary="Budget data for everyone."),
        "body": publish(
            "en",
            title="City spending",
            summary="A pilot in three districts.",
            body=[("paragraph", "<p>The council publishes its budget data monthly.</p>")],
        ),
        "apart": publish(
            "en",
            title="Open meetings portal",
            summary="The data about the budget is public.",
        ),
    }


def test_the_vectors_hold_no_pair_and_the_pairs_their_hashes(pages):
    _pk, row = match_row(pages["title"])
    for field in FIELDS:
        lexemes, _pairs = row[field]
        assert lexemes and not [lexeme for lexeme in lexemes if "+" in lexeme]
    assert row["title"][1] == {
        pair_hash("open+budget"),
        pair_hash("budget+data"),
        pair_hash("data+portal"),
    }
    assert row["summary"][1] == set()  # "a" is a function word: "pilot" has no neighbour
    assert row["title"][1] <= row["match"][1]
    _pk, apart = match_row(pages["apart"])
    assert {"budget", "data"} <= apart["match"][0]
    assert pair_hash("budget+data") not in apart["match"][1]


def test_a_phrase_finds_its_words_side_by_side_in_every_tier(search_backend, pages):
    response = search(search_backend, '"budget data"')
    # Title, then summary, then body; never the item that has both words apart.
    assert titles(response) == [pages[name].title for name in ("title", "summary", "body")]
    assert response.total == 3


def test_a_phrase_with_words_alternatives_and_exclusions(search_backend, pages):
    assert titles(search(search_backend, '"budget data" open')) == [pages["title"].title]
    assert set(titles(search(search_backend, '"budget data" or meetings'))) == {
        pages[name].title for name in ("title", "summary", "body", "apart")
    }
    assert set(titles(search(search_backend, '"open meetings" or "budget data"'))) == {
        pages[name].title for name in ("title", "summary", "body", "apart")
    }
    assert titles(search(search_backend, 'portal -"budget data"')) == [pages["apart"].title]
    assert titles(search(search_backend, 'budget -"budget data"')) == [pages["apart"].title]


def test_the_relaxed_answer_counts_a_phrase_only_where_its_words_are_together(
    search_backend, pages
):
    response = search(search_backend, '"budget data" portal zqxvwj')
    assert response.match == "partial"
    # The phrase and "portal" first, then one of the two: the item with "budget" and "data"
    # apart has only "portal".
    first, then = set(titles(response)[:2]), set(titles(response)[2:])
    assert first == {pages["title"].title, pages["summary"].title}
    assert then == {pages["body"].title, pages["apart"].title}
    assert response.total == 4


def test_the_migration_moves_the_pairs_of_an_existing_row_as_the_app_writes_them(pages):
    """search.0009's UPDATE, run on rows written the old way (each vector holding its word
    pairs as lexemes, no hashes), gives the rows the app writes now: its SQL hash is
    `pair_hash`."""
    migration = importlib.import_module("search.migrations.0009_word_pairs_as_hashes")
    (update,) = [statement for statement in migration.FORWARD if "UPDATE" in statement]
    written = {name: match_row(page) for name, page in pages.items()}
    with connection.cursor() as cursor:
        for name, page in pages.items():
            document = SearchDocument.objects.get(object_type="practice", object_id=page.pk)
            old = {
                field: " ".join(sorted(lexemes | pairs))
                for field, (lexemes, pairs) in indexed_fields(document).items()
            }
            assert "+" in old["match"]
            cursor.execute(
                f"UPDATE {MATCH_TABLE} SET title_vector = %s::tsvector, "
                "summary_vector = %s::tsvector, match_vector = %s::tsvector, "
                "title_pairs = '{}', summary_pairs = '{}', match_pairs = '{}' WHERE id = %s",
                [old["title"], old["summary"], old["match"], written[name][0]],
            )
        cursor.execute(update)
    assert {name: match_row(page) for name, page in pages.items()} == written
