"""Text analysis for the database backend, used the same way at index and at query time.

A word goes through `normalize` (Unicode, case and script-specific spelling variants), then
gets up to three more forms: `fold`ed (Latin and Cyrillic diacritics removed), stemmed, and
the stem of the folded form (`analyse`). The index holds the forms of every word (see
`search.fulltext`); a query word matches when any of its forms is among them. So
"spolecznosci" finds "społeczności", "مدينه" finds "المَدِينَة", "sedinta" finds "ședință"
and "şedinţă", and "budgets" finds "budgeting"."""

import hashlib
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import filterfalse
from operator import itemgetter

import snowballstemmer

# Languages whose text is stemmed, and the Snowball algorithm for each. Georgian and
# Macedonian have no maintained stemmer: their words are matched as normalised and folded.
STEMMERS = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fa": "persian",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "tr": "turkish",
}
STEMMERS = {code: name for code, name in STEMMERS.items() if name in snowballstemmer.algorithms()}

# Longest text analysed per field: PostgreSQL keeps word positions only up to 16,383 and a
# document's relevance is decided long before its 20,000th character.
MAX_ANALYSED_CHARS = 20_000

MIN_STEM_LENGTH = 3

# Longer "words" are identifiers, hashes or run-together junk, not something anyone types; a
# query made of one such word must still get an answer, not an index error.
MAX_WORD_CHARS = 100

# Joins two adjacent words into one pair (PostgreSQL: see `pair_hash`): a quoted phrase
# becomes a lookup of its word pairs. Never part of a word (see WORD_PATTERN).
SHINGLE_JOINER = "+"

# Function words of the library's languages (and of the other languages Participedia's
# records are written in), as typed. Word pairs skip them: "city of Cluj" is indexed as the
# pair city+cluj, and so is the quoted query, as PostgreSQL's own phrase search and most
# search engines drop such words from phrases. Pairs are two fifths fewer; each word is
# still indexed on its own. One list for every language: a query's words are paired the
# same way whatever the language of the documents they are looked up in.
FUNCTION_WORDS_AS_TYPED = """
    a an the of in on at to for and or by with from as is are was were be been it its this
    that these those into than their they we our but not has have had which who
    de la și în cu pe din pentru al ale ai o un unei unui care este să se nu prin sau mai că
    lui cea cel
    i w z na do się ze że jest to nie po od dla jak oraz lub przez u który która które czy
    ve bir bu ile için da olarak gibi daha çok veya ki her
    и на во за од со да се е што ги го ја не до кон или но а ќе како тоа кој која
    في من على إلى عن مع أن هذا هذه التي الذي ما لا كان قد بين ثم أو
    და რომ ეს არის ან არ ამ იმ
    le les des du une et en au aux par sur dans que qui avec
    el los las del y por para con es
    der die das den dem und im zu von mit für auf ist ein eine einer
    il lo gli di della per che dei
    os as do da dos das em no um uma
"""

ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")
ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, superscript alef, tatweel
ARABIC_LETTERS = str.maketrans(
    {
        "\u0623": "\u0627",  # أ → ا
        "\u0625": "\u0627",  # إ → ا
        "\u0622": "\u0627",  # آ → ا
        "\u0671": "\u0627",  # ٱ → ا
        "\u0629": "\u0647",  # ة → ه
        "\u0649": "\u064a",  # ى → ي
    }
)
# Romanian's correct letters have a comma below; older keyboards and fonts give a cedilla.
ROMANIAN_COMMA = str.maketrans({"ş": "ș", "Ş": "Ș", "ţ": "ț", "Ţ": "Ț"})
TURKIC = {"tr", "az"}
TURKIC_CASE = str.maketrans({"I": "ı", "İ": "i"})
# Letters that carry no combining mark to strip but that people type without their stroke.
FOLD_LETTERS = str.maketrans(
    {
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "ø": "o",
        "ı": "i",
        "ħ": "h",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
    }
)


# Combining marks that belong inside words (Arabic harakat, Hebrew points, Cyrillic titlo...)
# and whole blocks of the scripts whose vowel signs are marks (Indic, Thai, Lao, Myanmar).
# `\w` alone would split "مَدِينَة" or "हिन्दी" at every mark. One character class keeps the
# tokenizer fast; the underscore, a `\w` character, is turned into a space first.
WORD_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f\u1ab0-\u1aff\u1dc0-\u1dff"
    "\u20d0-\u20ff\ufe20-\ufe2f"
)
WORD_PATTERN = re.compile(f"[\\w{WORD_MARKS}]+")


def iter_words(text):
    """The words of `text` as regex matches, whose spans are those of the text as it is
    (for highlighting)."""
    return WORD_PATTERN.finditer(text.replace("_", " "))


