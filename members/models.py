from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index

from editorial.languages import language_name
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

    def get_absolute_url(self):
        return reverse("home:organisation", kwargs={"slug": self.slug})

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


class Profile(models.Model):
    """What a person tells the site about themselves, and how much of it the public sees.
    Nobody is listed until they say so: the public member page and the organisation pages
    show a person only with `is_listed`."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(
        _("display name"),
        max_length=100,
        blank=True,
        help_text=_("How you are named on the site. Empty: your user name."),
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("Languages you read and write.")
    )
    affiliation = models.CharField(
        _("affiliation"),
        max_length=255,
        blank=True,
        help_text=_("Your position and organisation, in your own words."),
    )
    is_listed = models.BooleanField(
        _("show my member page"),
        default=False,
        help_text=_("Your member page is public and the organisations you belong to list you."),
    )
    show_posts = models.BooleanField(_("show my forum posts on my member page"), default=True)
    show_organisations = models.BooleanField(
        _("show my organisations on my member page"), default=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        indexes = [models.Index(fields=["is_listed"], name="members_profile_listed")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("home:person", kwargs={"pk": self.user_id})

    @property
    def name(self):
        return self.display_name or self.user.get_username()

    def language_names(self):
        return [language_name(code) for code in self.languages]

    @classmethod
    def for_user(cls, user):
        """The person's profile, made (unlisted) the first time it is asked for."""
        profile, _created = cls.objects.get_or_create(user=user)
        return profile


class JoinRequest(models.Model):
    """A signed-in person's request to become a member of an organisation, decided by that
    organisation's administrators (or a site editor when it has none)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    message = models.TextField(_("message"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [
            # One open request per person and organisation; decided ones are history.
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(status="pending"),
                name="unique_pending_join_request",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.organisation} ({self.get_status_display()})"


def person_name(user):
    """How the site names `user`: their display name, else their user name."""
    profile = getattr(user, "profile", None)
    return profile.name if profile is not None else user.get_username()
