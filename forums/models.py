"""Forums where peers discuss practices: forums hold threads, threads hold posts.

As in django-machina, a forum and a thread carry their own counters and last post, so that
listings read one row per forum or thread instead of counting posts. Those columns are never
written by forms: `forums.signal_handlers` recomputes them from the posts whenever a post or
thread is saved or deleted."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from editorial.characters import strip_uncarriable
from editorial.languages import is_rtl
from editorial.sanitize import clean_html, plain_text, truncate_words
from editorial.structured_data import (
    SCHEMA_CONTEXT,
    absolute_url,
    iso_datetime,
    site_publisher,
    without_empty,
)

from .markup import render_markdown

TITLE_MAX_LENGTH = 200


class PostCounters(models.Model):
    """The posts' count and latest post, kept by `forums.signal_handlers`."""

    post_count = models.PositiveIntegerField(_("posts"), default=0, editable=False)
    last_post = models.ForeignKey(
        "Post",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class Forum(PostCounters):
    """A place for one subject (participatory budgeting, grant schemes...), managed by site
    editors in the admin."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    theme = models.ForeignKey(
        "taxonomy.Theme",
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forums",
        help_text=_("Threads of this forum are also found under this theme in the search."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    thread_count = models.PositiveIntegerField(_("threads"), default=0, editable=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("theme"),
        FieldPanel("position"),
    ]

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forums:forum", kwargs={"slug": self.slug})


class Thread(PostCounters):
    """A discussion in one language, opened by its first post."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="threads"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    # Kept when the account goes: the discussion belongs to everyone who took part.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_threads",
    )
    language = models.CharField(
        _("language"), max_length=12, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    themes = models.ManyToManyField(
        "taxonomy.Theme", verbose_name=_("themes"), blank=True, related_name="forum_threads"
    )
    countries = models.ManyToManyField(
        "taxonomy.Country", verbose_name=_("countries"), blank=True, related_name="forum_threads"
    )
    # A default rather than auto_now_add, so that imported or demo threads keep their date.
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    is_pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Pinned threads are listed first.")
    )
    is_locked = models.BooleanField(
        _("locked"), default=False, help_text=_("Nobody can reply to a locked thread.")
    )
    last_post_at = models.DateTimeField(_("last post"), default=timezone.now, editable=False)
    # "Ask the implementers": a question asked from a practice or guide page.
    about_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("about"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_threads",
        help_text=_("The practice or guide this question is about."),
    )
    accepted_post = models.ForeignKey(
        "Post",
        verbose_name=_("accepted answer"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("forum"),
        FieldPanel("language"),
        FieldPanel("themes"),
        FieldPanel("countries"),
        FieldPanel("is_pinned"),
        FieldPanel("is_locked"),
    ]

    class Meta:
        ordering = ["-is_pinned", "-last_post_at", "-pk"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            models.Index(
                "forum",
                models.F("is_pinned").desc(),
                models.F("last_post_at").desc(),
                name="forums_thread_listing",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:thread", kwargs={"forum_slug": self.forum.slug, "pk": self.pk})

    @property
    def text_direction(self):
        return "rtl" if is_rtl(self.language) else "ltr"

    @property
    def reply_count(self):
        return max(self.post_count - 1, 0)

    @cached_property
    def opening_post(self):
        """The post that opened the thread (None for a thread emptied by moderation)."""
        return self.posts.select_related("author").order_by("created_at", "pk").first()

    def structured_data(self, request=None):
        """schema.org DiscussionForumPosting (JSON-LD)."""
        opening = self.opening_post
        author = opening.author if opening is not None else self.author
        return without_empty(
            {
                "@context": SCHEMA_CONTEXT,
                "@type": "DiscussionForumPosting",
                "headline": self.title,
                "text": plain_text(opening.body) if opening is not None else "",
                "url": absolute_url(request, self.get_absolute_url()),
                "inLanguage": self.language,
                "datePublished": iso_datetime(self.created_at),
                "dateModified": iso_datetime(self.last_post_at),
                "author": without_empty(
                    {
                        "@type": "Person",
                        "name": author.get_full_name() or author.get_username(),
                    }
                )
                if author is not None
                else None,
                "isPartOf": {
                    "@type": "WebPage",
                    "name": self.forum.name,
                    "url": absolute_url(request, self.forum.get_absolute_url()),
                },
                "about": [{"@type": "Thing", "name": theme.label()} for theme in self.themes.all()],
                "interactionStatistic": {
                    "@type": "InteractionCounter",
                    "interactionType": "https://schema.org/CommentAction",
                    "userInteractionCount": self.reply_count,
                },
                "publisher": site_publisher(request),
            }
        )


class PostStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    # Waiting for a moderator before anyone else sees it (too many links, see
    # `forums.antispam`).
    HELD = "held", _("Held for review")
    # Flagged by enough members; hidden until a moderator reviews it.
    HIDDEN = "hidden", _("Hidden")


class Post(models.Model):
    """One message of a thread, written in Markdown (`source`). `body` is its HTML, rendered
    by `forums.markup` and sanitised with bleach on every save whoever saves it. Posts from
    before Markdown have no source: their stored HTML is cleaned and shown as it is."""

    thread = models.ForeignKey(
        Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_posts",
    )
    source = models.TextField(_("message (Markdown)"), blank=True)
    body = models.TextField(_("message"), editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=PostStatus.choices, default=PostStatus.PUBLISHED
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    # Equal to `created_at` until the post's text is edited (moderation does not count).
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    panels = [FieldPanel("source"), FieldPanel("status")]

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(fields=["thread", "created_at"], name="forums_post_thread"),
            models.Index(fields=["author", "created_at"], name="forums_post_author"),
            models.Index(fields=["status"], name="forums_post_status"),
        ]

    def __str__(self):
        return f"{self.thread} #{self.pk}"

    def save(self, *args, **kwargs):
        # Forms refuse what the site cannot carry; whatever else writes a post, it is removed.
        self.source = strip_uncarriable(self.source)
        self.body = render_markdown(self.source) if self.source else clean_html(self.body)
        self.body = strip_uncarriable(self.body)
        if self._state.adding:
            self.updated_at = self.created_at
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "body"}
        super().save(*args, **kwargs)

    def excerpt(self):
        return truncate_words(plain_text(self.body), 80)

    excerpt.short_description = _("message")

    @property
    def was_edited(self):
        return self.updated_at > self.created_at

    @property
    def is_published(self):
        return self.status == PostStatus.PUBLISHED


class PostRevision(models.Model):
    """A post as it was before an edit: its history, shown to moderators."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="revisions"
    )
    source = models.TextField(_("message (Markdown)"), blank=True)
    body = models.TextField(_("message"))
    # When this text was written: the post's creation or its previous edit.
    written_at = models.DateTimeField(_("written"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("edited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    edited_at = models.DateTimeField(_("edited"), default=timezone.now)

    class Meta:
        ordering = ["-edited_at", "-pk"]
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")

    def __str__(self):
        return f"{self.post} @ {self.written_at:%Y-%m-%d %H:%M}"


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    ABUSE = "abuse", _("Abusive or offensive")
    OFF_TOPIC = "off-topic", _("Off-topic")
    OTHER = "other", _("Something else")


class Flag(models.Model):
    """A member's report that a post needs a moderator. Flags from
    `FORUMS["FLAGS_TO_HIDE"]` distinct members hide the post; a moderator's review resolves
    them."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="flags"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="forum_flags",
    )
    reason = models.CharField(_("reason"), max_length=12, choices=FlagReason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("flagged"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(fields=["post", "member"], name="forums_flag_once_per_member")
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.post}"


class SuspensionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(until__gt=timezone.now())


class Suspension(models.Model):
    """A member kept from posting until a moment, by a moderator."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="forum_suspensions",
    )
    until = models.DateTimeField(_("until"))
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suspended by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = SuspensionQuerySet.as_manager()

    panels = [FieldPanel("member"), FieldPanel("until"), FieldPanel("reason")]

    class Meta:
        ordering = ["-until"]
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")

    def __str__(self):
        return f"{self.member} – {self.until:%Y-%m-%d %H:%M}"

    @property
    def is_active(self):
        return self.until > timezone.now()
