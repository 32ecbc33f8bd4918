"""Text analysis: the same word written differently becomes the same string."""

import importlib
from pathlib import Path

import pytest
import Stemmer

from search.analysis import (
    STEMMERS,
    _stemmer,
    analyse,
    fold,
    index_lexemes,
    index_terms,
    normalize,
    pair_hash,
    pair_hashes,
    shingles,
    stem,
    tokenize,
    words,
)
from search.parsing import parse


@pytest.mark.parametrize(
    ("written", "language", "expected"),
    [
        ("المَدِينَةُ", "ar", "المدينه"),  # harakat stripped, ta marbuta folded
        ("أحمد", "ar", "احمد"),
        ("إسلام", "ar", "اسلام"),
        ("آمن", "ar", "امن"),
        ("ٱلله", "ar", "الله"),
        ("مستشفى", "ar", "مستشفي"),
        ("الـمـدينة", "ar", "المدينه"),  # tatweel
        ("Şedinţă", "ro", "ședință"),  # cedilla → comma below
        ("İSTANBUL", "tr", "istanbul"),
        ("ISPARTA", "tr", "ısparta"),  # Turkish dotless I
        ("İstanbul", "en", "istanbul"),  # no stray combining dot outside Turkish
        ("ﬁnance", "en", "finance"),  # NFKC ligature
        ("СКОПЈЕ", "mk", "скопје"),
        ("თბილისი", "ka", "თბილისი"),
    ],
)
def test_normalize(written, language, expected):
    assert normalize(written, language) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("społeczności", "spolecznosci"),
        ("ședință", "sedinta"),
        ("ışık", "isik"),
        ("straße", "strasse"),
        ("ѓорѓи", "горги"),
        ("المدينه", "المدينه"),
        ("თბილისი", "თბილისი"),
    ],
)
def test_fold(word, expected):
    assert fold(word) == expected


def test_tokenize_keeps_letters_of_every_script_and_drops_symbols():
    text = normalize("Tbilisi თბილისი Скопје عمّان 2024 😀 \u200f(x) a_b", "")
    assert tokenize(text) == ["tbilisi", "თბილისი", "скопје", "عمان", "2024", "x", "a", "b"]


def test_harakat_do_not_split_a_word():
    assert words("مَدِينَة") == ["مدينه"]


def test_stemming_for_languages_with_a_stemmer():
    assert stem("budgeting", "en") == stem("budgets", "en")
    assert stem("consiliului", "ro") == stem("consiliul", "ro")
    assert stem("თბილისში", "ka") == "თბილისში"  # no Georgian stemmer: unchanged


def test_index_terms_hold_every_distinct_sequence_once():
    # Exact, folded, stemmed, folded and stemmed: each whole, so a phrase matches in any.
    assert index_terms("Społeczności lokalne", "pl") == (
        "społeczności lokalne spolecznosci lokalne społecznośc lokaln spolecznosc lokaln"
    )
    # A sequence equal to an earlier one is not repeated.
    assert index_terms("Cluj", "ro") == "cluj"


def test_index_terms_of_plain_english_are_not_repeated_needlessly():
    assert index_terms("open data", "") == "open data"


def test_parse_websearch_syntax():
    parsed = parse('"participatory budgeting" OR deliberation -Cluj tbilisi', ("en",))
    assert len(parsed.groups) == 2
    phrase, alternative = parsed.groups[0]
    assert [p["exact"] for p in phrase.positions] == ["participatory", "budgeting"]
    assert alternative.positions[0]["exact"] == "deliberation"
    assert parsed.groups[1][0].positions[0]["exact"] == "tbilisi"
    assert [t.positions[0]["exact"] for t in parsed.excluded] == ["cluj"]


@pytest.mark.parametrize(
    "text",
    ["", "   ", "()", "''", '"', "&&||!", "😀😀", "\u200f\u200e", "\x00", "-", "OR OR"],
)
def test_parse_of_text_without_words_is_empty(text):
    assert parse(text, ("en",)).is_empty


