"""Organisations as search documents: one each, in the site's default language (they are
not translated), rewritten when an organisation or its themes change."""

from django.conf import settings
from django.urls import NoReverseMatch
from django.utils import translation

from search.indexing import FOLLOWS_SAVES, DocumentBuilder, register

from .models import Organisation


class OrganisationBuilder(DocumentBuilder):
    """Organisations link to their public page."""

    object_type = "organisation"
    model = Organisation
    follows = FOLLOWS_SAVES
    # The admin saves an organisation, then its themes: its document follows both.
    m2m_fields = ("themes",)

    def queryset(self):
        return self.model.objects.select_related("country").prefetch_related("themes")

    def fields(self, organisation, labels):
        try:
            # The same URL whichever language the request that saved it was in.
            with translation.override(settings.LANGUAGE_CODE):
                url = organisation.get_absolute_url()
        except NoReverseMatch:
            url = organisation.website
        return {
            "title": organisation.name,
            "summary": organisation.description[:600],
            "body": organisation.description[600:],
            "extra_labels": "\n".join(
                [organisation.get_kind_display(), organisation.region, organisation.city]
            ),
            "themes": list(organisation.themes.all()),
            "countries": [organisation.country.code] if organisation.country_id else [],
            "year": None,
            "organisation": organisation.slug,
            "organisation_name": organisation.name,
            "url": url,
            "source": organisation.source_url,
            "published_at": organisation.created_at,
        }


register(OrganisationBuilder())
