"""Admin hooks of practices and guides."""

from django.core.exceptions import PermissionDenied
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from editorial.permissions import is_site_editor

from .models import LibraryPage
from .viewsets import QualityReviewViewSet


@hooks.register("before_create_page")
def only_library_pages_for_organisation_members(request, parent_page, page_class):
    """Organisation members hold "add" on the whole tree so that every locale's practice and
    guide libraries are open to them; this keeps them to practices and guides."""
    if not issubclass(page_class, LibraryPage) and not is_site_editor(request.user):
        raise PermissionDenied


register_snippet(QualityReviewViewSet)
