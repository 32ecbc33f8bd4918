"""Receivers of the practices app.

Practices and guides leave the search (and so the exports and the API) when a view
restriction (a password, groups, signed-in users) comes to cover them, and come back when it
is lifted: Wagtail publishes nothing then, so search's publishing handlers do not see it.
A quality review saved or deleted tells the search index (through
`quality_reviews_changed`) to rebuild its practice's document, whose `label` it changes.

The counts per country and theme (`practices.tallies`) follow every change to what an item
adds to them: the item saved (published, unpublished, edited) or deleted, its themes or
countries changed, a view restriction over it, a move, a theme moved or deleted."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import post_page_move

from search.indexing import index_items
from taxonomy.models import Country, Theme

from . import tallies
from .models import GuidePage, PracticePage, QualityReview
from .signals import quality_reviews_changed


def on_view_restriction_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # the page itself is being deleted; its deletion unindexes it
        return
    below = Page.objects.descendant_of(page, inclusive=True)
    items = {
        object_type: list(below.type(model).values_list("pk", flat=True))
        for object_type, model in (("practice", PracticePage), ("guide", GuidePage))
    }
    index_items(items)
    tallies.items_changed([pk for pks in items.values() for pk in pks])


def on_item_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        tallies.items_changed([instance.pk])


def on_item_taxonomy_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        tallies.items_changed([instance.pk])
    elif pk_set is None:  # a theme or country cleared of every item
        tallies.items_changed(tallies.EVERY_ITEM)
    else:
        tallies.items_changed(pk_set)


def on_page_moved(sender, instance, **kwargs):
    below = Page.objects.descendant_of(instance, inclusive=True)
    tallies.items_changed(below.type(PracticePage, GuidePage).values_list("pk", flat=True))


def on_theme_saving(sender, instance, raw=False, **kwargs):
    if instance.pk and not raw:
        instance._tallied_parent = (
            Theme.objects.filter(pk=instance.pk).values_list("parent_id", flat=True).first()
        )


def on_theme_saved(sender, instance, created, raw=False, **kwargs):
    # Moved under another theme: every item of it now counts for another top-level theme.
    if not raw and not created and getattr(instance, "_tallied_parent", None) != instance.parent_id:
        tallies.items_changed(tallies.EVERY_ITEM)


def on_taxonomy_deleted(sender, instance, **kwargs):
    # Its items' links went with it, without m2m_changed.
    tallies.items_changed(tallies.EVERY_ITEM)


def register():
    for signal in (post_save, post_delete):
        signal.connect(
            on_view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"practices_view_restriction_{signal is post_save}",
        )
    for model in (PracticePage, GuidePage):
        for signal in (post_save, post_delete):
            signal.connect(
                on_item_changed,
                sender=model,
                dispatch_uid=f"practices_tally_{model.__name__}_{signal is post_save}",
            )
    for through in (
        PracticePage.themes.through,
        PracticePage.countries.through,
        GuidePage.themes.through,
    ):
        m2m_changed.connect(
            on_item_taxonomy_changed, sender=through, dispatch_uid=f"practices_tally_{through}"
        )
    post_page_move.connect(on_page_moved, dispatch_uid="practices_tally_moved")
    pre_save.connect(on_theme_saving, sender=Theme, dispatch_uid="practices_tally_theme_saving")
    post_save.connect(on_theme_saved, sender=Theme, dispatch_uid="practices_tally_theme_saved")
    for model in (Theme, Country):
        post_delete.connect(
            on_taxonomy_deleted, sender=model, dispatch_uid=f"practices_tally_{model.__name__}"
        )


@receiver(post_save, sender=QualityReview, dispatch_uid="practices_quality_review_saved")
@receiver(post_delete, sender=QualityReview, dispatch_uid="practices_quality_review_deleted")
def quality_review_changed(sender, instance, **kwargs):
    quality_reviews_changed.send(sender=QualityReview, practice_ids=[instance.practice_id])
