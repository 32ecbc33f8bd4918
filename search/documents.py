"""The Elasticsearch side of a search document: its mapping and its analyzers.

One `SearchItem` per published item and locale, its id being `SearchDocument.key`
("practice:42:ka"). `SearchDocument` (search/models.py) is the source of truth; this module
only says how Elasticsearch stores and analyses it.

Why one field per language (`title_ar`, `title_ka` ...) rather than one `title` with a
sub-field per language: every document is written in exactly one language, so with
sub-fields each text would be analysed seven times (six of them with the wrong stemmer) and
stored seven times in the index. With a field per language a document fills only its own
language's fields; a query is run against the fields of every language (or of the filtered
ones), each field analysing the query with its own language's analyzer. Every text field
has a `.folded` sub-field analysed the same way for all languages (ASCII folding, Arabic
normalisation, Romanian comma-below), which is what finds `spolecznosci` in
`społeczności` and `مشاركة` in `مُشارَكة`.
"""

from elasticsearch.dsl import (
    Date,
    Document,
    Index,
    Keyword,
    MetaField,
    SearchAsYouType,
    Text,
    analyzer,
    char_filter,
    token_filter,
)

# The languages that get their own analyzer: the content languages of the site's locales.
ANALYZED_LANGUAGES = ("ar", "en", "ka", "mk", "pl", "ro", "tr")
# The parts of an item that are searched, with their weight in a query (title > summary > body).
TEXT_PARTS = {"title": 3, "summary": 2, "body": 1}
# The `.folded` sub-fields match more loosely, so they weigh a little less than the originals.
FOLDED_WEIGHT = 0.8

# --- Filters shared by several analyzers -------------------------------------------------

# Romanian is written with comma-below ș ț, but the older cedilla ş ţ are still common;
# both are read as comma-below, which is what Lucene's Romanian stemmer expects.
romanian_comma_below = char_filter(
    "romanian_comma_below",
    type="mapping",
    mappings=["ş => ș", "Ş => Ș", "ţ => ț", "Ţ => Ț"],
)


def _stop(language):
    return token_filter(f"{language}_stop", type="stop", stopwords=f"_{language}_")


def _stemmer(language):
    return token_filter(f"{language}_stemmer", type="stemmer", language=language)


# --- One analyzer per language --------------------------------------------------------------

LANGUAGE_ANALYZERS = {
    # Elasticsearch's own `arabic` analyzer, spelled out so that the mapping shows (and the
    # snapshot test can check) that arabic_normalization runs: it strips harakat and tatweel
    # and folds alef forms, teh marbuta and alef maksura before the stemmer.
    "ar": analyzer(
        "text_ar",
        tokenizer="standard",
        filter=[
            "lowercase",
            "decimal_digit",
            _stop("arabic"),
            "arabic_normalization",
            _stemmer("arabic"),
        ],
    ),
    "en": analyzer(
        "text_en",
        tokenizer="standard",
        filter=[
            token_filter(
                "english_possessive_stemmer", type="stemmer", language="possessive_english"
            ),
            "lowercase",
            _stop("english"),
            _stemmer("english"),
        ],
    ),
    # No stemmer for Georgian and Macedonian ships with Elasticsearch: words are matched
    # whole, lower-cased, and any Latin transliteration folded.
    "ka": analyzer("text_ka", tokenizer="standard", filter=["lowercase", "asciifolding"]),
    "mk": analyzer("text_mk", tokenizer="standard", filter=["lowercase", "asciifolding"]),
    # The Stempel stemmer needs the analysis-stempel plugin; see `polish_analyzer()`.
    "pl": None,
    "ro": analyzer(
        "text_ro",
        tokenizer="standard",
        char_filter=[romanian_comma_below],
        filter=["lowercase", _stop("romanian"), _stemmer("romanian")],
    ),
    "tr": analyzer(
        "text_tr",
        tokenizer="standard",
        filter=[
            "apostrophe",
            # Turkish lower-casing: I -> ı and İ -> i, not I -> i.
            token_filter("turkish_lowercase", type="lowercase", language="turkish"),
            _stop("turkish"),
            _stemmer("turkish"),
        ],
    ),
}


def polish_analyzer(stempel: bool):
    """Polish with the Stempel stemmer when the cluster has the analysis-stempel plugin, else
    plain words folded to ASCII. Both are called `text_pl`, so the mapping is the same and
    only the index settings differ."""
    if stempel:
        return analyzer(
            "text_pl", tokenizer="standard", filter=["lowercase", "polish_stop", "polish_stem"]
        )
    return analyzer("text_pl", tokenizer="standard", filter=["lowercase", "asciifolding"])


