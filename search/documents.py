"""The Elasticsearch side of a search document: its mapping, and the analysed terms it holds.

One `SearchItem` per published item and locale, its id being `SearchDocument.key`
("practice:42:ka"). `SearchDocument` (search/models.py) is the source of truth; this module
only says how Elasticsearch stores it.

Text is analysed in Python, by `search.analysis`, exactly as for the database backend: one
analysis for both backends, the same words found whichever answers. Each text field that
is searched (`title_terms`, `summary_terms`, `body_terms`, the labels) holds the analysed
forms of its text, space-separated: every word normalised (NFKC, case, Turkish dotted and
dotless i, Arabic harakat, tatweel and alef forms, Romanian cedilla → comma), folded (Latin
and Cyrillic diacritics), stemmed (Snowball, in the document's language) and folded then
stemmed, each sequence in the text's order (`analysis.index_terms`, what SQLite indexes).
Those of the title, summary and body are analysed once, when the document is saved, and
stored in it (`SearchDocument.title_terms`...: `fulltext.analyse_documents`), so indexing
ships them as they are; each distinct label is analysed once per process
(`fulltext.label_terms`).
Elasticsearch indexes them with its built-in `whitespace` analyzer, so it needs none of the
language analyzers of its `analysis-common` module: the test and development engine
(engine/pom.xml, Elasticsearch's integration-test distribution) has only the server, and a
production cluster needs no plugin either. A query's words are parsed and analysed the same way
(`search.parsing`), each matching when any of its forms is among the document's.

The text as written (`title`, `summary`, `body`) is kept in `_source`, unindexed, for the
hit's title and snippet; snippets are made in Python by `search.highlight`, as the database
backend makes them. Completion as you type matches the start of the words in `title_terms`
(its folded sequence holds the title's normalised and folded words).
"""

from elasticsearch.dsl import Date, Document, Index, Keyword, MetaField, Text

from search import analysis
from search.fulltext import label_terms, stored_terms

# The content languages of the site's locales; any other language is analysed too (with a
# Snowball stemmer where there is one), so this only names the languages the site has.
ANALYZED_LANGUAGES = ("ar", "en", "ka", "mk", "pl", "ro", "tr")
# The parts of an item that are searched, with their weight in a query (title > summary > body).
TEXT_PARTS = {"title": 3, "summary": 2, "body": 1}
# Labels (theme and country names in every UI language, the organisation's name): matched
# as written or folded, never stemmed, since they are in every language at once.
LABEL_FIELDS = ("theme_labels", "country_labels", "organisation_name")
# The built-in analyzer that splits the analysed terms on spaces and changes nothing else.
TERMS_ANALYZER = "whitespace"


def terms_field(**kwargs):
    return Text(analyzer=TERMS_ANALYZER, **kwargs)


def index_terms(text, language=""):
    """What a text field holds for `text`, written in `language`: the same terms SQLite
    indexes (`analysis.index_terms`)."""
    return analysis.index_terms(text or "", language)


def suggest_terms(text, language=""):
    """The normalised, folded words of `text`: what completions are matched against."""
    return " ".join(analysis.fold(word) for word in analysis.words(text or "", language))


class SearchItem(Document):
    """A practice, guide, organisation or thread in one language, as Elasticsearch holds it."""

    key = Keyword()
    type = Keyword()
    language = Keyword()
    themes = Keyword(multi=True)  # slugs, parent themes included
    countries = Keyword(multi=True)  # ISO 3166-1 alpha-2
    year = Keyword()
    status = Keyword()  # a practice's: planned, ongoing...
    label = Keyword()  # a practice's quality label: reviewed, revised
    organisation = Keyword()  # slug of the lead organisation
    # The text as written, for the hit: not searched. The title is a keyword so that a
    # listing can be sorted by it (its doc values); its words are in `title_terms`.
    title = Keyword(index=False)
    summary = Text(index=False)
    body = Text(index=False)

    # The analysed terms of the text (see the module's docstring).
    title_terms = terms_field()
    summary_terms = terms_field()
    body_terms = terms_field()

    # Theme labels and country names in every UI language, so that "participatory
    # budgeting" finds the Georgian practice filed under that theme; analysed terms too.
    theme_labels = terms_field(multi=True)
    country_labels = terms_field(multi=True)
    organisation_name = terms_field()

    url = Keyword(index=False)
    source = Keyword(index=False)
    published_at = Date()
    # When the database last wrote the document: with the key, what proves that the engine
    # holds the database's current version of each document (`search_index status`).
    updated_at = Date(index=False)

    class Meta:
        # A field this class does not declare is a bug, not something to guess a type for.
        dynamic = MetaField("strict")

    @classmethod
    def from_search_document(cls, document):
        """A `SearchItem` built from a `search.models.SearchDocument`."""
        return cls(meta={"id": document.key}, **cls.source_of(document))

    @staticmethod
    def source_of(document) -> dict:
        """The `_source` of `document` as Elasticsearch stores it: what
        `from_search_document(document).to_dict()` gives (no None or empty list), built as
        a plain dict. Bulk indexing ships this: the `Document` and its `to_dict()` cost
        0.051-0.054 ms of CPU per bench document against 0.012-0.014 ms for this dict
        (3,000 documents, five rounds each), 4 s of the bench's CPU in a 100,000-document
        rebuild. The mapping is strict: a field it does not declare is refused."""
        fields = {
            "key": document.key,
            "type": document.object_type,
            "language": document.language,
            "themes": list(document.themes),
            "countries": list(document.countries),
            "year": str(document.year) if document.year else None,
            "status": document.status or None,
            "label": document.label or None,
            "organisation": document.organisation or None,
            "title": document.title or "",
            "summary": document.summary or "",
            "body": document.body or "",
            # Analysed when the document was saved (`fulltext.analyse_documents`).
            "title_terms": stored_terms(document, "title"),
            "summary_terms": stored_terms(document, "summary"),
            "body_terms": stored_terms(document, "body"),
            "theme_labels": [label_terms(label) for label in document.theme_labels],
            "country_labels": [label_terms(label) for label in document.country_labels],
            "organisation_name": label_terms(document.organisation_name or "") or None,
            "url": document.url,
            "source": document.source,
            "published_at": document.published_at,
            "updated_at": document.updated_at,
        }
        return {name: value for name, value in fields.items() if value is not None and value != []}


def search_fields():
    """The weighted fields a text query runs against."""
    return [f"{part}_terms^{weight}" for part, weight in TEXT_PARTS.items()] + list(LABEL_FIELDS)


def search_index(name):
    """The `Index` (settings and mapping) of a new versioned search index."""
    index = Index(name)
    index.settings(number_of_shards=1, auto_expand_replicas="0-1")
    index.document(SearchItem)
    return index
