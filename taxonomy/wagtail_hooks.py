"""Themes and countries in the admin's "Library" menu."""

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from editorial.library_menu import LIBRARY_MENU_HOOK

from .models import Country, Theme


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Only viewing, for everyone (superusers too): the records come from a standard."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, "view")

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(["view"])


# Before the viewsets below are registered, or Wagtail creates its default policy.
register_permission_policy(Country, ReadOnlyPermissionPolicy(Country))


class ThemeViewSet(SnippetViewSet):
    """Themes listed as their tree: each top-level theme followed by its sub-themes."""

    model = Theme
    icon = "tag"
    menu_label = _("Themes")
    menu_hook = LIBRARY_MENU_HOOK
    menu_order = 100
    list_display = ["name", "parent", "slug", "sort_order"]
    list_filter = ["parent"]
    search_fields = ["name", "slug"]
    search_backend_name = None

    def get_queryset(self, request):
        return (
            Theme.objects.select_related("parent")
            .annotate(
                branch_order=Coalesce("parent__sort_order", "sort_order"),
                branch_name=Coalesce("parent__name", "name"),
            )
            .order_by(
                "branch_order",
                "branch_name",
                F("parent").asc(nulls_first=True),
                "sort_order",
                "name",
            )
        )


class CountryViewSet(SnippetViewSet):
    """The ISO 3166-1 list loaded by a migration: read-only, searchable by code."""

    model = Country
    icon = "site"
    menu_label = _("Countries")
    menu_hook = LIBRARY_MENU_HOOK
    menu_order = 200
    list_display = ["code", "name"]
    search_fields = ["code"]
    search_backend_name = None
    list_per_page = 50


register_snippet(ThemeViewSet)
register_snippet(CountryViewSet)
