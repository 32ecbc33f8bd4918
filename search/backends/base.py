"""The one interface every public search backend implements.

A `SearchQuery` goes in, a `SearchResponse` comes out; views, the API, the feed and the
benchmark only ever see these types, never a backend's own query language."""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_QUERY_LENGTH = 5000

DOCUMENT_TYPES = ("practice", "guide", "organisation", "thread")
FACETS = ("theme", "country", "type", "language", "year", "status", "label")
SORTS = ("relevance", "newest", "title")
MATCH_ALL = "all"
MATCH_PARTIAL = "partial"


class SearchUnavailable(Exception):
    """The backend cannot answer now (cluster down, timeout). The caller may fall back."""


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    themes: tuple[str, ...] = ()  # theme slugs; a parent theme matches its children
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2 codes, upper case
    types: tuple[str, ...] = ()  # DOCUMENT_TYPES
    languages: tuple[str, ...] = ()  # language codes of the documents (their locale)
    years: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()  # a `DocumentBuilder.status_choices` value
    labels: tuple[str, ...] = ()  # a `DocumentBuilder.label_choices` value (quality label)
    organisations: tuple[str, ...] = ()  # organisation slugs
    # Only documents published strictly after `published_after` and at or before
    # `published_until` (aware datetimes; None: no bound). A digest's window, so that its
    # searches read the week's documents, not the whole library.
    published_after: datetime | None = None
    published_until: datetime | None = None
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    sort: str = "relevance"
    with_facets: bool = True
    # The UI language: facet labels (theme and country names) are given in it.
    ui_language: str = "en"

    @property
    def offset(self):
        return (self.page - 1) * self.page_size


@dataclass
class SearchHit:
    key: str  # "<type>:<object id>:<language>", unique per search document
    title: str
    url: str
    type: str
    language: str
    countries: list[str]
    themes: list[str]
    snippet: str  # HTML: escaped text with <mark> around matches
    score: float
    source: str
    published_at: datetime | None = None


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class SearchResponse:
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    took_ms: float = 0.0
    backend: str = ""
    # Set when the configured backend failed and another one answered, e.g.
    # "elasticsearch unavailable: ConnectionError".
    fallback_reason: str = ""
    # MATCH_ALL: every hit has every word. MATCH_PARTIAL: no item had every word, and the
    # hits are the items with most of them, those with more first (`search.relaxation`).
    match: str = "all"
    # The words, as typed, that match nothing searched (not even as the start of a word).
    unmatched_words: list[str] = field(default_factory=list)


class SearchBackend(ABC):
    """`timeout` (seconds), where a method takes one, bounds how long a remote engine may
    take to answer this call (a page's time budget); the database backend ignores it."""

    name = ""
    # Whether changes reach this backend through the outbox (`search.outbox`): a remote
    # engine is fed by the task draining it; the database backend reads the documents.
    uses_outbox = False

    @abstractmethod
    def search(self, query: SearchQuery, timeout: float | None = None) -> SearchResponse: ...

    @abstractmethod
    def suggest(
        self, prefix: str, language: str = "", limit: int = 8, timeout: float | None = None
    ) -> list[str]:
        """Titles completing `prefix`, for the search-as-you-type box."""

    @abstractmethod
    def more_like_this(
        self, key: str, limit: int = 5, timeout: float | None = None
    ) -> list[SearchHit]:
        """Items related to the search document `key`."""

    def close(self):  # noqa: B027 (most backends hold nothing to release)
        """Release what the backend holds (an engine's connections)."""
