"""Snippets: a short passage of a result's own text around the first words that matched,
with those words in <mark>. Words are compared through the same analysis as the index, so
"مدينة" is marked in a text that spells it "المَدِينَة" and "budget" marks "budgeting"."""

from functools import lru_cache
from html import escape
from itertools import islice

from . import analysis

SNIPPET_WORDS = 36


class Highlighter:
    """Snippets for the hits of one search: `forms` are the query's word forms
    (`ParsedQuery.forms()`), `prefixes` the folded starts of words that match too
    (`ParsedQuery.prefixes()`). The hits of a page share most of their words, so each
    word's verdict is kept for the next hit."""

    def __init__(self, forms, prefixes=(), max_words=SNIPPET_WORDS):
        self.forms = frozenset(forms)
        self.prefixes = tuple(prefixes)
        self.max_words = max_words
        self._verdicts = {}

    def _matcher(self, language):
        verdicts = self._verdicts.setdefault(language, {})
        forms = self.forms
        prefixes = self.prefixes

        def matches(word):
            verdict = verdicts.get(word)
            if verdict is None:
                word_forms = _forms(word, language)
                verdict = not word_forms.isdisjoint(forms) or any(
                    form.startswith(prefixes) for form in word_forms if prefixes
                )
                verdicts[word] = verdict
            return verdict

        return matches

    def snippet(self, texts, language=""):
        """HTML for the first of `texts` with a matching word, else the start of the first
        non-empty text."""
        language = (language or "").split("-")[0]
        texts = [text[: analysis.MAX_ANALYSED_CHARS] for text in texts if text]
        if not texts:
            return ""
        max_words = self.max_words
        if self.forms or self.prefixes:
            matches = self._matcher(language)
            for text in texts:
                words, first = _words_to_first_match(text, matches, max_words)
                if first is None:
                    continue
                start = _window_start(first, max_words)
                marked = [
                    index
                    for index in range(start, min(len(words), start + max_words))
                    if matches(words[index].group())
                ]
                return _render(text, words, marked, start, max_words)
        text = texts[0]
        return _render(
            text, list(islice(analysis.iter_words(text), max_words + 1)), [], 0, max_words
        )


def snippet(texts, forms, language="", max_words=SNIPPET_WORDS):
    """`Highlighter.snippet` for a single text."""
    return Highlighter(forms, max_words=max_words).snippet(texts, language)


def _words_to_first_match(text, matches, max_words):
    """(the words of `text` as regex matches, index of the first matching word or None).
    The words run one past the snippet's window around that word, so `_render` knows
    whether the text goes on; a long body is not read past it."""
    words = []
    first = None
    for word in analysis.iter_words(text):
        words.append(word)
        if first is None:
            if matches(word.group()):
                first = len(words) - 1
                last_needed = _window_start(first, max_words) + max_words
        elif len(words) > last_needed:
            break
    return words, first


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


def _render(text, words, marked, first, max_words):
    """The words `first` to `first + max_words` of `text`, the `marked` ones (ascending
    indexes) in <mark>. `words` must reach one word past them if the text goes on."""
    # The standard library's escape, as Django's does it, without the lazy-string wrapper
    # that costs more than the escaping. Runs between marks are escaped whole.
    if not words:
        return escape(text[:240])
    last = min(len(words), first + max_words) - 1
    start = 0 if first == 0 else words[first].start()
    end = len(text) if last == len(words) - 1 else words[last].end()
    parts = ["… " if start > 0 else ""]
    cursor = start
    for index in marked:
        a, b = words[index].span()
        parts.append(escape(text[cursor:a]))
        parts.append(f"<mark>{escape(text[a:b])}</mark>")
        cursor = b
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append(" …")
    return "".join(parts).strip()
