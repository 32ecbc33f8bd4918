"""The subscribers in the Wagtail admin, with the two GDPR requests: everything the site
holds about one subscriber, as JSON, and erasing one subscriber."""

import json

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import MenuItem

from .models import Subscriber


def subscriber_export(subscriber):
    """Everything stored about `subscriber`, as JSON-ready data."""
    return {
        "email": subscriber.email,
        "account": subscriber.user.get_username() if subscriber.user_id else None,
        "language": subscriber.language,
        "status": subscriber.status,
        "created_at": subscriber.created_at,
        "confirmed_at": subscriber.confirmed_at,
        "unsubscribed_at": subscriber.unsubscribed_at,
        "subscriptions": [
            {
                "words": s.words,
                "themes": s.themes,
                "countries": s.countries,
                "types": s.types,
                "languages": s.languages,
                "frequency": s.frequency,
                "created_at": s.created_at,
                "confirmed_at": s.confirmed_at,
                "last_digest_at": s.last_digest_at,
            }
            for s in subscriber.subscriptions.all()
        ],
        "consents": [
            {
                "time": c.created_at,
                "action": c.action,
                "agreed_to": c.agreed_to,
                "wording_version": c.wording_version,
                "page": c.source_url,
                "network_address_hash": c.network_address_hash,
            }
            for c in subscriber.consents.all()
        ],
    }


def erase_subscriber(subscriber):
    """Delete the subscriber with their subscriptions and consent records."""
    with transaction.atomic():
        subscriber.delete()


class SubscriberIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            MenuItem(
                _("Export data (JSON)"),
                url=reverse(self.viewset_url("export"), args=[instance.pk]),
                icon_name="download",
                priority=40,
            )
        )
        if self.permission_policy.user_has_permission(self.request.user, "delete"):
            buttons.append(
                MenuItem(
                    _("Erase (GDPR)"),
                    url=reverse(self.viewset_url("erase"), args=[instance.pk]),
                    icon_name="bin",
                    priority=50,
                )
            )
        return buttons

    def viewset_url(self, name):
        namespace = self.index_url_name.rsplit(":", 1)[0]
        return f"{namespace}:{name}"


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = gettext_lazy("Subscribers")
    add_to_admin_menu = True
    menu_order = 900
    index_view_class = SubscriberIndexView
    inspect_view_enabled = True
    list_display = [
        "email",
        Column("status", label=gettext_lazy("status"), accessor="get_status_display"),
        "language",
        "created_at",
        "confirmed_at",
    ]
    list_filter = ["status", "language"]
    search_fields = ["email"]
    search_backend_name = None
    form_fields = ["email", "language", "status", "user"]
    ordering = ["-created_at"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("export/<int:pk>/", self.export_view, name="export"),
            path("erase/<int:pk>/", self.erase_view, name="erase"),
        ]

    def _require(self, request, action):
        if not self.permission_policy.user_has_permission(request.user, action):
            raise PermissionDenied

    def export_view(self, request, pk):
        self._require(request, "view")
        subscriber = get_object_or_404(Subscriber.objects.select_related("user"), pk=pk)
        data = json.dumps(
            subscriber_export(subscriber), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
        )
        response = HttpResponse(data, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="subscriber-{subscriber.pk}.json"'
        return response

    def erase_view(self, request, pk):
        self._require(request, "delete")
        subscriber = get_object_or_404(Subscriber, pk=pk)
        if request.method == "POST":
            email = subscriber.email
            erase_subscriber(subscriber)
            messages.success(request, _("%(email)s is erased.") % {"email": email})
            return redirect(self.get_url_name("index"))
        return TemplateResponse(
            request,
            "newsletters/admin/erase.html",
            {
                "subscriber": subscriber,
                "export_url": reverse(self.get_url_name("export"), args=[pk]),
                "header_icon": "bin",
                "page_title": _("Erase %(email)s") % {"email": subscriber.email},
            },
        )


def _editable_issue(request, pk):
    from .models import NewsletterIssuePage

    issue = get_object_or_404(NewsletterIssuePage, pk=pk)
    if not issue.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    # What the editor is working on: the latest revision, saved or not yet published.
    return issue.get_latest_revision_as_object()


def issue_preview_email(request, pk):
    from .issues import render_issue

    return HttpResponse(render_issue(_editable_issue(request, pk)).html)


def issue_send_test(request, pk):
    from .issues import send_test

    issue = _editable_issue(request, pk)
    if request.method == "POST" and request.user.email:
        send_test(issue, request.user)
        messages.success(
            request,
            _("A test of “%(title)s” is on its way to %(email)s.")
            % {"title": issue.title, "email": request.user.email},
        )
        return redirect("wagtailadmin_pages:edit", pk)
    return TemplateResponse(
        request,
        "newsletters/admin/send_test.html",
        {
            "page": issue,
            "title": issue.title,
            "header_icon": "mail",
            "page_title": _("Send a test of %(title)s") % {"title": issue.title},
        },
    )
