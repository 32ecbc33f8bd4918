"""The themes and countries a card (`library_tags.library_card`) names, read for a whole list
of practices or guides at once.

Django's `prefetch_related("themes", "countries")` built a model instance for every theme and
country of every card: 3.8 of the 5.8 ms that `search.indexing.items_of` took for a
listing's twelve practices (bench/README.md, "The practice list filtered by a theme and a
country"). Here the links are read as rows of labels and codes, one query per relation."""

from dataclasses import dataclass

from taxonomy.models import Theme


@dataclass(frozen=True)
class CardTaxonomy:
    theme_labels: list  # in the active language, in the themes' own order
    country_codes: list  # in the countries' order (by code)

    @classmethod
    def of(cls, page):
        """A page's card taxonomy from its relations (those prefetched, if they were)."""
        return cls(
            theme_labels=[theme.label() for theme in page.themes.all()],
            country_codes=[country.code for country in page.countries.all()],
        )


def card_taxonomy(page):
    """What `attach_card_taxonomy` read for `page`, else its relations."""
    return getattr(page, "card_taxonomy", None) or CardTaxonomy.of(page)


def attach_card_taxonomy(model, pages):
    """Set `card_taxonomy` on each of `pages` (all of `model`, a LibraryPage): two queries."""
    if not pages:
        return
    ids = [page.pk for page in pages]
    page_column = f"{model._meta.model_name}_id"
    label_column = Theme.label_column()
    theme_links = (
        model.themes.through.objects.filter(**{f"{page_column}__in": ids})
        .order_by(*(f"theme__{field}" for field in Theme._meta.ordering))
        .values_list(page_column, f"theme__{label_column}", "theme__name")
    )
    labels_by_page = {pk: [] for pk in ids}
    for page_id, label, name in theme_links:
        labels_by_page[page_id].append(label or name)
    country_links = (
        model.countries.through.objects.filter(**{f"{page_column}__in": ids})
        .order_by("country__code")
        .values_list(page_column, "country__code")
    )
    codes_by_page = {pk: [] for pk in ids}
    for page_id, code in country_links:
        codes_by_page[page_id].append(code)
    for page in pages:
        page.card_taxonomy = CardTaxonomy(
            theme_labels=labels_by_page[page.pk], country_codes=codes_by_page[page.pk]
        )
