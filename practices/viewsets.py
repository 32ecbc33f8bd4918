"""The admin's quality reviews (in the "Library" menu): site editors, and only they
(`practices.permissions`, registered in `PracticesConfig.ready`), review practices against
the published criteria and award the quality label."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet

from editorial.library_menu import LIBRARY_MENU_HOOK

from .models import QualityReview


class ReviewerMixin:
    """The reviewer is whoever saves the review; the revision reviewed is the practice's
    live one when the review is first saved (`QualityReview.clean`)."""

    def save_instance(self):
        if self.form.instance.reviewer_id is None:
            self.form.instance.reviewer = self.request.user
        return super().save_instance()


class QualityReviewCreateView(ReviewerMixin, CreateView):
    pass


class QualityReviewEditView(ReviewerMixin, EditView):
    pass


class QualityReviewViewSet(SnippetViewSet):
    model = QualityReview
    icon = "success"
    menu_label = _("Quality reviews")
    menu_hook = LIBRARY_MENU_HOOK
    menu_order = 400
    add_view_class = QualityReviewCreateView
    edit_view_class = QualityReviewEditView
    list_display = ["practice", "reviewer_organisation", "reviewed_on", "reviewer"]
    ordering = ["-reviewed_on", "-pk"]
    search_backend_name = None
    search_fields = ["practice__title", "reviewer_organisation__name"]

    def get_queryset(self, request):
        return QualityReview.objects.select_related("practice", "reviewer_organisation", "reviewer")
