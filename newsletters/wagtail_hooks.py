from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from .admin_views import SubscriberViewSet


@hooks.register("register_admin_viewset")
def register_subscribers():
    return SubscriberViewSet("newsletter_subscribers")


@hooks.register("search_page_actions")
def alerts_for_this_search(state):
    """The search page's "Get alerts for this search": the subscription form, started from
    the page's own parameters."""
    params = [(name, value) for name, value in state.params() if name not in ("page", "sort")]
    url = reverse("newsletters:subscribe") + ("?" + urlencode(params) if params else "")
    return {"url": url, "label": _("Get alerts for this search")}
