"""Counts of live, public practices and guides per country and per top-level theme, kept
as items change rather than counted when a page is shown (`LibraryTally`).

Every change to an item recounts what that item adds (`retally`): each page's share is
remembered (`TalliedPage`), so only the difference is applied to the counts, whatever the
size of the library. Changes that touch many items at once (a view restriction, a move)
retally the items below; a theme moved under another changes what every item adds, and is
retallied whole (`retally()` with no pages).

Receivers report changes through `items_changed`, which retallies at once, or once at the
end of a `deferred()` block: an import sets an item's fields, themes and countries one after
another, each a signal, and retallied each time (213 s of the real Participedia import's
654 s under cProfile on SQLite, 6,647 retallies for 2,279 pages)."""

from collections import Counter, defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from .models import GuidePage, LibraryTally, PracticePage, TalliedPage

KINDS = (("practice", PracticePage), ("guide", GuidePage))

EVERY_ITEM = None

# The page ids changed inside the innermost `deferred()` block (EVERY_ITEM among them when
# everything must be recounted); None outside any.
_deferred_changes = ContextVar("deferred_tally_changes", default=None)


def _shares(page_ids=None):
    """{page id: {(kind, facet, value)}} of the live, public items among `page_ids` (every
    item when None)."""
    shares = defaultdict(set)
    for kind, model in KINDS:
        published = model.objects.live().public()
        if page_ids is not None:
            published = published.filter(pk__in=page_ids)
        roots = (
            published.filter(themes__isnull=False)
            .annotate(root=Coalesce("themes__parent_id", "themes__id"))
            .values_list("pk", "root")
        )
        for pk, root in roots:
            shares[pk].add((kind, "theme", str(root)))
        if kind == "practice":
            countries = published.filter(countries__isnull=False).values_list(
                "pk", "countries__code"
            )
            for pk, code in countries:
                shares[pk].add((kind, "country", code))
    return shares


@transaction.atomic
def retally(page_ids=None):
    """Bring the tallies up to date with the pages `page_ids` (any pages: those that are no
    library items add nothing); with None, recount every item from scratch."""
    if page_ids is None:
        shares = _shares()
        totals = Counter(value for values in shares.values() for value in values)
        TalliedPage.objects.all().delete()
        LibraryTally.objects.all().delete()
        LibraryTally.objects.bulk_create(
            LibraryTally(kind=kind, facet=facet, value=value, count=count)
            for (kind, facet, value), count in totals.items()
        )
        TalliedPage.objects.bulk_create(
            (TalliedPage(page_id=pk, values=sorted(values)) for pk, values in shares.items()),
            batch_size=2000,
        )
        return
    page_ids = set(page_ids)
    if not page_ids:
        return
    shares = _shares(page_ids)
    before = {
        tallied.page_id: {tuple(value) for value in tallied.values}
        for tallied in TalliedPage.objects.select_for_update().filter(page_id__in=page_ids)
    }
    delta = Counter()
    for pk in page_ids:
        now, then = shares.get(pk, set()), before.get(pk, set())
        delta.update(now - then)
        delta.subtract(then - now)
    changed = {key: n for key, n in delta.items() if n}
    if changed:
        LibraryTally.objects.bulk_create(
            [LibraryTally(kind=kind, facet=facet, value=value) for kind, facet, value in changed],
            ignore_conflicts=True,
        )
        by_step = defaultdict(list)
        for key, n in changed.items():
            by_step[n].append(key)
        # Added to the stored count in the statement: two items changed at once both count.
        for n, keys in by_step.items():
            matching = Q()
            for kind, facet, value in keys:
                matching |= Q(kind=kind, facet=facet, value=value)
            LibraryTally.objects.filter(matching).update(count=F("count") + n)
    stale = [pk for pk in page_ids if shares.get(pk, set()) != before.get(pk, set())]
    gone = [pk for pk in stale if not shares.get(pk)]
    if gone:
        TalliedPage.objects.filter(page_id__in=gone).delete()
    if len(gone) < len(stale):
        TalliedPage.objects.bulk_create(
            [TalliedPage(page_id=pk, values=sorted(shares[pk])) for pk in stale if shares.get(pk)],
            update_conflicts=True,
            unique_fields=["page_id"],
            update_fields=["values"],
        )


def items_changed(page_ids=EVERY_ITEM):
    """Retally the pages `page_ids` (EVERY_ITEM: recount everything) now, or at the end of
    the `deferred()` block this runs in."""
    pending = _deferred_changes.get()
    if pending is None:
        retally(page_ids)
    elif page_ids is EVERY_ITEM:
        pending.add(EVERY_ITEM)
    else:
        pending.update(page_ids)


@contextmanager
def deferred():
    """Collect the changes reported inside and retally them once when the block ends
    without an error (with an error, the transaction it runs in is rolled back anyway).
    Run it inside that transaction, so the counts commit with the changes."""
    pending = set()
    token = _deferred_changes.set(pending)
    try:
        yield
    finally:
        _deferred_changes.reset(token)
    if EVERY_ITEM in pending:
        items_changed(EVERY_ITEM)
    elif pending:
        items_changed(pending)


def counts():
    """{(kind, facet): {value: count}} of every value counted, in one query."""
    found = defaultdict(dict)
    for kind, facet, value, count in LibraryTally.objects.filter(count__gt=0).values_list(
        "kind", "facet", "value", "count"
    ):
        found[kind, facet][value] = count
    return found


def practices_per_country(tallies=None):
    """{country code: live public practices}, in every language."""
    tallies = counts() if tallies is None else tallies
    return dict(tallies["practice", "country"])


def per_theme(kind, tallies=None):
    """{top-level theme id: live public items of `kind`}, a sub-theme's counted for its
    parent, in every language."""
    tallies = counts() if tallies is None else tallies
    return {int(value): n for value, n in tallies[kind, "theme"].items()}
