"""A saved search in words, for emails and the preference centre: "Participatory budgeting ·
Georgia · Practices · “water”"."""

from django.utils.translation import gettext as _

from editorial.languages import language_name
from taxonomy.countries import country_name


class SearchDescriber:
    """Describes many saved searches in the active language with one query for the theme
    labels."""

    def __init__(self):
        self._themes = None

    def _theme_labels(self):
        if self._themes is None:
            from taxonomy.models import Theme

            self._themes = Theme.labels_by_slug(Theme.objects.values_list("slug", flat=True))
        return self._themes

    def __call__(self, subscription):
        from .forms import TYPE_LABELS

        parts = []
        labels = self._theme_labels()
        if subscription.themes:
            parts.append(", ".join(labels.get(slug, slug) for slug in subscription.themes))
        if subscription.countries:
            parts.append(", ".join(country_name(code) for code in subscription.countries))
        if subscription.types:
            parts.append(", ".join(str(TYPE_LABELS.get(t, t)) for t in subscription.types))
        if subscription.languages:
            parts.append(", ".join(str(language_name(code)) for code in subscription.languages))
        if subscription.words:
            parts.append(f"“{subscription.words}”")
        return " · ".join(parts) or _("Everything new in the library")
