"""Receivers of the practices app: a quality review saved or deleted tells the search index
(through `quality_reviews_changed`) to rebuild its practice's document, whose `label` it
changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import QualityReview
from .signals import quality_reviews_changed


@receiver(post_save, sender=QualityReview, dispatch_uid="practices_quality_review_saved")
@receiver(post_delete, sender=QualityReview, dispatch_uid="practices_quality_review_deleted")
def quality_review_changed(sender, instance, **kwargs):
    quality_reviews_changed.send(sender=QualityReview, practice_ids=[instance.practice_id])
