from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index

from pagecache.memo import remembered

from .countries import country_name, country_path

# Levels of the theme tree: top-level themes and their sub-themes. The listing facet, the
# home page tiles and the theme pages roll a sub-theme up into its top-level theme, so a
# third level would be counted and shown wrongly.
MAX_THEME_DEPTH = 2


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

    @classmethod
    def label_column(cls, language=None):
        """The column holding the label in `language` (default: the active one), for queries
        that read labels without building instances; "name" for a language without one. An
        empty label in it falls back to "name", as `label` does."""
        column = f"name_{cls.label_language(language)}"
        if column not in {field.attname for field in cls._meta.concrete_fields}:
            return "name"
        return column

    def labels(self):
        """{language: label} for every UI language, for indexing."""
        return {code: self.label(code) for code, _ in settings.LANGUAGES}


class Theme(index.Indexed, TranslatedLabelMixin):
    """A theme of the library (participatory budgeting, green transition...). Themes form a
    tree of at most MAX_THEME_DEPTH levels: a practice tagged with a sub-theme is also found
    under its parent."""

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
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")),
                name="theme_not_its_own_parent",
                violation_error_message=_("A theme cannot be its own parent."),
            )
        ]

    def get_absolute_url(self):
        return reverse("theme_detail", kwargs={"slug": self.slug})

    @classmethod
    def labels_by_slug(cls, slugs, language=None):
        """{slug: label in `language`} of the themes with these slugs, as `label` gives it.
        Every facet list names the themes: their labels are read in one query that builds
        no model instances, remembered until the content changes (pagecache.memo)."""
        column = cls.label_column(language)
        labels = remembered(f"taxonomy:theme-labels:{column}", lambda: cls._labels(column))
        return {slug: labels[slug] for slug in slugs if slug in labels}

    @classmethod
    def _labels(cls, column):
        rows = cls.objects.values_list("slug", column, "name")
        return {slug: label or name for slug, label, name in rows}

    @classmethod
    def known_slugs(cls, slugs):
        """The themes' slugs among `slugs` (a search's theme filters)."""
        return {slug for slug in cls.labels_by_slug(slugs)}

    def lineage(self, themes=None):
        """This theme, its parent, the parent's parent... Never more than MAX_THEME_DEPTH
        themes and never one twice, even on data saved around `clean` (a loop, too deep a
        chain). `themes` ({pk: theme}) walks themes already loaded; without it each step
        up is a query."""
        lineage, current = [self], self
        while len(lineage) < MAX_THEME_DEPTH and current.parent_id is not None:
            current = current.parent if themes is None else themes.get(current.parent_id)
            if current is None or any(current.pk == seen.pk for seen in lineage):
                break
            lineage.append(current)
        return lineage

    def levels_below(self):
        """Pks of the themes below this one, level by level, one query per level. Never more
        levels than the tree may have below a theme and no theme twice, even on corrupt
        data."""
        levels, seen, level = [], {self.pk}, [self.pk]
        while self.pk is not None and len(levels) < MAX_THEME_DEPTH - 1:
            level = [
                pk
                for pk in Theme.objects.filter(parent_id__in=level).values_list("pk", flat=True)
                if pk not in seen
            ]
            if not level:
                break
            seen.update(level)
            levels.append(level)
        return levels

    def subtree_ids(self):
        """Pks of this theme and of every theme below it."""
        return [self.pk, *(pk for level in self.levels_below() for pk in level)]

    def clean(self):
        super().clean()
        if self.parent_id is None:
            return
        if self.parent_id == self.pk:
            raise ValidationError({"parent": _("A theme cannot be its own parent.")})
        parent = self.parent
        parent_lineage = parent.lineage()
        if self.pk is not None and any(theme.pk == self.pk for theme in parent_lineage):
            message = _(
                "“%(parent)s” is below this theme: a theme cannot be placed under one of its "
                "own sub-themes."
            )
            raise ValidationError({"parent": message % {"parent": parent.label()}})
        levels_below = len(self.levels_below())
        level = len(parent_lineage) + 1 + levels_below
        if level > MAX_THEME_DEPTH:
            if levels_below:
                message = _(
                    "Themes nest at most %(max)d levels deep: under “%(parent)s”, the "
                    "sub-themes of this theme would be at level %(level)d."
                )
            else:
                message = _(
                    "Themes nest at most %(max)d levels deep: under “%(parent)s”, this theme "
                    "would be at level %(level)d."
                )
            values = {"max": MAX_THEME_DEPTH, "parent": parent.label(), "level": level}
            raise ValidationError({"parent": message % values})


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
        return country_path(self.code)

    @property
    def name(self):
        return country_name(self.code)
