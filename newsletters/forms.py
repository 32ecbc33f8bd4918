"""The subscription forms. Every one of them is a search: its fields carry the search page's
parameter names (q, theme, country, type, language), and `clean` reads them with
`search.params.parse_search`, so a subscription made from a topic form, from a search page
or in the preference centre is the same saved search."""

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from editorial.languages import content_language_choices
from search.backends.base import SearchQuery
from search.params import InvalidSearch, parse_search

from .models import SUBSCRIBABLE_TYPES, Subscriber, Subscription

TYPE_LABELS = {
    "practice": _("Practices"),
    "guide": _("Guides"),
    "thread": _("Forum threads"),
}
SEARCH_FIELDS = ("q", "theme", "country", "type", "language")


def _theme_choices():
    from taxonomy.models import Theme

    themes = list(Theme.objects.select_related("parent").order_by("sort_order", "name"))
    children = {}
    for theme in themes:
        children.setdefault(theme.parent_id, []).append(theme)
    choices = []

    def walk(parent_id, depth):
        # Depth-bounded: a theme tree that loops must not hang the page.
        if depth > 5:
            return
        for theme in children.get(parent_id, []):
            choices.append((theme.slug, "— " * depth + theme.label()))
            walk(theme.pk, depth + 1)

    walk(None, 0)
    return choices


def _country_choices():
    from taxonomy.models import Country

    countries = [
        (code, Country(code=code).name) for code in Country.objects.values_list("code", flat=True)
    ]
    return sorted(countries, key=lambda item: item[1].casefold())


class SubscriptionForm(forms.Form):
    """What to follow, and how often."""

    q = forms.CharField(
        label=_("Words"),
        required=False,
        max_length=200,
        help_text=_("Optional: only items with these words, as the search box reads them."),
    )
    theme = forms.MultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    country = forms.MultipleChoiceField(
        label=_("Countries"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("None chosen: every country."),
    )
    type = forms.MultipleChoiceField(
        label=_("Content"),
        required=False,
        choices=[(value, TYPE_LABELS[value]) for value in SUBSCRIBABLE_TYPES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: practices, guides and forum threads."),
    )
    language = forms.MultipleChoiceField(
        label=_("Written in"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("None chosen: every language."),
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.WEEKLY,
    )

    def __init__(self, *args, choices=None, **kwargs):
        """`choices`: what `search_choices()` returns, for a page of several forms to read
        the themes and name the countries once."""
        super().__init__(*args, **kwargs)
        choices = choices or self.search_choices()
        for name in ("theme", "country", "language"):
            self.fields[name].choices = choices[name]
        self.search_query = None

    @staticmethod
    def search_choices():
        return {
            "theme": _theme_choices(),
            "country": _country_choices(),
            "language": content_language_choices(),
        }

    @classmethod
    def initial_from_query(cls, query: SearchQuery):
        return {
            "q": query.text[:200],
            "theme": list(query.themes),
            "country": list(query.countries),
            "type": [value for value in query.types if value in SUBSCRIBABLE_TYPES],
            "language": list(query.languages),
        }

    @classmethod
    def initial_from_subscription(cls, subscription):
        return {
            "q": subscription.words,
            "theme": subscription.themes,
            "country": subscription.countries,
            "type": subscription.types,
            "language": subscription.languages,
            "frequency": subscription.frequency,
        }

    def clean(self):
        cleaned = super().clean()
        if any(name in self.errors for name in SEARCH_FIELDS):
            return cleaned
        params = QueryDict(mutable=True)
        params["q"] = cleaned.get("q", "")
        for name in ("theme", "country", "type", "language"):
            params.setlist(name, cleaned.get(name, []))
        try:
            self.search_query = parse_search(params)
        except InvalidSearch as error:
            field = error.parameter if error.parameter in self.fields else None
            self.add_error(field, error.message)
        return cleaned

    def apply_to(self, subscription):
        subscription.set_search(self.search_query)
        subscription.frequency = self.cleaned_data["frequency"]
        return subscription


class SubscribeForm(SubscriptionForm):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    email_language = forms.ChoiceField(
        label=_("Language of the emails"), choices=settings.LANGUAGES
    )
    consent = forms.BooleanField(
        label=_(
            "I agree to receive the emails chosen above from Practice Commons. Every email "
            "has a link to change or stop them; my address is used for nothing else."
        ),
        error_messages={"required": _("Tick the box to agree, or we cannot send anything.")},
    )
    # A honeypot (see the contact form): people never see it, robots fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    field_order = ["email", "email_language", *SEARCH_FIELDS, "frequency", "consent"]

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("website"))

    def clean_email(self):
        return Subscriber.normalise(self.cleaned_data["email"])

    def consent_wording(self):
        return str(self.fields["consent"].label)


class SubscriberPreferencesForm(forms.ModelForm):
    class Meta:
        model = Subscriber
        fields = ["language"]
