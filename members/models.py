from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index

from editorial.structured_data import SCHEMA_CONTEXT


class Organisation(index.Indexed, models.Model):
    """A municipality, CSO, university, donor... that publishes or partners in practices."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        REGIONAL_GOVERNMENT = "regional_government", _("Regional government")
        CSO = "cso", _("Civil-society organisation")
        ACADEMIC = "academic", _("Academic institution")
        DONOR = "donor", _("Donor or programme")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    country = models.ForeignKey(
        "taxonomy.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
    )
    region = models.CharField(_("region"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=255, blank=True)
    population = models.PositiveIntegerField(
        _("population"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("For municipalities and regions."),
    )
    website = models.URLField(_("website"), max_length=500, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)
    contact_email = models.EmailField(
        _("contact email"),
        blank=True,
        help_text=_("Receives messages from the contact form on practices. Never shown."),
    )
    themes = models.ManyToManyField("taxonomy.Theme", blank=True, related_name="organisations")
    # Provenance, for imported records (e.g. a Participedia organisation).
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    external_id = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_(
            "Identifier in the source the record was imported from, e.g. participedia:199."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        MultiFieldPanel(
            [FieldPanel("country"), FieldPanel("region"), FieldPanel("city"),
             FieldPanel("population")],
            heading=_("Where"),
        ),
        FieldPanel("website"),
        FieldPanel("logo"),
        FieldPanel("description"),
        FieldPanel("contact_email"),
        FieldPanel("themes"),
        MultiFieldPanel(
            [FieldPanel("source_url"), FieldPanel("external_id", read_only=True)],
            heading=_("Source"),
        ),
    ]  # fmt: skip
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("description"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~models.Q(external_id=""),
                name="unique_organisation_external_id",
            )
        ]

    def __str__(self):
        return self.name

    def structured_data(self, request=None, context=True):
        """schema.org Organization (JSON-LD); `context=False` to nest it in another item."""
        data = {"@context": SCHEMA_CONTEXT} if context else {}
        data.update({"@type": "Organization", "name": self.name})
        if self.website:
            data["url"] = self.website
        if self.description:
            data["description"] = self.description
        address = {
            key: value
            for key, value in (
                ("addressCountry", self.country.code if self.country_id else ""),
                ("addressRegion", self.region),
                ("addressLocality", self.city),
            )
            if value
        }
        if address:
            data["address"] = {"@type": "PostalAddress", **address}
        if self.source_url:
            data["sameAs"] = self.source_url
        return data


class Membership(models.Model):
    """A user's place in an organisation. The role decides what they may do with the
    organisation's content (see `members.permissions`); publishing stays with site editors."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        EDITOR = "editor", _("Editor")
        ADMIN = "admin", _("Administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("user"), FieldPanel("organisation"), FieldPanel("role")]

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    def is_last_admin(self):
        """Whether this membership, as stored, is the only administrator of its
        organisation. An organisation keeps one, so that someone outside the site's editors
        can manage its memberships."""
        return (
            self.pk is not None
            and Membership.objects.filter(pk=self.pk, role=self.Role.ADMIN).exists()
            and not Membership.objects.filter(
                organisation_id=self.organisation_id, role=self.Role.ADMIN
            )
            .exclude(pk=self.pk)
            .exists()
        )
