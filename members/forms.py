from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm


class MembershipForm(WagtailAdminModelForm):
    """Organisation admins add people to, and change roles in, their own organisations
    only; site editors to any organisation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Organisation
        from .permissions import organisations_with_role

        user = self.for_user
        field = self.fields.get("organisation")
        if user is None or field is None:
            return
        if user.has_perm("members.change_membership"):
            return
        # A plain select of the admin's organisations instead of the snippet chooser.
        field.widget = forms.Select()
        field.queryset = Organisation.objects.filter(pk__in=organisations_with_role(user, "admin"))
        field.error_messages["invalid_choice"] = _(
            "You can only manage the memberships of organisations you administer."
        )