def test_parse_caps_the_number_of_words():
    parsed = parse(" ".join(f"w{i}" for i in range(500)), ("en",))
    assert len(parsed.groups) == 32


def test_word_pairs_leave_function_words_out():
    assert shingles(["a", "city", "of", "parks", "and", "gardens"]) == [
        "city+parks",
        "parks+gardens",
    ]
    # Folded, in any of the languages: "în" and "și" are Romanian, "في" Arabic.
    assert shingles(["bugetare", "in", "orasul", "si", "judetul"]) == [
        "bugetare+orasul",
        "orasul+judetul",
    ]
    assert shingles(["المشاركة", "في", "الميزانية"]) == ["المشاركة+الميزانية"]
    assert shingles(["of", "the"]) == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Participatory budgeting in the City of Cluj-Napoca", "en"),
        ("Społeczności lokalnych w gminie Żyrardów", "pl"),
        ("Bugetare participativă în comunitățile vulnerabile", "ro"),
        ("الحكومات المحلّية في الأردن", "ar"),
        ("ადგილობრივი თვითმმართველობის რეფორმა", "ka"),
        ("", "en"),
    ],
)
def test_index_lexemes_are_the_folded_words_their_stems_and_pairs(text, language):
    analysed = analyse(text, language)
    expected = {*analysed.folded, *analysed.folded_stemmed}, set(shingles(analysed.folded))
    assert index_lexemes(text, language) == expected


def test_a_word_pair_hashes_to_the_same_signed_64_bit_integer_in_every_process():
    """The first 8 bytes of the SHA-256 of the pair's UTF-8 text: fixed here so that a change
    of the hash (which would leave every indexed phrase unfindable until a rebuild, and
    break migration search.0009's SQL twin) cannot pass unnoticed."""
    assert pair_hash("participatory+budgeting") == int.from_bytes(
        bytes.fromhex("e69c55786616c41d"), "big", signed=True
    )
    hashes = pair_hashes(["city+parks", "المشاركة+الميزانية", "city+parks"])
    assert hashes[0] == hashes[2] != hashes[1]
    assert all(-(2**63) <= value < 2**63 for value in hashes)


SEEDS = Path(__file__).resolve().parents[2] / "demo" / "seeds"


def pure_python_stemmer(algorithm):
    """Snowball's own pure-Python stemmer for `algorithm`, which snowballstemmer falls back
    to when PyStemmer is missing."""
    module = importlib.import_module(f"snowballstemmer.{algorithm}_stemmer")
    name = "".join(part.capitalize() for part in algorithm.split("_")) + "Stemmer"
    return getattr(module, name)()


def test_stemming_runs_snowballs_c_stemmers_with_the_pure_python_stems():
    """`stem` uses PyStemmer (pyproject.toml: several times faster on a rebuild's new
    words); its stems are byte for byte those of the pure-Python stemmers the index was
    built with before, for every word of the five demo seeds (Arabic, Macedonian, Romanian,
    Polish, Georgian) and of the README (English), as written and folded, through every
    stemmer."""
    assert isinstance(_stemmer("en"), Stemmer.Stemmer)
    vocabulary = set()
    for path in [*sorted(SEEDS.glob("*.txt")), SEEDS.parents[1] / "README.md"]:
        for word in words(path.read_text()):
            vocabulary |= {word, fold(word)}
    assert len(vocabulary) > 2000
    differences = []
    for algorithm in STEMMERS.values():
        c_stemmer, python_stemmer = Stemmer.Stemmer(algorithm), pure_python_stemmer(algorithm)
        differences += [
            (algorithm, word)
            for word in sorted(vocabulary)
            if c_stemmer.stemWord(word) != python_stemmer.stemWord(word)
        ]
    assert differences == []
