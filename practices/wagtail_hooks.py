"""Admin hooks of practices and guides."""

from django.core.exceptions import PermissionDenied
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet

from editorial.permissions import is_site_editor
from members.models import Membership

from .models import LibraryPage
from .peers import find_peers
from .viewsets import QualityReviewViewSet


@hooks.register("before_create_page")
def only_library_pages_for_organisation_members(request, parent_page, page_class):
    """Organisation members hold "add" on the whole tree so that every locale's practice and
    guide libraries are open to them; this keeps them to practices and guides."""
    if not issubclass(page_class, LibraryPage) and not is_site_editor(request.user):
        raise PermissionDenied


# Each organisation's peers cost a few queries (practices.peers.MAX_QUERIES): a person in
# many organisations sees the first few, by name.
DASHBOARD_ORGANISATIONS = 3


class PeersPanel(Component):
    """ "Organisations like yours" on the dashboard of an organisation's members."""

    name = "peers"
    template_name = "practices/admin/peers_panel.html"
    order = 150

    def __init__(self, organisations):
        self.organisations = organisations

    def get_context_data(self, parent_context):
        return {
            **super().get_context_data(parent_context),
            "matches": [find_peers(organisation) for organisation in self.organisations],
        }


@hooks.register("construct_homepage_panels")
def add_peers_panel(request, panels):
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organisation__country")
        .order_by("organisation__name", "organisation__pk")[:DASHBOARD_ORGANISATIONS]
    )
    organisations = [membership.organisation for membership in memberships]
    if organisations:
        panels.append(PeersPanel(organisations))


register_snippet(QualityReviewViewSet)
