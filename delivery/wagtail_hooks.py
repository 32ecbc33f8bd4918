"""The "Email" admin menu: progress of every send (read-only) and the suppressed addresses."""

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import Send, Suppression


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """Sends are written by the pipeline alone: the admin only shows them."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action == "view"])


# Before the viewset below is registered, or Wagtail creates its default policy.
register_permission_policy(Send, ViewOnlyPermissionPolicy(Send))


def _progress(send):
    done = send.sent_count + send.failed_count + send.uncertain_count + send.skipped_count
    return format_html(
        '<progress max="{}" value="{}" aria-label="{}">{} / {}</progress>',
        send.total,
        done,
        _("Progress"),
        done,
        send.total,
    )


class SendViewSet(ModelViewSet):
    model = Send
    name = "delivery_sends"
    icon = "mail"
    menu_label = _("Sends")
    list_display = [
        "kind",
        "label",
        DateColumn("created_at", label=_("Created")),
        Column("total", label=_("Recipients")),
        Column("sent_count", label=_("Sent")),
        Column("failed_count", label=_("Failed")),
        Column("uncertain_count", label=_("Uncertain")),
        Column("skipped_count", label=_("Skipped")),
        Column("remaining_count", label=_("Remaining")),
        Column("progress", label=_("Progress"), accessor=_progress),
    ]
    list_filter = ["kind"]
    search_fields = ["label", "kind"]
    search_backend_name = None
    ordering = ["-created_at"]
    inspect_view_enabled = True
    inspect_view_fields = ["kind", "label", "created_at", "total"]
    copy_view_enabled = False
    # No one may add or edit a send (see the policy); the form exists for Wagtail's sake.
    form_fields = ["kind", "label"]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(queryset=Send.objects.with_totals(), **kwargs)


class SuppressionViewSet(ModelViewSet):
    model = Suppression
    name = "delivery_suppressions"
    icon = "cross"
    menu_label = _("Suppressed addresses")
    list_display = [
        "address",
        "reason",
        Column("soft_bounces", label=_("Soft bounces")),
        DateColumn("suppressed_at", label=_("Suppressed")),
    ]
    list_filter = ["reason"]
    search_fields = ["address"]
    search_backend_name = None
    form_fields = ["address", "reason", "detail"]
    copy_view_enabled = False


class DeliveryViewSetGroup(ModelViewSetGroup):
    menu_label = _("Email")
    menu_icon = "mail"
    menu_order = 220
    items = (SendViewSet, SuppressionViewSet)


@hooks.register("register_admin_viewset")
def register_delivery_viewsets():
    return DeliveryViewSetGroup()
