"""Snippets: a short passage of a result's own text around the first words that matched,
with those words in <mark>. Words are compared through the same analysis as the index, so
"مدينة" is marked in a text that spells it "المَدِينَة" and "budget" marks "budgeting"."""

from html import escape

from . import analysis

SNIPPET_WORDS = 36


def snippet(texts, forms, language="", max_words=SNIPPET_WORDS):
    """HTML for the first of `texts` with a matching word, else the start of the first
    non-empty text. `forms` are the query's word forms (`ParsedQuery.forms()`)."""
    language = (language or "").split("-")[0]
    languages = (language,) if language else ()
    texts = [text[: analysis.MAX_ANALYSED_CHARS] for text in texts if text]
    if not texts:
        return ""
    seen = {}

    def matches(word):
        # A text repeats its words: each distinct word is analysed once per snippet.
        found = seen.get(word)
        if found is None:
            candidates = analysis.word_forms(analysis.normalize(word, language), languages)
            found = seen[word] = not candidates.isdisjoint(forms)
        return found

    if forms:
        for text in texts:
            spans = analysis.word_spans(text)
            first = next((i for i, (a, b) in enumerate(spans) if matches(text[a:b])), None)
            if first is None:
                continue
            # Only the words shown need marking: stop analysing at the window's end.
            start = max(0, first - max_words // 3)
            window = range(start, min(len(spans), start + max_words))
            marked = {i for i in window if matches(text[spans[i][0] : spans[i][1]])}
            return _render(text, spans, marked, start, max_words)
    text = texts[0]
    return _render(text, analysis.word_spans(text), set(), 0, max_words)


def _render(text, spans, marked, first, max_words):
    # The standard library's escape, as Django's does it, without the lazy-string wrapper
    # that costs more than the escaping for a snippet's hundred small parts.
    if not spans:
        return escape(text[:240])
    last = min(len(spans), first + max_words) - 1
    start = 0 if first == 0 else spans[first][0]
    end = len(text) if last == len(spans) - 1 else spans[last][1]
    parts = ["… " if start > 0 else ""]
    cursor = start
    for index in range(first, last + 1):
        a, b = spans[index]
        parts.append(escape(text[cursor:a]))
        word = escape(text[a:b])
        parts.append(f"<mark>{word}</mark>" if index in marked else word)
        cursor = b
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append(" …")
    return "".join(parts).strip()
