"""What people type, read the way web search engines read it (PostgreSQL's websearch
syntax): words are all required, "quoted words" form a phrase, `or` between two terms makes
either enough, a leading minus excludes a term. Any other character is not an operator: it
separates words, so brackets, stray quotes, operators and SQL are just text.

Each word becomes the set of forms it may have been indexed under (`analysis.word_forms`),
grouped by kind so that a phrase can be matched within one kind of the indexed sequences.

So that a search leads somewhere (see `search.relaxation`), two typed words also match the
two written together (`ParsedQuery.with_joined_words`: "Tbilisi Loves" finds
"TbilisiLoves"), and a word that is indexed nowhere may match the start of indexed words
(`Term.prefix`) or two indexed words it runs together (`split_term`)."""

import re
from dataclasses import dataclass, field, replace

from . import analysis

# Words beyond this are ignored: no one types more, and each one costs an index lookup.
MAX_QUERY_WORDS = 32

# Shorter words are not matched as the start of others: one letter starts too many words.
MIN_PREFIX_CHARS = 3
# A word is split into two only when each part has at least this many characters.
MIN_SPLIT_CHARS = 2
# Longer words are not tried as two run together: each split costs an index lookup.
MAX_SPLIT_CHARS = 24

_CHUNK = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass
class Term:
    """A word or a phrase. `positions` holds, for each word, {kind: form}; kinds are
    "exact", "folded", "stem:<language>" and "folded-stem:<language>"."""

    positions: list[dict[str, str]]
    negated: bool = False
    # The chunk as typed (a word, or a quoted phrase without its quotes): what a message
    # about the term shows.
    text: str = ""
    # Matches any indexed word that starts with the word's folded form (one word only).
    prefix: bool = False
    # An alternative the parser added, not something typed: two typed words run together.
    joined: bool = False

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

    @property
    def folded(self):
        """The first word's folded form: what a prefix term matches the start of."""
        position = self.positions[0]
        return position.get("folded", position["exact"])

    @property
    def is_word(self):
        return len(self.positions) == 1

    def can_prefix(self):
        """Whether the term may match as the start of indexed words: a typed word of at
        least `MIN_PREFIX_CHARS` characters."""
        return self.is_word and not self.joined and len(self.folded) >= MIN_PREFIX_CHARS


@dataclass
class ParsedQuery:
    groups: list[list[Term]] = field(default_factory=list)  # AND of ORs of positive terms
    excluded: list[Term] = field(default_factory=list)
    # The stemmers applied to the words: those of the terms `with_joined_words` adds.
    languages: tuple[str, ...] = ()

    @property
    def is_empty(self):
        return not self.groups and not self.excluded

    def forms(self):
        """Every form of every positive word: what snippets highlight."""
        return {form for group in self.groups for term in group for form in term.forms()}

    def prefixes(self):
        """The folded forms whose continuations match (`Term.prefix`): what snippets
        highlight besides `forms`."""
        return {term.folded for group in self.groups for term in group if term.prefix}

    def typed_terms(self):
        """(group index, term) of each positive term that was typed, not added."""
        return [
            (number, term)
            for number, group in enumerate(self.groups)
            for term in group
            if not term.joined
        ]

    def with_joined_words(self):
        """The query where each two consecutive words, each a group of its own, may also be
        written as one word: "eco village" is (eco or ecovillage) and (village or
        ecovillage), which is (eco and village) or ecovillage, and which a query that counts
        matched groups (`search.relaxation`) counts as two words when "ecovillage" matches.
        Names of programmes and places are often written joined."""
        groups = [list(group) for group in self.groups]
        for number in range(len(groups) - 1):
            first, second = self.groups[number], self.groups[number + 1]
            if len(first) != 1 or len(second) != 1:
                continue
            if not (first[0].is_word and second[0].is_word):
                continue
            token = first[0].positions[0]["exact"] + second[0].positions[0]["exact"]
            if len(token) > analysis.MAX_WORD_CHARS:
                continue
            joined = Term(
                _positions([token], self.languages),
                text=f"{first[0].text} {second[0].text}",
                joined=True,
            )
            groups[number].append(joined)
            groups[number + 1].append(joined)
        return replace(self, groups=groups)

    def with_alternatives(self, prefixed=(), alternatives=None):
        """The query where the typed terms in `prefixed` (ids) match as prefixes and the
        group of number n also matches `alternatives[n]` (terms)."""
        alternatives = alternatives or {}
        groups = [
            [replace(term, prefix=True) if id(term) in prefixed else term for term in group]
            + list(alternatives.get(number, ()))
            for number, group in enumerate(self.groups)
        ]
        return replace(self, groups=groups)

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
    parsed = ParsedQuery(languages=tuple(languages))
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
        term = Term(_positions(tokens, languages), negated=negated, text=raw.lstrip("-"))
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


def split_term(term, languages):
    """The ways the one-word `term` could be two words run together ("ecovillage" as "eco
    village"), each a two-word phrase term; the caller keeps those whose words are
    indexed side by side."""
    token = term.positions[0]["exact"]
    if not term.is_word or len(token) > MAX_SPLIT_CHARS:
        return []
    return [
        Term(
            _positions([token[:cut], token[cut:]], languages),
            text=term.text,
            joined=True,
        )
        for cut in range(MIN_SPLIT_CHARS, len(token) - MIN_SPLIT_CHARS + 1)
    ]
