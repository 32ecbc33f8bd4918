"""Behaviour of the database backend that needs its own pages (ranking, phrases, paging,
related items), on PostgreSQL or SQLite (DATABASE_URL)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.backends.base import SearchQuery


def search(backend, text="", **options):
    return backend.search(SearchQuery(text=text, **options))


def titles(response):
    return [hit.title for hit in response.hits]


def test_quoted_phrase_needs_the_words_together(search_backend, publish):
    together = publish("en", title="Open budget data", summary="Budget data is open.")
    publish("en", title="Open meetings", summary="The data about the budget is public.")
    response = search(search_backend, '"budget data"')
    assert titles(response) == [together.title]


def test_title_match_ranks_above_body_only_match(search_backend, publish):
    body_only = publish(
        "en",
        title="Neighbourhood councils",
        summary="Residents meet monthly.",
        body=[("paragraph", "<p>They also discuss composting and waste.</p>")],
    )
    in_title = publish("en", title="Community composting", summary="A pilot in three districts.")
    response = search(search_backend, "composting")
    assert titles(response) == [in_title.title, body_only.title]
    assert response.hits[0].score > response.hits[1].score


def test_snippet_escapes_html(search_backend, publish):
    publish("en", title="Escaping", summary="<script>alert(1)</script> budget & more")
    hit = search(search_backend, "budget escaping").hits[0]
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "<mark>budget</mark>" in hit.snippet


def test_paging(search_backend, publish):
    for number in range(7):
        publish("en", title=f"Market day {number}", summary="Street market pilot.")
    first = search(search_backend, "market", page=1, page_size=3)
    second = search(search_backend, "market", page=2, page_size=3)
    third = search(search_backend, "market", page=3, page_size=3)
    beyond = search(search_backend, "market", page=9, page_size=3)
    assert [first.total, second.total, third.total, beyond.total] == [7, 7, 7, 7]
    assert [len(first.hits), len(second.hits), len(third.hits), len(beyond.hits)] == [3, 3, 1, 0]
    keys = [hit.key for response in (first, second, third) for hit in response.hits]
    assert len(set(keys)) == 7


def test_more_like_this_shares_themes_in_the_same_language(search_backend, publish):
    base = publish("en", title="Budget A", themes=["participatory-budgeting"], countries=["GE"])
    close = publish("en", title="Budget B", themes=["participatory-budgeting"], countries=["GE"])
    farther = publish("en", title="Budget C", themes=["participatory-budgeting"], countries=["PL"])
    publish("en", title="Unrelated", themes=["health"], countries=["FR"])
    publish("ka", title="Georgian twin", themes=["participatory-budgeting"], countries=["GE"])
    related = search_backend.more_like_this(f"practice:{base.pk}:en")
    assert [hit.title for hit in related] == [close.title, farther.title]


def test_title_then_summary_then_body_across_pages(search_backend, publish):
    body_only = [
        publish(
            "en",
            title=f"Street works {number}",
            summary="Road repairs.",
            body=[("paragraph", "<p>Residents planted an orchard.</p>")],
        )
        for number in range(2)
    ]
    in_summary = [
        publish("en", title=f"Green plan {number}", summary="A community orchard pilot.")
        for number in range(2)
    ]
    in_title = [
        publish("en", title=f"Orchard {number}", summary="Fruit trees.") for number in range(2)
    ]
    expected = {page.title for page in in_title}, {page.title for page in in_summary}
    pages = [search(search_backend, "orchard", page=number, page_size=3) for number in (1, 2, 3)]
    assert [response.total for response in pages] == [6, 6, 6]
    ranked = [hit.title for response in pages for hit in response.hits]
    assert len(ranked) == 6
    assert set(ranked[:2]) == expected[0]
    assert set(ranked[2:4]) == expected[1]
    assert set(ranked[4:]) == {page.title for page in body_only}
    scores = [hit.score for response in pages for hit in response.hits]
    assert scores == sorted(scores, reverse=True)


def test_a_page_across_the_tiers_reads_each_hit_with_its_tier(search_backend, publish):
    publish(
        "en",
        title="Street works",
        summary="Road repairs.",
        body=[("paragraph", "<p>Residents planted an orchard.</p>")],
    )
    publish("en", title="Green plan", summary="A community orchard pilot.")
    publish("en", title="Orchard", summary="Fruit trees.")
    with CaptureQueriesContext(connection) as statements:
        response = search(search_backend, "orchard", with_facets=False)
    assert [hit.title for hit in response.hits] == ["Orchard", "Green plan", "Street works"]
    assert "<mark>orchard</mark>" in response.hits[1].snippet
    assert "<mark>orchard</mark>" in response.hits[2].snippet
    # PostgreSQL: one statement per tier, each reading its hits' documents; SQLite: one
    # ranking every match, then the page's documents.
    assert len(statements) == (3 if connection.vendor == "postgresql" else 2)


def test_excluded_words_leave_every_tier(search_backend, publish):
    publish("en", title="Orchard in the park", summary="Apples.")
    publish("en", title="Park benches", summary="An orchard corner with pears.")
    publish(
        "en",
        title="Playground",
        summary="Swings.",
        body=[("paragraph", "<p>Next to the orchard, cherries.</p>")],
    )
    kept = publish(
        "en",
        title="Tool library",
        summary="Shared tools.",
        body=[("paragraph", "<p>Ladders for the orchard.</p>")],
    )
    response = search(search_backend, "orchard -park -pears -cherries", page_size=1)
    assert response.total == 1
    assert titles(response) == [kept.title]


def test_phrase_with_function_words(search_backend, publish):
    cluj = publish("ro", title="Grădini comunitare în Cluj-Napoca", summary="Un proiect.")
    publish("ro", title="Napoca și Cluj", summary="Alt proiect.")
    assert titles(search(search_backend, '"gradini comunitare in cluj"')) == [cluj.title]
    # A phrase of function words only is answered, not an error.
    assert search(search_backend, '"în și"').total >= 0


def test_phrase_matches_as_typed_give_or_take_case_and_diacritics(search_backend, publish):
    exact = publish("pl", title="Budżet Obywatelski w Gdyni", summary="Głosowanie.")
    publish("pl", title="Obywatelski budżet miasta", summary="Inna kolejność.")
    assert titles(search(search_backend, '"budzet obywatelski"')) == [exact.title]
    assert titles(search(search_backend, '"BUDŻET obywatelski"')) == [exact.title]
