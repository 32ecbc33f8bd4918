from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from editorial.characters import RefuseUncarriableTextMixin
from editorial.permissions import is_site_editor
from members.models import Organisation


class LibraryPageForm(RefuseUncarriableTextMixin, WagtailAdminPageForm):
    """The admin form of practices and guides.

    Site editors may give a page any lead organisation. Everyone else writes for their own
    organisations: the choice is limited to them, required (a page without one would be out
    of its author's reach), and preset when there is only one.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = None
        field = self.fields.get("lead_organisation")
        if field is None or self.for_user is None:
            return

        if is_site_editor(self.for_user):
            return
        self.organisations = Organisation.objects.filter(memberships__user=self.for_user).order_by(
            "name"
        )
        # A plain select of a handful of organisations instead of the snippet chooser,
        # whose modal would list every organisation in the library.
        field.widget = forms.Select()
        field.queryset = self.organisations
        field.required = True
        field.empty_label = None if len(self.organisations) == 1 else field.empty_label
        field.error_messages["invalid_choice"] = _(
            "Choose one of your own organisations; you are not a member of this one."
        )
        if not self.instance.lead_organisation_id and len(self.organisations) == 1:
            self.initial["lead_organisation"] = self.organisations[0].pk

    def clean_lead_organisation(self):
        organisation = self.cleaned_data.get("lead_organisation")
        # Checked here as well as by `required`, which Wagtail relaxes for draft saves.
        if self.organisations is not None and organisation is None:
            raise forms.ValidationError(
                _("Choose the organisation this page belongs to."), code="required"
            )
        return organisation


class PracticePageForm(LibraryPageForm):
    """The admin form of practices: the lineage may not run in a circle."""

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("adapted_from")
        # The page form is cleaned before its formsets; clean this one now to read it. A
        # source listed twice is refused by the formset (the unique constraint).
        if formset is None or not formset.is_valid():
            return cleaned_data
        # Imported here: the models module imports this one for `base_form_class`.
        from .lineage import descendant_ids

        page_id = self.instance.pk
        below = descendant_ids(page_id) if page_id else set()
        for form in formset.forms:
            source = form.cleaned_data.get("source")
            if source is None or form.cleaned_data.get("DELETE"):
                continue
            if source.pk == page_id:
                form.add_error("source", _("A practice cannot be adapted from itself."))
            elif source.pk in below:
                form.add_error(
                    "source",
                    _(
                        "“%(title)s” was adapted from this practice (directly or through "
                        "others), so this practice cannot also be adapted from it."
                    )
                    % {"title": source.title},
                )
        return cleaned_data