LANGUAGE_ANALYZERS["pl"] = polish_analyzer(stempel=False)

# For `.folded` sub-fields, labels and suggestions: language-neutral and diacritic-free.
# ASCII folding comes before lower-casing so that Turkish İ becomes a plain i.
folded = analyzer(
    "folded",
    tokenizer="standard",
    char_filter=[romanian_comma_below],
    filter=["asciifolding", "lowercase", "arabic_normalization"],
)


def text_language(language):
    """The language whose fields hold a document written in `language`. Locales are the
    site's seven languages; anything else is indexed as English rather than dropped."""
    return language if language in ANALYZED_LANGUAGES else "en"


def field_name(part, language):
    return f"{part}_{text_language(language)}"


def _language_text(language):
    return Text(
        analyzer=LANGUAGE_ANALYZERS[language],
        fields={"folded": Text(analyzer=folded)},
    )


class SearchItem(Document):
    """A practice, guide, organisation or thread in one language, as Elasticsearch holds it.

    The per-language text fields (`title_<lang>`, `summary_<lang>`, `body_<lang>`) are added
    to the class below; only those of the document's own language are filled."""

    key = Keyword()
    type = Keyword()
    language = Keyword()
    themes = Keyword(multi=True)  # slugs, parent themes included
    countries = Keyword(multi=True)  # ISO 3166-1 alpha-2
    year = Keyword()
    status = Keyword()  # a practice's: planned, ongoing...
    organisation = Keyword()  # slug of the lead organisation
    # The title as it is, for sorting by title (its words are in the `title_<lang>` fields).
    title = Keyword(index=False)

    # Theme labels and country names in every UI language, so that "participatory
    # budgeting" finds the Georgian practice filed under that theme.
    theme_labels = Text(analyzer=folded, multi=True)
    country_labels = Text(analyzer=folded, multi=True)
    organisation_name = Text(analyzer=folded)

    # The title once more, for search-as-you-type: its shingles and edge n-grams.
    suggest = SearchAsYouType(analyzer=folded)

    url = Keyword(index=False)
    source = Keyword(index=False)
    published_at = Date()

    class Meta:
        # A field this class does not declare is a bug, not something to guess a type for.
        dynamic = MetaField("strict")

    @classmethod
    def from_search_document(cls, document):
        """A `SearchItem` built from a `search.models.SearchDocument`."""
        language = text_language(document.language)
        item = cls(
            meta={"id": document.key},
            key=document.key,
            type=document.object_type,
            language=document.language,
            themes=list(document.themes),
            countries=list(document.countries),
            year=str(document.year) if document.year else None,
            status=document.status or None,
            title=document.title,
            organisation=document.organisation or None,
            theme_labels=list(document.theme_labels),
            country_labels=list(document.country_labels),
            organisation_name=document.organisation_name or None,
            suggest=document.title,
            url=document.url,
            source=document.source,
            published_at=document.published_at,
        )
        for part in TEXT_PARTS:
            setattr(item, f"{part}_{language}", getattr(document, part) or "")
        return item


for _language in ANALYZED_LANGUAGES:
    for _part in TEXT_PARTS:
        SearchItem._doc_type.mapping.field(f"{_part}_{_language}", _language_text(_language))


def search_fields(languages=()):
    """The weighted fields a text query runs against, for the given document languages
    (all languages when none is given)."""
    chosen = [text_language(code) for code in languages] or list(ANALYZED_LANGUAGES)
    chosen = sorted(set(chosen))
    fields = []
    for part, weight in TEXT_PARTS.items():
        for language in chosen:
            fields.append(f"{part}_{language}^{weight}")
            fields.append(f"{part}_{language}.folded^{round(weight * FOLDED_WEIGHT, 2)}")
    fields += ["theme_labels", "country_labels", "organisation_name"]
    return fields


def search_index(name, *, polish_stempel=False):
    """The `Index` (settings, analyzers, mapping) of a new versioned search index."""
    index = Index(name)
    index.settings(number_of_shards=1, auto_expand_replicas="0-1")
    index.document(SearchItem)
    if polish_stempel:
        # Index-level analyzers override those collected from the mapping.
        index.analyzer(polish_analyzer(stempel=True))
    return index
