"""Receivers of the practices app.

Practices and guides leave the search (and so the exports and the API) when a view
restriction (a password, groups, signed-in users) comes to cover them, and come back when it
is lifted: Wagtail publishes nothing then, so search's publishing handlers do not see it.
A quality review saved or deleted tells the search index (through
`quality_reviews_changed`) to rebuild its practice's document, whose `label` it changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction

from search.indexing import index_items

from .models import GuidePage, PracticePage, QualityReview
from .signals import quality_reviews_changed


def on_view_restriction_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # the page itself is being deleted; its deletion unindexes it
        return
    below = Page.objects.descendant_of(page, inclusive=True)
    index_items(
        {
            object_type: list(below.type(model).values_list("pk", flat=True))
            for object_type, model in (("practice", PracticePage), ("guide", GuidePage))
        }
    )


def register():
    for signal in (post_save, post_delete):
        signal.connect(
            on_view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"practices_view_restriction_{signal is post_save}",
        )


@receiver(post_save, sender=QualityReview, dispatch_uid="practices_quality_review_saved")
@receiver(post_delete, sender=QualityReview, dispatch_uid="practices_quality_review_deleted")
def quality_review_changed(sender, instance, **kwargs):
    quality_reviews_changed.send(sender=QualityReview, practice_ids=[instance.practice_id])
