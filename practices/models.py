"""Practices (case studies) and guides: the library's content, and their index pages."""

from dataclasses import dataclass, replace

import pycountry
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.http import QueryDict
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from editorial.blocks import RICH_TEXT_FEATURES, BodyBlock
from editorial.languages import content_language_choices, is_rtl
from editorial.sanitize import plain_text
from editorial.structured_data import SCHEMA_CONTEXT, iso_datetime, site_publisher, without_empty
from members.permissions import OrganisationPagePermissionTester

from .blocks import IndicatorBlock, StepBlock
from .contact import (
    ContactForm,
    check_sending_rate,
    contact_recipient,
    contact_unavailable_reason,
    send_contact_message,
)
from .forms import LibraryPageForm, PracticePageForm

SUMMARY_MAX_LENGTH = 600
LISTING_PAGE_SIZE = 12


def currency_choices():
    return [("", "---------")] + sorted(
        (currency.alpha_3, f"{currency.alpha_3} – {currency.name}")
        for currency in pycountry.currencies
    )


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC_BY_NC = "cc-by-nc-4.0", "CC BY-NC 4.0"
    CC0 = "cc0-1.0", "CC0 1.0"
    PUBLIC_DOMAIN = "public-domain", _("Public domain")
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")
    OTHER = "other", _("Other (see attribution)")


LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


class LibraryPage(Page):
    """What practices and guides share: a summary, themes, countries, the organisation that
    owns the content, its original language and where it came from."""

    summary = models.TextField(
        _("summary"),
        max_length=SUMMARY_MAX_LENGTH,
        validators=[MaxLengthValidator(SUMMARY_MAX_LENGTH)],
        help_text=_("Plain text, at most 600 characters, in the page's language."),
    )
    english_summary = models.TextField(
        _("English summary"),
        blank=True,
        max_length=SUMMARY_MAX_LENGTH,
        validators=[MaxLengthValidator(SUMMARY_MAX_LENGTH)],
        help_text=_("For pages not written in English: a summary for English readers."),
    )
    themes = ParentalManyToManyField(
        "taxonomy.Theme", verbose_name=_("themes"), related_name="%(class)ss"
    )
    countries = ParentalManyToManyField(
        "taxonomy.Country", verbose_name=_("countries"), related_name="%(class)ss"
    )
    lead_organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("lead organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lead_%(class)ss",
        help_text=_("The organisation that owns this content; its members may edit it."),
    )
    original_language = models.CharField(
        _("original language"), max_length=12, choices=content_language_choices, default="en"
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Filled from the start date when left blank."),
    )
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    source_name = models.CharField(
        _("source document"),
        max_length=255,
        blank=True,
        help_text=_("The name of the document this was taken from, when there is no URL."),
    )
    licence = models.CharField(
        _("licence"), max_length=32, choices=Licence.choices, default=Licence.CC_BY
    )
    attribution = models.CharField(
        _("attribution"),
        max_length=500,
        blank=True,
        help_text=_("Credit shown on the page, e.g. “From Participedia, CC BY-SA 4.0”."),
    )
    external_id = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_("Identifier in the source it was imported from, e.g. participedia:case:1."),
    )

    base_form_class = LibraryPageForm

    source_panels = [
        MultiFieldPanel(
            [
                FieldPanel("original_language"),
                FieldPanel("source_url"),
                FieldPanel("source_name"),
                FieldPanel("licence"),
                FieldPanel("attribution"),
            ],
            heading=_("Source and licence"),
        )
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("english_summary"),
        index.FilterField("original_language"),
        index.FilterField("year"),
    ]

    class Meta:
        abstract = True

    @property
    def source(self):
        """Where the item came from: a URL or a document name."""
        return self.source_url or self.source_name

    @property
    def licence_url(self):
        return LICENCE_URLS.get(self.licence, "")

    @property
    def text_direction(self):
        return "rtl" if is_rtl(self.locale.language_code) else "ltr"

    # Relations the page shows twice, in the head's JSON-LD and in the body: read once each,
    # 4 of a practice page's 25 queries (bench/pages.py). A preview's own values still win.
    shown_relations = ("themes", "countries", "tags")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        models.prefetch_related_objects([self], *self.shown_relations)
        return context

    def permissions_for_user(self, user):
        return OrganisationPagePermissionTester(user, self)

    open_graph_type = "article"
    schema_type = "CreativeWork"

    def structured_data(self, request=None):
        """schema.org JSON-LD of the page: what practices and guides share; each type adds
        its own (`extra_structured_data`)."""
        organisation = self.lead_organisation
        return without_empty(
            {
                "@context": SCHEMA_CONTEXT,
                "@type": self.schema_type,
                "name": self.title,
                "headline": self.title,
                "description": self.summary,
                "url": self.get_full_url(request),
                "inLanguage": self.locale.language_code,
                "datePublished": iso_datetime(self.first_published_at),
                "dateModified": iso_datetime(self.last_published_at),
                "author": organisation.structured_data(request, context=False)
                if organisation is not None
                else None,
                "publisher": site_publisher(request),
                "about": [{"@type": "Thing", "name": theme.label()} for theme in self.themes.all()],
                "spatialCoverage": [
                    {
                        "@type": "Country",
                        "name": country.name,
                        "identifier": country.code,
                    }
                    for country in self.countries.all()
                ],
                "keywords": ", ".join(tag.name for tag in self.tags.all()),
                "license": self.licence_url,
                "isBasedOn": self.source_url,
                "creditText": self.attribution,
                **self.extra_structured_data(request),
            }
        )

    def extra_structured_data(self, request):
        return {}

    def clean(self):
        super().clean()
        if self.year is None and getattr(self, "start_date", None):
            self.year = self.start_date.year


class PracticePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "practices.PracticePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class PracticePage(RoutablePageMixin, LibraryPage):
    """A case study: what a municipality, CSO or partnership did, with whom, for whom, at
    what cost and with which results."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")

    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    places = models.CharField(
        _("places"),
        max_length=500,
        blank=True,
        help_text=_("Cities, districts or regions, separated by commas."),
    )
    partner_organisations = ParentalManyToManyField(
        "members.Organisation",
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="partner_practices",
    )
    programme = models.CharField(_("programme or funder"), max_length=255, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # Blank: the source does not say (Participedia's export has no status).
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, blank=True, default="", db_index=True
    )
    budget_amount = models.DecimalField(
        _("budget"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_currency = models.CharField(
        _("currency"), max_length=3, blank=True, choices=currency_choices
    )
    target_groups = models.CharField(_("target groups"), max_length=500, blank=True)
    people_reached = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    outcomes = StreamField(
        [("indicator", IndicatorBlock())], verbose_name=_("outcomes"), blank=True
    )
    lessons_learned = RichTextField(_("lessons learned"), blank=True, features=RICH_TEXT_FEATURES)
    tags = ClusterTaggableManager(through=PracticePageTag, blank=True)

    parent_page_types = ["practices.PracticeIndexPage"]
    subpage_types = []
    template = "practices/practice_page.html"
    base_form_class = PracticePageForm

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("english_summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("themes", widget=forms.CheckboxSelectMultiple), FieldPanel("countries"),
             FieldPanel("places"), FieldPanel("tags")],
            heading=_("Themes and places"),
        ),
        MultiFieldPanel(
            [FieldPanel("lead_organisation"), FieldPanel("partner_organisations"),
             FieldPanel("programme")],
            heading=_("Who"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("status"),
                FieldPanel("year"),
                FieldRowPanel([FieldPanel("budget_amount"), FieldPanel("budget_currency")]),
                FieldPanel("target_groups"),
                FieldPanel("people_reached"),
            ],
            heading=_("Timing, budget and reach"),
        ),
        FieldPanel("outcomes"),
        FieldPanel("lessons_learned"),
        InlinePanel("attachments", label=_("Attachments")),
        InlinePanel(
            "adapted_from",
            label=_("Adapted from"),
            help_text=_(
                "The practices this one was adapted from elsewhere, with what changed and why."
            ),
        ),
        *LibraryPage.source_panels,
    ]  # fmt: skip

    search_fields = LibraryPage.search_fields + [
        index.SearchField("body"),
        index.SearchField("lessons_learned"),
        index.FilterField("status"),
    ]

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")

    @classmethod
    def count_by_country(cls):
        """{country code: number of live public practices}, in every language, in one
        query (the map, the countries index and the home page's chart)."""
        rows = (
            cls.objects.live()
            .public()
            .filter(countries__isnull=False)
            .values_list("countries__code")
            .annotate(n=models.Count("pk", distinct=True))
            .order_by()
        )
        return dict(rows)

    def extra_structured_data(self, request):
        return {
            "contributor": [
                organisation.structured_data(request, context=False)
                for organisation in self.partner_organisations.all()
            ],
            "temporalCoverage": "/".join(
                date.isoformat() if date else ".." for date in (self.start_date, self.end_date)
            )
            if self.start_date or self.end_date
            else "",
            "audience": {"@type": "Audience", "audienceType": self.target_groups}
            if self.target_groups
            else None,
        }

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
        if self.budget_amount is not None and not self.budget_currency:
            raise ValidationError({"budget_currency": _("Give the budget's currency.")})

    @property
    def accepts_contact_messages(self):
        """Whether the contact form is offered: the lead organisation has an address."""
        return bool(contact_recipient(self))

    shown_relations = LibraryPage.shown_relations + ("partner_organisations",)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["contact_form"] = ContactForm() if self.accepts_contact_messages else None
        context["contact_unavailable_reason"] = contact_unavailable_reason(self)
        return context

    @path("contact/", name="contact")
    def contact(self, request):
        """Receive the contact form: queue the email and go back to the page with a message,
        or show the page again with the form's errors."""
        page_url = self.get_url(request)
        if request.method != "POST":
            return redirect(page_url + "#contact")
        if not self.accepts_contact_messages:
            messages.error(request, _("Messages cannot be sent about this practice."))
            return redirect(page_url)
        form = ContactForm(request.POST)
        if not form.is_valid():
            return self.render(request, context_overrides={"contact_form": form})
        if not check_sending_rate(request, form):
            response = self.render(request, context_overrides={"contact_form": form})
            response.status_code = 429
            return response
        # A filled-in honeypot gets the same answer as a person, so robots learn nothing.
        if not form.is_spam:
            send_contact_message(
                self,
                form.cleaned_data["name"],
                form.cleaned_data["email"],
                form.cleaned_data["message"],
            )
        messages.success(
            request,
            _("Thank you. Your message has been sent to %(organisation)s.")
            % {"organisation": self.lead_organisation.name},
        )
        # The page shows its messages at the top of the main content.
        return redirect(page_url)


class PracticeAttachment(Orderable):
    """A document attached to a practice (report, budget sheet, evaluation...)."""

    page = ParentalKey(PracticePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=255, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    @property
    def link_text(self):
        return self.title or self.document.title


class PracticeAdaptation(Orderable):
    """`page` was adapted from `source`: a step in a practice's travel from one place to
    another (`practices.lineage`). Saved with the adapted practice's revisions, so a cited
    version keeps the lineage it had."""

    page = ParentalKey(PracticePage, on_delete=models.CASCADE, related_name="adapted_from")
    source = models.ForeignKey(
        PracticePage,
        verbose_name=_("source practice"),
        on_delete=models.CASCADE,
        related_name="adaptations",
    )
    what_changed = models.TextField(
        _("what changed"),
        max_length=2000,
        help_text=_("What this practice does differently from the source."),
    )
    why = models.TextField(
        _("why"),
        max_length=2000,
        help_text=_("Why it was changed: the local context, law, budget, people..."),
    )

    panels = [FieldPanel("source"), FieldPanel("what_changed"), FieldPanel("why")]

    class Meta(Orderable.Meta):
        verbose_name = _("adaptation")
        verbose_name_plural = _("adaptations")
        constraints = [
            models.UniqueConstraint(fields=["page", "source"], name="one_adaptation_per_source"),
            models.CheckConstraint(
                condition=~models.Q(page=models.F("source")), name="not_adapted_from_itself"
            ),
        ]

    def __str__(self):
        return f"{self.page} ← {self.source}"


class QualityCriteriaPage(Page):
    """The published criteria practices are reviewed against for the quality label, one page
    per locale under its home page, maintained by site editors."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("criteria"), blank=True)

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    template = "practices/quality_criteria_page.html"

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]

    class Meta:
        verbose_name = _("quality criteria")
        verbose_name_plural = _("quality criteria")


class QualityReview(models.Model):
    """A site editor's review of a practice against the quality criteria, awarding the
    quality label. It names the revision reviewed, so that a substantive change published
    later shows as "revised since review" (`practices.quality`)."""

    practice = models.ForeignKey(
        PracticePage,
        verbose_name=_("practice"),
        on_delete=models.CASCADE,
        related_name="quality_reviews",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewer_organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("reviewer's organisation"),
        on_delete=models.PROTECT,
        related_name="quality_reviews",
    )
    reviewed_on = models.DateField(_("review date"))
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("revision reviewed"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("practice"),
        FieldPanel("reviewer_organisation"),
        FieldPanel("reviewed_on"),
        FieldPanel("notes"),
    ]

    class Meta:
        verbose_name = _("quality review")
        verbose_name_plural = _("quality reviews")
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self):
        return f"{self.practice} ({self.reviewed_on:%Y-%m-%d})"

    def clean(self):
        super().clean()
        if not self.revision_id and self.practice_id:
            practice = self.practice
            if not practice.live or not practice.live_revision_id:
                raise ValidationError(
                    {
                        "practice": _(
                            "Only a practice published from the admin can be reviewed "
                            "(imported ones have no saved version yet): publish it, then "
                            "review the version readers see."
                        )
                    }
                )
            self.revision_id = practice.live_revision_id


class GuidePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "practices.GuidePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class GuidePage(LibraryPage):
    """A how-to: ordered steps with resources, for an audience, linked to practices."""

    audience = models.CharField(
        _("audience"),
        max_length=255,
        blank=True,
        help_text=_("Who the guide is for, e.g. municipal finance officers, small CSOs."),
    )
    introduction = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    steps = StreamField([("step", StepBlock())], verbose_name=_("steps"), blank=True)
    tags = ClusterTaggableManager(through=GuidePageTag, blank=True)

    parent_page_types = ["practices.GuideIndexPage"]
    subpage_types = []
    template = "practices/guide_page.html"

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("english_summary"),
        FieldPanel("audience"),
        FieldPanel("introduction"),
        FieldPanel("steps"),
        MultiFieldPanel(
            [
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("countries"),
                FieldPanel("tags"),
            ],
            heading=_("Themes and places"),
        ),
        FieldPanel("lead_organisation"),
        FieldPanel("year"),
        InlinePanel("resources", label=_("Downloadable resources")),
        InlinePanel("related_practices", label=_("Related practices")),
        *LibraryPage.source_panels,
    ]

    search_fields = LibraryPage.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("steps"),
    ]

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")

    schema_type = "HowTo"

    def extra_structured_data(self, request):
        return {
            "step": [
                {
                    "@type": "HowToStep",
                    "position": position,
                    "name": step.value["title"],
                    "text": plain_text(step.value["body"].source),
                }
                for position, step in enumerate(self.steps, start=1)
            ],
            "audience": {"@type": "Audience", "audienceType": self.audience}
            if self.audience
            else None,
        }


class GuideResource(Orderable):
    """A downloadable resource of a guide: a document, or a link elsewhere."""

    page = ParentalKey(GuidePage, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(_("title"), max_length=255)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    url = models.URLField(_("link"), max_length=500, blank=True)

    panels = [FieldPanel("title"), FieldPanel("document"), FieldPanel("url")]

    def clean(self):
        if not self.document_id and not self.url:
            raise ValidationError(_("Choose a document or give a link."))

    @property
    def href(self):
        return self.document.url if self.document_id else self.url


class GuideRelatedPractice(Orderable):
    page = ParentalKey(GuidePage, on_delete=models.CASCADE, related_name="related_practices")
    practice = models.ForeignKey(
        PracticePage, verbose_name=_("practice"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("practice")]


@dataclass
class Listing:
    """One page of a library listing: `faceted` (a `search.faceted.FacetedPage`), the pages
    of its results, and the parameter refused, if one was."""

    faceted: object
    items: list
    error: object = None

    @property
    def count(self):
        return self.faceted.response.total


class LibraryIndexPage(Page):
    """A library section of one locale: a search for its items (`item_type`), in the
    locale's language until another is chosen, newest first, with facets."""

    introduction = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    parent_page_types = ["home.HomePage"]
    max_count_per_parent = 1
    content_panels = Page.content_panels + [FieldPanel("introduction")]
    item_type = ""
    facets = ("theme", "country", "year", "language")
    # The listing's own parameters are part of what it shows (editorial's canonical URL).
    canonical_parameters = ("q", "theme", "country", "year", "status", "language", "sort", "page")

    class Meta:
        abstract = True

    def listing(self, request):
        from search.backends import get_search_backend
        from search.faceted import FacetedPage
        from search.indexing import items_of
        from search.params import InvalidSearch, parse_search

        defaults = {"default_languages": (self.locale.language_code,), "default_sort": "newest"}
        reading = {
            "ui_language": (get_language() or settings.LANGUAGE_CODE).split("-")[0],
            "default_page_size": LISTING_PAGE_SIZE,
            **defaults,
        }
        error = None
        try:
            for name in ("type", "status", "label"):
                if name not in self.facets and request.GET.getlist(name):
                    raise InvalidSearch(
                        name, _("This list has no “%(name)s” filter.") % {"name": name}
                    )
            query = parse_search(request.GET, **reading)
        except InvalidSearch as invalid:
            # The message says what was wrong; the list shows as it does by default.
            error = invalid
            query = parse_search(QueryDict(), **reading)
        query = replace(query, types=(self.item_type,))
        response = get_search_backend().search(query)
        faceted = FacetedPage(
            query,
            response,
            base_url=self.get_url(request),
            facets=self.facets,
            sorts=("newest", "title"),
            **defaults,
        )
        return Listing(faceted=faceted, items=items_of(response.hits), error=error)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["listing"] = self.listing(request)
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if response.context_data["listing"].error is not None:
            response.status_code = 400
        return response


class PracticeIndexPage(LibraryIndexPage):
    """The practice library: every practice of its locale, filtered by facets."""

    subpage_types = ["practices.PracticePage"]
    template = "practices/practice_index_page.html"
    item_type = "practice"
    facets = ("theme", "country", "year", "status", "label", "language")

    class Meta:
        verbose_name = _("practice library")


class GuideIndexPage(LibraryIndexPage):
    """The guide library."""

    subpage_types = ["practices.GuidePage"]
    template = "practices/guide_index_page.html"
    item_type = "guide"

    class Meta:
        verbose_name = _("guide library")


class LibraryTally(models.Model):
    """How many live, public items of a kind (practice, guide) carry a facet's value (a
    country's code, a top-level theme's id: a sub-theme counts for its parent), in every
    language: the home page's chart and theme tiles and the countries index. Kept by
    `practices.tallies` as items change, so those pages read counts instead of counting
    the library (bench/pages.py at 100,000 practices on a loaded machine: the home page's
    two counting queries took 988 and 647 ms, the countries index's 405 ms)."""

    kind = models.CharField(max_length=16)
    facet = models.CharField(max_length=16)
    value = models.CharField(max_length=32)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "facet", "value"], name="one_tally_per_value")
        ]

    def __str__(self):
        return f"{self.kind} {self.facet} {self.value}: {self.count}"


class TalliedPage(models.Model):
    """What a page adds to the tallies now ([kind, facet, value] triples): what a change
    to it takes away. No foreign key: a deleted page's row is read after the page is
    gone."""

    page_id = models.IntegerField(primary_key=True)
    values = models.JSONField(default=list)

    def __str__(self):
        return f"page {self.page_id}: {self.values}"
