from urllib.parse import urlencode

from django.urls import path, reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button

from .admin_views import SubscriberViewSet, issue_preview_email, issue_send_test
from .models import NewsletterIssuePage


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


@hooks.register("register_admin_urls")
def issue_urls():
    return [
        path(
            "newsletters/issues/<int:pk>/send-test/",
            issue_send_test,
            name="newsletters_issue_send_test",
        ),
        path(
            "newsletters/issues/<int:pk>/email/",
            issue_preview_email,
            name="newsletters_issue_preview_email",
        ),
    ]


@hooks.register("register_page_header_buttons")
def issue_buttons(page, user, view_name, next_url=None):
    if not isinstance(page.specific_deferred, NewsletterIssuePage):
        return
    if not page.permissions_for_user(user).can_edit():
        return
    yield Button(
        _("Send a test to me"),
        reverse("newsletters_issue_send_test", args=[page.pk]),
        icon_name="mail",
        priority=60,
    )
    yield Button(
        _("Preview as email"),
        reverse("newsletters_issue_preview_email", args=[page.pk]),
        icon_name="view",
        priority=61,
    )
