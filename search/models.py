"""What the public search reads: one denormalised `SearchDocument` per published item and
locale, and the `OutboxEntry` rows that carry changes to Elasticsearch.

Both backends index the same documents. The database backend derives its full-text index
from them (`search.fulltext`): a narrow PostgreSQL table or an SQLite FTS5 table, created by
migration search.0001 (see `search.schema`) and invisible to the ORM."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    key = models.CharField(
        max_length=120,
        unique=True,
        help_text="<type>:<object id>:<language>, e.g. practice:42:ka",
    )
    object_type = models.CharField(max_length=20)  # search.backends.base.DOCUMENT_TYPES
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=12)

    # What people read: the original text, shown in results and highlighted in snippets.
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)

    # Searched, never shown: the English summary of an item in another language, and labels
    # beyond themes and countries (places, partners, tags, an organisation's kind and city).
    english_summary = models.TextField(blank=True)
    extra_labels = models.TextField(blank=True)

    # The analysed forms of the title, summary and body (`search.analysis.index_terms`),
    # written when the document is saved (`search.indexing.save_documents`): one analysis
    # of each text, which SQLite's index and Elasticsearch's bulk indexing both take as it
    # is. Empty in a document saved before they existed: readers analyse the text then.
    title_terms = models.TextField(blank=True, default="")
    summary_terms = models.TextField(blank=True, default="")
    body_terms = models.TextField(blank=True, default="")

    themes = models.JSONField(default=list, blank=True)  # theme slugs, parents included
    countries = models.JSONField(default=list, blank=True)  # ISO 3166-1 alpha-2, upper case
    theme_labels = models.JSONField(default=list, blank=True)  # every theme label, 7 languages
    country_labels = models.JSONField(default=list, blank=True)  # every country name, 7 languages
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    # The item's status where its kind has one (a practice: planned, ongoing, completed...),
    # a value of its builder's `status_choices`.
    status = models.CharField(max_length=20, blank=True, default="")
    # The item's quality label where its kind has one (a practice: "reviewed", or "revised"
    # when changed since the review); empty without one.
    label = models.CharField(max_length=20, blank=True, default="")
    organisation = models.CharField(max_length=255, blank=True)  # lead organisation's slug
    organisation_name = models.CharField(max_length=255, blank=True)

    url = models.CharField(max_length=500)
    source = models.CharField(max_length=500, blank=True)  # Participedia URL or seed file name
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="search_doc_object"),
            models.Index(fields=["language"], name="search_doc_language"),
            models.Index(fields=["year"], name="search_doc_year"),
            models.Index(fields=["-published_at"], name="search_doc_published"),
        ]

    def __str__(self):
        return self.key


class OutboxEntry(models.Model):
    """A change to carry to Elasticsearch. Written in the transaction that changed the
    `SearchDocument`, so a committed change is never lost; rows are deleted only once
    Elasticsearch has accepted them. Several rows for one key collapse into the latest."""

    class Action(models.TextChoices):
        UPSERT = "upsert", _("Index")
        DELETE = "delete", _("Delete")

    key = models.CharField(max_length=120, db_index=True)
    action = models.CharField(max_length=8, choices=Action.choices)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    available_at = models.DateTimeField(db_index=True)  # not retried before this time
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("search outbox entry")
        verbose_name_plural = _("search outbox entries")

    def __str__(self):
        return f"{self.action} {self.key}"
