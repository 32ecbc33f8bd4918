"""Subscribers, their consent and their subscriptions.

A subscription is a saved search: the filters and words of the search page, kept as the
values `search.params.parse_search` reads, so that a digest runs exactly the search the
subscriber saw (`Subscription.search_query`)."""

import secrets

from django.conf import settings
from django.db import models
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from search.backends.base import SearchQuery

# What a subscription may follow: no organisations, which are not "published" news.
SUBSCRIBABLE_TYPES = ("practice", "guide", "thread")


def new_token():
    return secrets.token_urlsafe(24)


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Complained")

    # Stored case-folded: one person, one row, whatever case they type.
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_subscribers",
    )
    language = models.CharField(
        _("language of the emails"), max_length=12, choices=settings.LANGUAGES, default="en"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    # The secret the signed links carry; a new one revokes every link sent before.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        indexes = [models.Index(fields=["status"], name="newsletters_subscriber_status")]

    def __str__(self):
        return self.email

    @staticmethod
    def normalise(email):
        return email.strip().casefold()

    @property
    def is_confirmed(self):
        return self.status == self.Status.CONFIRMED

    def unsubscribe(self, now=None):
        self.status = self.Status.UNSUBSCRIBED
        self.unsubscribed_at = now or timezone.now()
        self.save(update_fields=["status", "unsubscribed_at"])


def hash_network_address(address):
    """A keyed hash of a network address: equal addresses compare equal, and without the
    site's secret nobody can tell which address it was."""
    if not address:
        return ""
    return salted_hmac(
        "newsletters.consent.network-address", address, algorithm="sha256"
    ).hexdigest()


class ConsentRecord(models.Model):
    """One thing a subscriber agreed to (or withdrew), with the wording they saw."""

    class Action(models.TextChoices):
        SUBSCRIBE = "subscribe", _("Asked to subscribe")
        CONFIRM = "confirm", _("Confirmed by email")
        CHANGE = "change", _("Changed preferences")
        UNSUBSCRIBE = "unsubscribe", _("Unsubscribed")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    agreed_to = models.TextField(_("what they agreed to"))
    wording_version = models.CharField(_("wording version"), max_length=32)
    source_url = models.CharField(_("page"), max_length=500, blank=True)
    network_address_hash = models.CharField(
        _("network address (keyed hash)"), max_length=64, blank=True
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self):
        return f"{self.subscriber} {self.action} {self.created_at:%Y-%m-%d %H:%M}"


class Subscription(models.Model):
    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly digest")
        MONTHLY = "monthly", _("Monthly digest")
        ISSUES = "issues", _("Curated issues only")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    # The saved search, as the search page's parameters hold it.
    words = models.CharField(_("words"), max_length=200, blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)  # theme slugs
    countries = models.JSONField(_("countries"), default=list, blank=True)  # alpha-2 codes
    types = models.JSONField(_("content types"), default=list, blank=True)
    languages = models.JSONField(_("content languages"), default=list, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Unconfirmed until the subscriber follows the link sent for it.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Digests cover what was published after this.
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        indexes = [
            models.Index(fields=["frequency", "confirmed_at"], name="newsletters_sub_due"),
        ]

    def __str__(self):
        return f"{self.subscriber}: {self.query_string() or '*'} ({self.frequency})"

    def query_params(self):
        """The search page's parameters of this saved search."""
        params = []
        if self.words:
            params.append(("q", self.words))
        params += [("theme", value) for value in self.themes]
        params += [("country", value) for value in self.countries]
        params += [("type", value) for value in self.types or SUBSCRIBABLE_TYPES]
        params += [("language", value) for value in self.languages]
        return params

    def query_string(self):
        query = QueryDict(mutable=True)
        for name, value in self.query_params():
            query.appendlist(name, value)
        return query.urlencode()

    def search_query(self, **changes) -> SearchQuery:
        """The `SearchQuery` the search page builds from the same parameters. The values
        were read by `search.params.parse_search` when the search was saved (`set_search`),
        so they are built into the query as they are; a theme deleted since matches
        nothing (`newsletters.digests` leaves such searches out and says so)."""
        values = {
            "text": self.words,
            "themes": tuple(self.themes),
            "countries": tuple(self.countries),
            "types": tuple(self.types or SUBSCRIBABLE_TYPES),
            "languages": tuple(self.languages),
            "ui_language": self.subscriber.language,
        }
        return SearchQuery(**{**values, **changes})

    def set_search(self, query: SearchQuery):
        """Take the filters and words of `query`, a search read by `parse_search` (page,
        sort, years are a view's, not an alert's)."""
        self.words = query.text[:200]
        self.themes = list(query.themes)
        self.countries = list(query.countries)
        self.types = [value for value in query.types if value in SUBSCRIBABLE_TYPES]
        self.languages = list(query.languages)


# -- curated issues ------------------------------------------------------------------------

ISSUE_RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3"]


class PickBlock(blocks.StructBlock):
    """An editor's pick: a practice or guide of the library, with a word on why."""

    page = blocks.PageChooserBlock(
        label=_("Practice or guide"), page_type=["practices.PracticePage", "practices.GuidePage"]
    )
    note = blocks.TextBlock(label=_("Why it is worth reading"), required=False, max_length=600)


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    body = blocks.RichTextBlock(label=_("Text"), features=ISSUE_RICH_TEXT_FEATURES)


class NewsletterArchivePage(Page):
    """The public archive of one locale's curated issues, newest first."""

    introduction = RichTextField(_("introduction"), blank=True, features=ISSUE_RICH_TEXT_FEATURES)

    parent_page_types = ["home.HomePage"]
    subpage_types = ["newsletters.NewsletterIssuePage"]
    max_count_per_parent = 1
    template = "newsletters/archive_page.html"
    content_panels = Page.content_panels + [FieldPanel("introduction")]

    class Meta:
        verbose_name = _("newsletter archive")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["issues"] = (
            NewsletterIssuePage.objects.child_of(self).live().order_by("-first_published_at")
        )
        return context


class NewsletterIssuePage(Page):
    """A curated issue: written in its locale's language and emailed, when it is first
    published (now or at its scheduled time), to that language's confirmed subscribers whose
    alerts share its themes and countries; then kept in the archive at its own address."""

    introduction = RichTextField(_("introduction"), features=ISSUE_RICH_TEXT_FEATURES)
    picks = StreamField([("pick", PickBlock())], verbose_name=_("editor's picks"), blank=True)
    sections = StreamField([("section", SectionBlock())], verbose_name=_("sections"), blank=True)
    audience_themes = ParentalManyToManyField(
        "taxonomy.Theme",
        verbose_name=_("for readers of these themes"),
        blank=True,
        help_text=_("None chosen: every subscriber of the issue's language."),
    )
    audience_countries = ParentalManyToManyField(
        "taxonomy.Country",
        verbose_name=_("for readers of these countries"),
        blank=True,
        help_text=_("None chosen: every country."),
    )

    parent_page_types = ["newsletters.NewsletterArchivePage"]
    subpage_types = []
    template = "newsletters/issue_page.html"
    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("picks"),
        FieldPanel("sections"),
        MultiFieldPanel(
            [FieldPanel("audience_themes"), FieldPanel("audience_countries")],
            heading=_("Audience"),
        ),
    ]
    preview_modes = [("", _("Web page")), ("email", _("Email"))]

    class Meta:
        verbose_name = _("newsletter issue")

    def serve_preview(self, request, mode_name):
        if mode_name == "email":
            from .issues import render_issue

            return HttpResponse(render_issue(self).html)
        return super().serve_preview(request, mode_name)


class IssueSending(models.Model):
    """That an issue was emailed, and when. Kept apart from the page: publishing an older
    revision restores the page's own fields, and must not make the issue unsent."""

    issue = models.OneToOneField(
        NewsletterIssuePage, on_delete=models.CASCADE, related_name="sending"
    )
    sent_at = models.DateTimeField(_("emailed"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("issue sending")
        verbose_name_plural = _("issue sendings")

    def __str__(self):
        return f"{self.issue} {self.sent_at:%Y-%m-%d %H:%M}"
