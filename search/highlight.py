"""Snippets: a short passage of a result's own text around the first words that matched,
with those words in <mark>. Words are compared through the same analysis as the index, so
"مدينة" is marked in a text that spells it "المَدِينَة" and "budget" marks "budgeting"."""

from functools import lru_cache
from html import escape
from itertools import islice

from . import analysis

SNIPPET_WORDS = 36


def snippet(texts, forms, language="", max_words=SNIPPET_WORDS):
    """HTML for the first of `texts` with a matching word, else the start of the first
    non-empty text. `forms` are the query's word forms (`ParsedQuery.forms()`)."""
    language = (language or "").split("-")[0]
    texts = [text[: analysis.MAX_ANALYSED_CHARS] for text in texts if text]
    if not texts:
        return ""

    def matches(word):
        return not _forms(word, language).isdisjoint(forms)

    if forms:
        for text in texts:
            spans, first = _spans_to_first_match(text, matches, max_words)
            if first is None:
                continue
            start = _window_start(first, max_words)
            window = range(start, min(len(spans), start + max_words))
            marked = [i for i in window if matches(text[spans[i][0] : spans[i][1]])]
            return _render(text, spans, marked, start, max_words)
    text = texts[0]
    return _render(
        text, list(islice(analysis.iter_word_spans(text), max_words + 1)), [], 0, max_words
    )


def _spans_to_first_match(text, matches, max_words):
    """(word spans, index of the first matching word or None). The spans run one word past
    the snippet's window around that word, so `_render` knows whether the text goes on; a
    long body is not read past it."""
    spans = []
    first = None
    for span in analysis.iter_word_spans(text):
        spans.append(span)
        if first is None:
            if matches(text[span[0] : span[1]]):
                first = len(spans) - 1
        elif len(spans) > _window_start(first, max_words) + max_words:
            break
    return spans, first


def _window_start(first, max_words):
    """The first word shown when word `first` is the first match: a third of the window
    before it."""
    return max(0, first - max_words // 3)


# Texts share most of their words: each is analysed once per process, not once per snippet.
@lru_cache(maxsize=100_000)
def _forms(word, language):
    """The forms under which `word`, written in a `language` text, is indexed."""
    languages = (language,) if language else ()
    return frozenset(analysis.word_forms(analysis.normalize(word, language), languages))


def _render(text, spans, marked, first, max_words):
    """The words `first` to `first + max_words` of `text`, the `marked` ones (ascending
    indexes) in <mark>. `spans` must reach one word past them if the text goes on."""
    # The standard library's escape, as Django's does it, without the lazy-string wrapper
    # that costs more than the escaping. Runs between marks are escaped whole.
    if not spans:
        return escape(text[:240])
    last = min(len(spans), first + max_words) - 1
    start = 0 if first == 0 else spans[first][0]
    end = len(text) if last == len(spans) - 1 else spans[last][1]
    parts = ["… " if start > 0 else ""]
    cursor = start
    for index in marked:
        a, b = spans[index]
        parts.append(escape(text[cursor:a]))
        parts.append(f"<mark>{escape(text[a:b])}</mark>")
        cursor = b
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append(" …")
    return "".join(parts).strip()
