"""Admin views of organisations and memberships (in the "Library" menu, registered by
`members.wagtail_hooks`). Their permission policies, registered in `MembersConfig.ready`,
let organisation editors reach their own profile and organisation admins their own
memberships; the views below also check the object itself, not only the model."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.views.snippets import DeleteView, EditView, SnippetViewSet

from editorial.library_menu import LIBRARY_MENU_HOOK

from .forms import LAST_ADMIN_MESSAGE, MembershipForm, OrganisationForm
from .models import Membership, Organisation


class ObjectPermissionMixin:
    """Refuse an object the user has no permission on, even with the model permission."""

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.permission_required, instance
        ):
            raise PermissionDenied
        return instance


class ObjectPermissionEditView(ObjectPermissionMixin, EditView):
    pass


class ObjectPermissionDeleteView(ObjectPermissionMixin, DeleteView):
    pass


class MembershipDeleteView(ObjectPermissionDeleteView):
    def form_valid(self, form):
        membership = self.object
        with transaction.atomic():
            # Two admins removing each other at once: the second waits and sees the first.
            Organisation.objects.select_for_update().filter(pk=membership.organisation_id).exists()
            if membership.is_last_admin():
                messages.error(
                    self.request, LAST_ADMIN_MESSAGE % {"organisation": membership.organisation}
                )
                return redirect(self.index_url_name)
            return super().form_valid(form)


class RestrictedSnippetViewSet(SnippetViewSet):
    edit_view_class = ObjectPermissionEditView
    delete_view_class = ObjectPermissionDeleteView
    # Plain database lookups: the lists are short and always current.
    search_backend_name = None

    def get_queryset(self, request):
        return self.permission_policy.instances_user_has_any_permission_for(
            request.user, ["change", "view"]
        )


class OrganisationViewSet(RestrictedSnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    menu_hook = LIBRARY_MENU_HOOK
    menu_order = 300
    list_display = ["name", "kind", "country", "city", "updated_at"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "city", "region"]
    ordering = ["name"]
    edit_handler = ObjectList(Organisation.panels, base_form_class=OrganisationForm)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country")


class MembershipViewSet(RestrictedSnippetViewSet):
    model = Membership
    delete_view_class = MembershipDeleteView
    icon = "user"
    menu_label = _("Memberships")
    menu_hook = LIBRARY_MENU_HOOK
    menu_order = 400
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    ordering = ["organisation__name", "user__username"]
    edit_handler = ObjectList(
        [FieldPanel("user"), FieldPanel("organisation"), FieldPanel("role")],
        base_form_class=MembershipForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "organisation")
