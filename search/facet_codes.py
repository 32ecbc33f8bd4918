"""Facet values as small integer codes, so PostgreSQL can hand over every facet value of
every match in one value and Python can count them at once.

Counting facets in SQL means one row per (match, value) pair: for a common word over
100,000 documents that is a quarter of a million rows grouped five ways, several times
the cost of finding the matches. Instead, each `search_match` row carries its facet values
as codes twice: a `smallint[]` for filters (`&&`), and the same codes packed as big-endian
16-bit integers in a `bytea`, which `string_agg` concatenates over the matched rows in one
pass; `count` tallies that buffer with numpy.

Codes live in `search_facet_code` (see `search.schema`). A code is assigned in the
transaction that first writes a row carrying the value, so a code that exists is committed
with the rows that use it. Numbers come from a sequence and are never reused, so what a
number means never changes: `decode` remembers it for the life of the process. Assigning
never trusts memory (a rolled-back assignment leaves a number that no row will carry)."""

import struct
from collections.abc import Iterable

import numpy

from .schema import FACET_CODE_TABLE


def pairs_of(object_type, language, year, status, themes, countries, label=""):
    """The (facet, value) pairs of one document's facet values; values as text."""
    pairs = [("type", object_type), ("language", language)]
    if year is not None:
        pairs.append(("year", str(year)))
    if status:
        pairs.append(("status", status))
    if label:
        pairs.append(("label", label))
    pairs += [("theme", slug) for slug in themes]
    pairs += [("country", code) for code in countries]
    return pairs


def assign(cursor, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The codes of `pairs`, giving new values the next free codes (in the caller's
    transaction)."""
    wanted = sorted(set(pairs))
    if not wanted:
        return {}
    facets = [facet for facet, _ in wanted]
    values = [value for _, value in wanted]
    # Only values without a code reach the INSERT: every row it is offered takes a number
    # from the sequence, even one that ON CONFLICT then drops. Sorted, so that two
    # transactions adding the same new values lock them in the same order (no deadlock).
    cursor.execute(
        f"INSERT INTO {FACET_CODE_TABLE} (facet, value) "
        "SELECT w.facet, w.value FROM unnest(%s::text[], %s::text[]) AS w(facet, value) "
        f"WHERE NOT EXISTS (SELECT 1 FROM {FACET_CODE_TABLE} c "
        "WHERE c.facet = w.facet AND c.value = w.value) "
        "ORDER BY 1, 2 ON CONFLICT (facet, value) DO NOTHING",
        [facets, values],
    )
    cursor.execute(
        f"SELECT c.facet, c.value, c.code FROM {FACET_CODE_TABLE} c "
        "JOIN unnest(%s::text[], %s::text[]) AS w(facet, value) "
        "ON c.facet = w.facet AND c.value = w.value",
        [facets, values],
    )
    # Codes are smallint (the sequence refuses a number past 32,767), packed as unsigned.
    return {(facet, value): code for facet, value, code in cursor.fetchall()}


def pack(codes: list[int]) -> bytes:
    return struct.pack(f">{len(codes)}H", *codes)


def count(packed: bytes | None) -> dict[int, int]:
    """{code: how many times it occurs} in a buffer of packed codes."""
    if not packed:
        return {}
    tally = numpy.bincount(numpy.frombuffer(packed, dtype=">u2"))
    present = numpy.flatnonzero(tally)
    return dict(zip(present.tolist(), tally[present].tolist(), strict=True))


# {database name: {code: (facet, value)}}: see the module's docstring.
_decoded = {}
# {database name: {(facet, value): code}} of codes read outside any transaction: those are
# committed, so they are the values' codes for good (a code read inside a transaction may
# be rolled back with it, and the value get another).
_committed = {}


def decode(cursor, codes: Iterable[int]) -> dict[int, tuple[str, str]]:
    """{code: (facet, value)} of `codes`; reads only codes this process has not seen."""
    name = cursor.db.settings_dict["NAME"]
    known = _decoded.setdefault(name, {})
    missing = [code for code in codes if code not in known]
    if missing:
        cursor.execute(
            f"SELECT code, facet, value FROM {FACET_CODE_TABLE} WHERE code = ANY(%s)", [missing]
        )
        rows = cursor.fetchall()
        known.update({code: (facet, value) for code, facet, value in rows})
        if not cursor.db.in_atomic_block:
            _committed.setdefault(name, {}).update(
                {(facet, value): code for code, facet, value in rows}
            )
    return {code: known[code] for code in codes if code in known}


def codes_of(facet: str, values: Iterable[str], database=None) -> tuple[str, list]:
    """(SQL, parameters) of the codes of a facet's values: a literal array when this process
    knows every value's committed code in `database` (by name), else an uncorrelated
    subquery, which PostgreSQL evaluates once per statement.

    A literal array lets the planner estimate from the column's statistics how many rows
    carry the codes; for a subquery it guesses very few. A listing filtered by a theme and a
    country then walked its index newest first to its twelfth row, instead of sorting every
    match (bench/pages.py, the filtered practice list at 100,000 practices on a loaded
    machine: 99 ms, then about 1 ms)."""
    values = [str(value) for value in values]
    memo = _committed.get(database, {})
    codes = [memo.get((facet, value)) for value in values]
    if values and None not in codes:
        return "%s::smallint[]", [codes]
    sql = (
        f"ARRAY(SELECT c.code FROM {FACET_CODE_TABLE} c "
        "WHERE c.facet = %s AND c.value = ANY(%s::text[]))"
    )
    return sql, [facet, values]
