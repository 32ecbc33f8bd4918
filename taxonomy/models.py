from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index

from .countries import country_name


class TranslatedLabelMixin(models.Model):
    """An English `name` plus one column per other UI language.

    Columns rather than translated rows: every filter, facet and listing can then join one
    row per theme, and a missing translation simply falls back to English."""

    name = models.CharField(_("name (English)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120, blank=True)
    name_mk = models.CharField(_("name (Macedonian)"), max_length=120, blank=True)
    name_ro = models.CharField(_("name (Romanian)"), max_length=120, blank=True)
    name_pl = models.CharField(_("name (Polish)"), max_length=120, blank=True)
    name_ka = models.CharField(_("name (Georgian)"), max_length=120, blank=True)
    name_tr = models.CharField(_("name (Turkish)"), max_length=120, blank=True)

    class Meta:
        abstract = True

    label_panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("name_ar"),
                FieldPanel("name_mk"),
                FieldPanel("name_ro"),
                FieldPanel("name_pl"),
                FieldPanel("name_ka"),
                FieldPanel("name_tr"),
            ],
            heading=_("Labels"),
        )
    ]

    def __str__(self):
        return self.label()

    @staticmethod
    def label_language(language=None):
        """The UI language a label is wanted in: `language`, else the active one."""
        return (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]

    def label(self, language=None):
        return getattr(self, f"name_{self.label_language(language)}", "") or self.name

    def labels(self):
        """{language: label} for every UI language, for indexing."""
        return {code: self.label(code) for code, _ in settings.LANGUAGES}


class Theme(index.Indexed, TranslatedLabelMixin):
    """A theme of the library (participatory budgeting, green transition...). Themes form a
    shallow tree: a practice tagged with a sub-theme is also found under its parent."""

    slug = models.SlugField(max_length=80, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [
        *TranslatedLabelMixin.label_panels,
        FieldPanel("slug"),
        FieldPanel("parent"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def get_absolute_url(self):
        return reverse("theme_detail", kwargs={"slug": self.slug})

    @classmethod
    def labels_by_slug(cls, slugs, language=None):
        """{slug: label in `language`} of the items with these slugs, as `label` gives it,
        in one query that builds no model instances (facet labels of every search)."""
        column = f"name_{cls.label_language(language)}"
        if column not in {field.attname for field in cls._meta.concrete_fields}:
            column = "name"
        rows = cls.objects.filter(slug__in=list(slugs)).values_list("slug", column, "name")
        return {slug: label or name for slug, label, name in rows}


class Country(index.Indexed, models.Model):
    """An ISO 3166-1 country. Names are not stored: they come, translated, from the standard."""

    code = models.CharField(_("ISO 3166-1 alpha-2 code"), max_length=2, unique=True)

    search_fields = [index.FilterField("code")]

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("country_detail", kwargs={"code": self.code.lower()})

    @property
    def name(self):
        return country_name(self.code)
