"""Practices and guides as search documents: one per live, public page, in its locale's
language. They follow Wagtail's publishing (a saved draft is not searchable; a published
revision is) and the importer's `pages_imported`, which publishes without revisions."""

from pagecache.restrictions import public
from search.indexing import FOLLOWS_PUBLISHING, DocumentBuilder, plain_text, register

from .cards import attach_card_taxonomy
from .models import GuidePage, PracticePage
from .quality import LABEL_CHOICES, label_value
from .signals import pages_imported, quality_reviews_changed


def _imported_pages(sender, pages, **kwargs):
    return pages


def _reviewed_practices(sender, practice_ids, **kwargs):
    return PracticePage.objects.filter(pk__in=practice_ids)


class LibraryPageBuilder(DocumentBuilder):
    """What practices and guides share."""

    follows = FOLLOWS_PUBLISHING

    def related_signals(self):
        return {pages_imported: _imported_pages}

    # The columns a card (library_tags.library_card) reads, and those Wagtail reads to
    # make a page's URL: a practice's row has about fifty columns, and reading only these
    # took `items_of` for a listing's twelve practices from 9.5 to 8.3 ms of CPU.
    card_fields = ("title", "url_path", "path", "depth", "locale", "summary", "year")

    def queryset(self):
        return (
            self.model.objects.live()
            .public()
            .select_related("locale", "lead_organisation")
            .prefetch_related("themes", "countries", "tags")
        )

    def displayed(self, pks):
        """What a card shows: the locale, themes and countries (no tags, no partners). The
        view restrictions are the remembered ones (`pagecache.restrictions`): Wagtail's
        `public()` read them on every listing, 1 query and about 1 ms of CPU."""
        pages = list(
            public(self.model.objects.live())
            .only(*self.card_fields)
            .select_related("locale")
            .filter(pk__in=pks)
        )
        attach_card_taxonomy(self.model, pages)
        return pages

    def language(self, page):
        return page.locale.language_code

    def body_parts(self, page):
        raise NotImplementedError

    def extra_labels(self, page):
        return [tag.name for tag in page.tags.all()]

    def fields(self, page, labels):
        organisation = page.lead_organisation
        return {
            "title": page.title,
            "summary": page.summary,
            "english_summary": page.english_summary,
            "body": "\n".join(part for part in self.body_parts(page) if part),
            "extra_labels": "\n".join(self.extra_labels(page)),
            "themes": list(page.themes.all()),
            "countries": [country.code for country in page.countries.all()],
            "year": page.year,
            "organisation": organisation.slug if organisation else "",
            "organisation_name": organisation.name if organisation else "",
            "url": page.get_url() or page.url_path,
            "source": page.source,
            "published_at": page.first_published_at or page.last_published_at,
        }


def _stream_text(page, field_name):
    field = page._meta.get_field(field_name)
    return "\n".join(
        plain_text(text) for text in field.get_searchable_content(getattr(page, field_name))
    )


class PracticeBuilder(LibraryPageBuilder):
    object_type = "practice"
    model = PracticePage
    status_choices = tuple(PracticePage.Status.choices)
    label_choices = LABEL_CHOICES
    card_fields = (*LibraryPageBuilder.card_fields, "status")

    def queryset(self):
        return super().queryset().prefetch_related("partner_organisations", "quality_reviews")

    def related_signals(self):
        return {**super().related_signals(), quality_reviews_changed: _reviewed_practices}

    def body_parts(self, page):
        return [
            _stream_text(page, "body"),
            plain_text(page.lessons_learned),
            page.target_groups,
            page.programme,
            _stream_text(page, "outcomes"),
        ]

    def extra_labels(self, page):
        partners = [organisation.name for organisation in page.partner_organisations.all()]
        return [page.places, *partners, *super().extra_labels(page)]

    def fields(self, page, labels):
        return {**super().fields(page, labels), "status": page.status, "label": label_value(page)}


class GuideBuilder(LibraryPageBuilder):
    object_type = "guide"
    model = GuidePage

    def body_parts(self, page):
        return [page.audience, plain_text(page.introduction), _stream_text(page, "steps")]


register(PracticeBuilder())
register(GuideBuilder())
