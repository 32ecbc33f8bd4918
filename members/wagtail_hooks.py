"""Admin hooks of organisations and members. The organisation and membership snippets are
registered with the rest of the library's taxonomy in `taxonomy.wagtail_hooks`."""

from django.core.exceptions import PermissionDenied
from wagtail import hooks

from practices.models import LibraryPage

from .permissions import is_site_editor


@hooks.register("before_create_page")
def only_library_pages_for_organisation_members(request, parent_page, page_class):
    """Organisation members hold "add" on the whole tree so that every locale's practice and
    guide libraries are open to them; this keeps them to practices and guides."""
    if not issubclass(page_class, LibraryPage) and not is_site_editor(request.user):
        raise PermissionDenied
