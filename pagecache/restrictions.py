"""Wagtail's `PageQuerySet.public()` with the view restrictions remembered per content
generation (pagecache.memo). Wagtail reads every restriction each time `public()` is called,
a query even when the queryset is never run: the home page called it three times, a practice
page's lineage twice, an organisation's page four times (bench/pages.py). Saving or deleting
a restriction, or moving a page, moves the generation on."""

from django.db.models import Q
from wagtail.models import PageViewRestriction

from .memo import remembered


def public(queryset):
    """`queryset.public()`: the pages of `queryset` outside every restricted section."""
    paths = remembered("wagtail:restricted-paths", _restricted_paths)
    if not paths:
        return queryset
    restricted = Q()
    for path in paths:
        # Wagtail's descendant_of_q(inclusive=True): the section's path starts its own.
        restricted |= Q(path__startswith=path)
    return queryset.exclude(restricted)


def _restricted_paths():
    return sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True)))
