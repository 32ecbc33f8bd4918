"""The quality label: a practice holds it when a site editor reviewed it against the
published criteria (`QualityReview`). When a revision published after the reviewed one
changes the substance (title, summary or body), the label shows "revised since review"."""

import json
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from wagtail.models import PageLogEntry, Revision

from .citations import PUBLISH_ACTIONS
from .models import QualityCriteriaPage, QualityReview

# Values of the search documents' `label` field.
LABEL_REVIEWED = "reviewed"
LABEL_REVISED = "revised"
LABEL_CHOICES = (
    (LABEL_REVIEWED, _("Quality label")),
    (LABEL_REVISED, _("Quality label, revised since review")),
)


def _without_block_ids(value):
    """StreamField data without its blocks' ids, which say nothing about the content."""
    if isinstance(value, list):
        return [_without_block_ids(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_block_ids(item) for key, item in value.items() if key != "id"}
    return value


def substance(revision):
    """What a revision says, for comparing two: its title, summary and body."""
    content = revision.content
    body = content.get("body") or "[]"
    if isinstance(body, str):
        body = json.loads(body)
    return (content.get("title", ""), content.get("summary", ""), _without_block_ids(body))


def revised_since(review, practice):
    """Whether a revision of `practice` published after the one `review` reviewed differs
    from it in substance."""
    if review.revision is None:
        return False
    later_ids = set(
        PageLogEntry.objects.filter(
            page_id=practice.pk,
            action__in=PUBLISH_ACTIONS,
            revision_id__gt=review.revision_id,
        ).values_list("revision_id", flat=True)
    )
    live_revision_id = practice.live_revision_id
    if live_revision_id and live_revision_id > review.revision_id:
        later_ids.add(live_revision_id)
    if not later_ids:
        return False
    reviewed = substance(review.revision)
    return any(
        substance(revision) != reviewed
        for revision in Revision.page_revisions.filter(pk__in=later_ids).order_by("pk")
    )


@dataclass
class QualityLabel:
    review: QualityReview
    revised_since_review: bool
    criteria: QualityCriteriaPage | None

    @property
    def value(self):
        """The search facet's value."""
        return LABEL_REVISED if self.revised_since_review else LABEL_REVIEWED


def criteria_page(locale):
    """The live criteria page of `locale`, else of any locale."""
    pages = QualityCriteriaPage.objects.live().public()
    return pages.filter(locale=locale).first() or pages.order_by("pk").first()


def label_of(practice):
    """The practice's quality label from its latest review, or None if never reviewed."""
    review = (
        QualityReview.objects.filter(practice_id=practice.pk)
        .select_related("reviewer_organisation", "revision")
        .first()
    )
    if review is None:
        return None
    return QualityLabel(
        review=review,
        revised_since_review=revised_since(review, practice),
        criteria=criteria_page(practice.locale),
    )


def label_value(practice):
    """The search documents' `label` of a practice: "reviewed", "revised" or "" (never
    reviewed). Reads `quality_reviews` (prefetched by the search builder), so practices
    without a review cost no query."""
    reviews = list(practice.quality_reviews.all())
    if not reviews:
        return ""
    return LABEL_REVISED if revised_since(reviews[0], practice) else LABEL_REVIEWED
