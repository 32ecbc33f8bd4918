"""What people type, read the way web search engines read it (PostgreSQL's websearch
syntax): words are all required, "quoted words" form a phrase, `or` between two terms makes
either enough, a leading minus excludes a term. Any other character is not an operator: it
separates words, so brackets, stray quotes, operators and SQL are just text.

Each word becomes the set of forms it may have been indexed under (`analysis.word_forms`),
grouped by kind so that a phrase can be matched within one kind of the indexed sequences."""

import re
from dataclasses import dataclass, field

from . import analysis

# Words beyond this are ignored: no one types more, and each one costs an index lookup.
MAX_QUERY_WORDS = 32

_CHUNK = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass
class Term:
    """A word or a phrase. `positions` holds, for each word, {kind: form}; kinds are
    "exact", "folded", "stem:<language>" and "folded-stem:<language>"."""

    positions: list[dict[str, str]]
    negated: bool = False

    def phrases(self):
        """The term as one token sequence per kind, duplicates removed."""
        kinds = []
        for position in self.positions:
            kinds.extend(kind for kind in position if kind not in kinds)
        result = []
        for kind in kinds:
            sequence = tuple(position.get(kind, position["exact"]) for position in self.positions)
            if sequence not in result:
                result.append(sequence)
        return result

    def forms(self):
        return {form for position in self.positions for form in position.values()}


@dataclass
class ParsedQuery:
    groups: list[list[Term]] = field(default_factory=list)  # AND of ORs of positive terms
    excluded: list[Term] = field(default_factory=list)

    @property
    def is_empty(self):
        return not self.groups and not self.excluded

    def forms(self):
        """Every form of every positive word: what snippets highlight."""
        return {form for group in self.groups for term in group for form in term.forms()}

    def prefix_word(self):
        """The last word typed, as normalised: what suggestions complete."""
        if not self.groups:
            return ""
        return self.groups[-1][-1].positions[-1]["exact"]


def _positions(tokens, languages):
    positions = []
    for token in tokens:
        position = {"exact": token}
        folded = analysis.fold(token)
        if folded != token:
            position["folded"] = folded
        for language in analysis.script_languages(token, languages):
            stemmed = analysis.stem(token, language)
            if stemmed != token:
                position[f"stem:{language}"] = stemmed
            folded_stem = analysis.stem(folded, language)
            if folded_stem not in (token, folded, stemmed):
                position[f"folded-stem:{language}"] = folded_stem
        positions.append(position)
    return positions


def parse(text, languages=("en",), normalize_language=""):
    """Parse `text`. `languages` are the stemmers applied to its words (the searcher's
    language and the languages they filter on); `normalize_language` picks language-specific
    spelling rules (Turkish dotless i, Romanian comma letters)."""
    text = (text or "").replace("\x00", "")
    parsed = ParsedQuery()
    pending_or = False
    budget = MAX_QUERY_WORDS
    for match in _CHUNK.finditer(text):
        negated_phrase, phrase, word = match.groups()
        if word is not None and word.casefold() == "or":
            pending_or = bool(parsed.groups)
            continue
        negated = bool(negated_phrase) if phrase is not None else word.startswith("-")
        raw = phrase if phrase is not None else word
        tokens = analysis.tokenize(analysis.normalize(raw, normalize_language))[:budget]
        if not tokens:
            continue
        budget -= len(tokens)
        term = Term(_positions(tokens, languages), negated=negated)
        if negated:
            parsed.excluded.append(term)
            pending_or = False
        elif pending_or:
            parsed.groups[-1].append(term)
            pending_or = False
        else:
            parsed.groups.append([term])
        if budget <= 0:
            break
    return parsed
