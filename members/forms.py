from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from editorial.characters import RefuseUncarriableTextMixin, refuse_uncarriable
from editorial.languages import content_language_choices
from editorial.permissions import is_site_editor

from .models import Organisation, Profile
from .permissions import organisations_with_role

LAST_ADMIN_MESSAGE = _(
    "%(organisation)s needs at least one administrator: make someone else an administrator first."
)


class AccountField(forms.ModelChoiceField):
    """An active account, typed as its email address or username: for people who may not
    browse the list of every account on the site."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        super().__init__(queryset=get_user_model().objects.filter(is_active=True), **kwargs)
        self.help_text = _("The person needs an account on the site.")

    def prepare_value(self, value):
        if value in self.empty_values:
            return ""
        if isinstance(value, str):  # as typed, shown again with the form's errors
            return value
        user = (
            value if isinstance(value, get_user_model()) else self.queryset.filter(pk=value).first()
        )
        if user is None:
            return ""
        return user.email or user.get_username()

    def to_python(self, value):
        # No account has a control character in its name, and PostgreSQL refuses NUL in a
        # query: such text is refused before it is looked up.
        value = value or ""
        refuse_uncarriable(value)
        value = value.strip()
        if not value:
            return None
        found = list(self.queryset.filter(Q(email__iexact=value) | Q(username=value))[:2])
        if not found:
            raise ValidationError(
                _("No account uses the email address or username “%(value)s”."),
                code="invalid_choice",
                params={"value": value[:100]},
            )
        if len(found) > 1:
            raise ValidationError(
                _("Several accounts use “%(value)s”: type the person’s username."),
                code="ambiguous",
                params={"value": value[:100]},
            )
        return found[0]


class OrganisationForm(RefuseUncarriableTextMixin, WagtailAdminModelForm):
    """The admin form of organisations: their names and descriptions reach pages, feeds
    and email."""


class MembershipForm(RefuseUncarriableTextMixin, WagtailAdminModelForm):
    """Organisation admins add people to, and change roles in, their own organisations
    only; site editors to any organisation. Nobody takes away an organisation's last
    administrator (see `MembershipDeleteView` for deletions)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        field = self.fields.get("organisation")
        if user is None or field is None:
            return
        if is_site_editor(user):
            return
        # A plain select of the admin's organisations instead of the snippet chooser.
        field.widget = forms.Select()
        field.queryset = Organisation.objects.filter(pk__in=organisations_with_role(user, "admin"))
        field.error_messages["invalid_choice"] = _(
            "You can only manage the memberships of organisations you administer."
        )
        # The people of other organisations are not theirs to browse.
        if "user" in self.fields:
            self.fields["user"] = AccountField(label=self.fields["user"].label)

    def clean(self):
        cleaned_data = super().clean()
        membership = self.instance
        if "role" not in cleaned_data or "organisation" not in cleaned_data:
            return cleaned_data
        # `instance` still holds the stored values until the form is saved.
        stays_admin = (
            cleaned_data["role"] == membership.Role.ADMIN
            and cleaned_data["organisation"].pk == membership.organisation_id
        )
        if not stays_admin and membership.is_last_admin():
            self.add_error(
                "role",
                ValidationError(
                    LAST_ADMIN_MESSAGE % {"organisation": membership.organisation},
                    code="last_admin",
                ),
            )
        return cleaned_data


class ProfileForm(forms.ModelForm):
    """The person's own profile, edited on the site."""

    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Languages you read and write."),
    )

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "affiliation",
            "languages",
            "is_listed",
            "show_organisations",
            "show_posts",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form: the names are in the visitor's language.
        self.fields["languages"].choices = content_language_choices()

    def clean_display_name(self):
        # No NUL, which PostgreSQL refuses, and no name made of spaces alone.
        return self.cleaned_data["display_name"].replace("\x00", "").strip()

    def clean_affiliation(self):
        return self.cleaned_data["affiliation"].replace("\x00", "").strip()


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the organisation's administrators"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who you are and why you want to join (optional)."),
    )

    def clean_message(self):
        return self.cleaned_data["message"].replace("\x00", "").strip()
