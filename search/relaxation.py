"""No dead ends: what a backend does when no item has every word of a search.

Every backend runs the same steps (`search_leniently`), each step in its own query
language:

1. The query as typed, each two consecutive words also matching the two written together
   (`ParsedQuery.with_joined_words`). A search that finds something ends here, at the cost
   of one query.
2. Otherwise, which words are indexed at all (`present`). A word that is not may match the
   start of indexed words ("particip" finds "participatory") or two indexed words it runs
   together ("ecovillage" finds "eco village"); if it does, the query is run again with
   those alternatives.
3. Still nothing, and the query has two words or more: the relaxed query, items with at
   least one word, ranked first by how many words they have, then by the usual rank
   (`MATCH_PARTIAL`). A word and what was added for it count as one word; two words
   written together count as both.

The response names the typed words that match nothing at all, for the page and the API."""

from collections.abc import Callable, Sequence
from dataclasses import replace

from .backends.base import MATCH_PARTIAL, SearchResponse
from .parsing import ParsedQuery, Term, split_term

# Words indexed nowhere that are tried as two words run together, in the order typed.
MAX_SPLIT_WORDS = 3

# run(parsed, relaxed): the response to `parsed`, every word required or (relaxed) ranked
# by how many it has.
Run = Callable[[ParsedQuery, bool], SearchResponse]
# present(terms): whether each term matches any indexed item, filters aside.
Present = Callable[[Sequence[Term]], list[bool]]


def search_leniently(parsed: ParsedQuery, run: Run, present: Present) -> SearchResponse:
    parsed = parsed.with_joined_words()
    response = run(parsed, False)
    if response.total or not parsed.groups:
        return response
    terms = list({id(term): term for group in parsed.groups for term in group}.values())
    found = {id(term) for term, there in zip(terms, present(terms), strict=True) if there}
    missing = [term for _, term in parsed.typed_terms() if id(term) not in found]
    # Second look, only at the words indexed nowhere: as prefixes, and split in two.
    prefixable = [term for term in missing if term.can_prefix()]
    # Each split is a lookup: only the first few words are tried.
    splits = {id(term): split_term(term, parsed.languages) for term in missing[:MAX_SPLIT_WORDS]}
    candidates = [replace(term, prefix=True) for term in prefixable]
    candidates += [split for options in splits.values() for split in options]
    answers = present(candidates) if candidates else []
    verdicts = dict(zip(map(id, candidates), answers, strict=True))
    prefixed = {
        id(term)
        for term, candidate in zip(prefixable, candidates, strict=False)
        if verdicts[id(candidate)]
    }
    alternatives, split_found = {}, set()
    for number, term in parsed.typed_terms():
        kept = [split for split in splits.get(id(term), ()) if verdicts[id(split)]]
        if kept:
            alternatives.setdefault(number, []).extend(kept)
            split_found.add(id(term))
    matched = [
        any(id(term) in found or id(term) in prefixed for term in group) or number in alternatives
        for number, group in enumerate(parsed.groups)
    ]
    # A typed word matches nothing when neither it, its prefix, its split nor the word it
    # makes with a neighbour is indexed.
    unmatched = [
        term.text
        for number, term in parsed.typed_terms()
        if not {id(term)} & (found | prefixed | split_found)
        and not any(other.joined and id(other) in found for other in parsed.groups[number])
    ]
    expanded = parsed.with_alternatives(prefixed, alternatives)
    if prefixed or alternatives:
        response = run(expanded, False)
    if not response.total and len(parsed.groups) >= 2 and any(matched):
        response = run(expanded, True)
        if response.total:
            response.match = MATCH_PARTIAL
    response.unmatched_words = list(dict.fromkeys(unmatched))
    return response
