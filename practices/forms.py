from wagtail.admin.forms import WagtailAdminPageForm


class LibraryPageForm(WagtailAdminPageForm):
    """The admin form of practices and guides."""
