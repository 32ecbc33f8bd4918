"""Facet values as packed codes (`search.facet_codes`), and the facet counts built on them."""

import pytest
from django.db import connection, transaction

from search import facet_codes
from search.backends.base import SearchQuery


def test_packed_codes_are_counted():
    packed = facet_codes.pack([3, 300, 3]) + facet_codes.pack([32767, 3])
    assert facet_codes.count(packed) == {3: 3, 300: 1, 32767: 1}
    assert facet_codes.count(b"") == {} == facet_codes.count(None)


def test_a_document_carries_each_of_its_facet_values_once():
    pairs = facet_codes.pairs_of("practice", "en", 2024, "ongoing", ["youth", "youth"], ["GE"])
    assert sorted(set(pairs)) == [
        ("country", "GE"),
        ("language", "en"),
        ("status", "ongoing"),
        ("theme", "youth"),
        ("type", "practice"),
        ("year", "2024"),
    ]
    # A kind of item without statuses has no status value.
    assert ("status", "") not in facet_codes.pairs_of("guide", "en", None, "", [], [])


class Undo(Exception):
    pass


def test_facet_value_first_indexed_in_a_rolled_back_transaction(search_backend, publish):
    """A value's code may be assigned in a transaction that rolls back; the next document
    with that value must still be found by its filter and counted under its name."""
    try:
        with transaction.atomic():
            publish("en", title="Lantern walk", countries=["NZ"])
            raise Undo
    except Undo:
        pass
    festival = publish("en", title="Lantern festival", countries=["NZ"])
    publish("en", title="Lantern repair cafe", countries=["FJ"])

    response = search_backend.search(SearchQuery(text="lantern", countries=["NZ"]))

    assert [hit.title for hit in response.hits] == [festival.title]
    countries = {value.value: value.count for value in response.facets["country"]}
    assert countries == {"NZ": 1, "FJ": 1}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="facet codes exist on PostgreSQL only"
)
def test_values_that_have_a_code_take_no_new_number(db):
    """Codes are 16-bit: assigning must not spend a number on a value that has one, as an
    INSERT ... ON CONFLICT DO NOTHING of every value would on each write."""
    pairs = [("theme", "youth"), ("country", "GE")]
    with connection.cursor() as cursor:
        first = facet_codes.assign(cursor, pairs)
        numbers_taken = _numbers_taken(cursor)
        for _ in range(3):
            assert facet_codes.assign(cursor, pairs) == first
        assert _numbers_taken(cursor) == numbers_taken
        new = facet_codes.assign(cursor, [*pairs, ("country", "AM")])
        assert _numbers_taken(cursor) == numbers_taken + 1
    assert new[("country", "AM")] == numbers_taken + 1


def _numbers_taken(cursor):
    cursor.execute("SELECT last_value FROM search_facet_code_code_seq")
    return cursor.fetchone()[0]


def test_filter_on_a_value_no_document_has(search_backend, publish):
    """A valid value that no document carries has no code: the filter matches nothing, and
    the facet still offers the values that are there."""
    publish("en", title="Lantern repair cafe", countries=["FJ"])
    response = search_backend.search(SearchQuery(text="lantern", countries=["ZW"]))
    assert response.total == 0
    assert response.hits == []
    assert {value.value: value.count for value in response.facets["country"]} == {"FJ": 1}