def normalize(text, language=""):
    """The canonical spelling of `text`: what is the same word to a reader becomes the same
    string. Keeps diacritics (see `fold`)."""
    text = unicodedata.normalize("NFKC", text.replace("\x00", ""))
    language = (language or "").split("-")[0]
    if language == "ro":
        text = text.translate(ROMANIAN_COMMA)
    if language in TURKIC:
        text = text.translate(TURKIC_CASE)
    # casefold turns İ into i + U+0307 (combining dot above); outside Turkish the dot is noise.
    text = text.casefold().replace("i\u0307", "i")
    if ARABIC_SCRIPT.search(text):  # str.translate is slow on long texts: only when needed
        text = ARABIC_MARKS.sub("", text).translate(ARABIC_LETTERS)
    return text


@lru_cache(maxsize=200_000)
def fold(word):
    """`word` without Latin and Cyrillic diacritics: "społeczności" → "spolecznosci",
    "ședință" → "sedinta", "ѓорѓи" → "горги". Other scripts are unchanged."""
    decomposed = unicodedata.normalize("NFD", word.translate(FOLD_LETTERS))
    kept = []
    base = ""
    for char in decomposed:
        if unicodedata.combining(char) and base < "\u0530":
            continue
        if not unicodedata.combining(char):
            base = char
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


_stemmers = threading.local()


def _stemmer(language):
    # Snowball stemmer objects keep state between calls: one per thread.
    cache_ = getattr(_stemmers, "by_language", None)
    if cache_ is None:
        cache_ = _stemmers.by_language = {}
    if language not in cache_:
        algorithm = STEMMERS.get(language)
        cache_[language] = snowballstemmer.stemmer(algorithm) if algorithm else None
    return cache_[language]


@lru_cache(maxsize=200_000)
def stem(word, language):
    """The Snowball stem of a normalised word, or the word itself when the language has no
    stemmer or the word is not in a script the stemmer knows."""
    stemmer = _stemmer((language or "").split("-")[0])
    if stemmer is None or word.isdigit():
        return word
    stemmed = stemmer.stemWord(word)
    # Aggressive stemmers cut words down to two letters (Turkish "insan" → "in"), which
    # then match short words of every other language.
    return stemmed if len(stemmed) >= MIN_STEM_LENGTH else word


def tokenize(text):
    """The words of normalised text."""
    tokens = WORD_PATTERN.findall(text.replace("_", " "))
    # Checking every word's length in C first: texts with an overlong word are rare.
    if tokens and max(map(len, tokens)) > MAX_WORD_CHARS:
        return [word for word in tokens if len(word) <= MAX_WORD_CHARS]
    return tokens


def words(text, language=""):
    return tokenize(normalize(text[:MAX_ANALYSED_CHARS], language))


# Per language: word -> (folded, stemmed, folded then stemmed). Building a large index meets
# the same words again and again; one dictionary lookup per word keeps it fast.
_index_forms: dict[str, dict[str, tuple[str, str, str]]] = {}
INDEX_FORMS_CACHE_SIZE = 500_000


FOLDED = itemgetter(0)
STEMMED = itemgetter(1)
FOLDED_STEMMED = itemgetter(2)


def _cache_forms(cache, token, language):
    folded = fold(token)
    forms = (folded, stem(token, language), stem(folded, language))
    cache[token] = forms
    return forms


def _forms(cache, tokens, language):
    """The cached forms of each of `tokens`; `map` and `itemgetter` keep the loop in C (a
    rebuild looks up every word of every document)."""
    forms = list(map(cache.get, tokens))
    if None in forms:
        forms = [
            form or _cache_forms(cache, token, language)
            for form, token in zip(forms, tokens, strict=True)
        ]
    return forms


@dataclass(frozen=True)
class IndexedText:
    """The four forms of a text's words, each a sequence in the text's order: as normalised,
    folded, stemmed, folded then stemmed. Without a stemmer the last two are the first two."""

    exact: tuple[str, ...]
    folded: tuple[str, ...]
    stemmed: tuple[str, ...]
    folded_stemmed: tuple[str, ...]

    def sequences(self):
        """The distinct sequences, in the order above."""
        unique = []
        for sequence in (self.exact, self.folded, self.stemmed, self.folded_stemmed):
            if sequence and sequence not in unique:
                unique.append(sequence)
        return unique


EMPTY = IndexedText((), (), (), ())


def analyse(text, language=""):
    """`IndexedText` of `text`, written in `language`."""
    tokens = words(text, language)
    if not tokens:
        return EMPTY
    language = (language or "").split("-")[0]
    cache = _index_forms.setdefault(language, {})
    if len(cache) > INDEX_FORMS_CACHE_SIZE:
        cache.clear()
    forms = _forms(cache, tokens, language)
    folded = tuple(map(FOLDED, forms))
    exact = tuple(tokens)
    if language not in STEMMERS:
        return IndexedText(exact, folded, exact, folded)
    return IndexedText(exact, folded, tuple(map(STEMMED, forms)), tuple(map(FOLDED_STEMMED, forms)))


