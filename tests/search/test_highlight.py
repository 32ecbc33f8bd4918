"""Snippets (`search.highlight.snippet`): the window around the first match, marks, escaping."""

from search import highlight
from search.parsing import parse


def forms(text, language="en"):
    return parse(text, (language,), language).forms()


def test_window_around_a_match_deep_in_a_long_text():
    words = [f"w{number}" for number in range(200)]
    words[120] = "budgeting"
    text = " ".join(words)
    html = highlight.snippet([text], forms("budget"), "en", max_words=9)
    assert html == "… w117 w118 w119 <mark>budgeting</mark> w121 w122 w123 w124 w125 …"


def test_text_that_ends_inside_the_window_has_no_trailing_ellipsis():
    html = highlight.snippet(["one two budget three"], forms("budget"), "en", max_words=9)
    assert html == "one two <mark>budget</mark> three"
    html = highlight.snippet(["a b c d e f g h budget"], forms("budget"), "en", max_words=9)
    assert html == "… f g h <mark>budget</mark>"


def test_every_matching_word_in_the_window_is_marked_and_the_text_escaped():
    html = highlight.snippet(["<b>Budget</b> & budgets"], forms("budget"), "en")
    assert html == "&lt;b&gt;<mark>Budget</mark>&lt;/b&gt; &amp; <mark>budgets</mark>"


def test_first_text_with_a_match_wins_else_the_start_of_the_first():
    assert highlight.snippet(["No match here", "A budget"], forms("budget"), "en") == (
        "A <mark>budget</mark>"
    )
    assert highlight.snippet(["No match here", "Nor here"], forms("budget"), "en") == (
        "No match here"
    )
    assert highlight.snippet(["", ""], forms("budget"), "en") == ""


def test_arabic_match_without_vowel_marks():
    html = highlight.snippet(["زيارة المَدِينَة القديمة"], forms("مدينة", "ar"), "ar")
    assert "<mark>المَدِينَة</mark>" in html