def index_lexemes(text, language=""):
    """What PostgreSQL indexes for `text` (see `search.fulltext`), as (lexemes, pairs): each
    word folded and its folded stem, and each pair of adjacent folded words (`shingles`).
    The same as taking those from `analyse`, without building the forms nobody reads: a
    rebuild analyses every word of every document."""
    tokens = words(text, language)
    if not tokens:
        return set(), set()
    language = (language or "").split("-")[0]
    cache = _index_forms.setdefault(language, {})
    if len(cache) > INDEX_FORMS_CACHE_SIZE:
        cache.clear()
    forms = _forms(cache, tokens, language)
    folded = list(map(FOLDED, forms))
    lexemes = set(folded)
    # Without a stemmer the folded stem is the folded word.
    lexemes.update(map(FOLDED_STEMMED, forms))
    return lexemes, set(shingles(folded))


def index_terms(text, language=""):
    """What SQLite indexes for `text`: every distinct sequence of `analyse`, one after the
    other; each keeps the words' order, so a phrase matches within any one of them."""
    return joined_sequences(analyse(text, language))


def joined_sequences(indexed):
    """`index_terms` of an analysed text (`analyse`)."""
    return " ".join(" ".join(sequence) for sequence in indexed.sequences())


def folded_lexemes(indexed):
    """`index_lexemes` of an analysed text (`analyse`)."""
    lexemes = set(indexed.folded)
    lexemes.update(indexed.folded_stemmed)
    return lexemes, set(shingles(indexed.folded))


@lru_cache(maxsize=1)
def function_words():
    """`FUNCTION_WORDS_AS_TYPED` as the analysis folds them (see `shingles`)."""
    return frozenset(fold(word) for word in tokenize(normalize(FUNCTION_WORDS_AS_TYPED)))


def shingles(sequence):
    """Each pair of adjacent words of `sequence`, function words left out, as one term:
    "a city of parks" → "city+parks"."""
    content = list(filterfalse(function_words().__contains__, sequence))
    return list(map(SHINGLE_JOINER.join, zip(content, content[1:], strict=False)))


# pair -> `pair_hash`: a rebuild meets the same pairs again and again (100,000 bench
# documents hold 14.2 million pairs, 424,000 of them distinct), and a dictionary lookup costs
# 0.07 µs against 0.64 µs for hashing one: about 9 s of CPU per 100,000 documents. As many
# entries as the word-form cache allows words; 500,000 take about 65 MB.
_pair_hashes: dict[str, int] = {}
PAIR_HASH_CACHE_SIZE = 500_000


def pair_hash(pair):
    """A word pair (`shingles`) as PostgreSQL indexes it: the first 8 bytes of the SHA-256
    of its UTF-8 text, as a signed 64-bit integer. Stable across processes and machines (never
    Python's `hash()`), and the same as SQL's
    `('x' || left(encode(sha256(convert_to(pair, 'UTF8')), 'hex'), 16))::bit(64)::bigint`,
    with which migration search.0009 moved the pairs of existing rows. An integer key costs
    the GIN index's build half what a text key does (bench/README.md). Two pairs with the same
    hash would let a phrase find an item holding the other pair (a false positive, never a
    miss): with 64 bits, among millions of distinct pairs, negligible."""
    value = _pair_hashes.get(pair)
    if value is None:
        if len(_pair_hashes) > PAIR_HASH_CACHE_SIZE:
            _pair_hashes.clear()
        digest = hashlib.sha256(pair.encode()).digest()
        value = _pair_hashes[pair] = int.from_bytes(digest[:8], "big", signed=True)
    return value


def pair_hashes(pairs):
    """`pair_hash` of each of `pairs`, the cached ones looked up in C (`map`)."""
    hashes = list(map(_pair_hashes.get, pairs))
    if None in hashes:
        hashes = [pair_hash(pair) for pair in pairs]
    return hashes


def word_forms(token, languages=()):
    """Every form under which a normalised query word may have been indexed."""
    folded = fold(token)
    forms = {token, folded}
    for language in languages:
        if language in STEMMERS:
            forms.add(stem(token, language))
            forms.add(stem(folded, language))
    return forms


def script_languages(token, languages):
    """The stemming languages worth applying to a query word: those among `languages` that
    are written in the word's script (an English stemmer says nothing about Arabic)."""
    if any("\u0600" <= char <= "\u06ff" for char in token):
        return ("ar",)
    if any("\u0400" <= char <= "\u04ff" for char in token):
        return tuple(code for code in languages if code in {"ru", "sr", "mk"})
    if any("\u10a0" <= char <= "\u10ff" for char in token):
        return ()
    return tuple(code for code in languages if code not in {"ar", "fa", "ru", "mk", "ka", "el"})
