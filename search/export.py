"""Open data: every result of a search as CSV or JSON, and the codebook of their columns.

An export reads the search as the page does (`parse_search`, `get_search_backend()`), then
walks its results in batches of `BATCH_SIZE`, reading each batch's documents in one query:
memory holds one batch however many results there are. Rows are `SearchDocument`s, so an
export holds what the public search holds and nothing more: each content app's builder
decides what is searchable (live, public pages; threads with posts)."""

import csv
import json
from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

from editorial.characters import strip_uncarriable

from .backends import get_search_backend
from .backends.base import SearchQuery
from .models import SearchDocument

BATCH_SIZE = 500
# Several values in one CSV cell (countries, themes): none of them contains it.
LIST_SEPARATOR = "|"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a JSON Schema type, or "array" of strings
    meaning: str
    example: object
    nullable: bool = False


COLUMNS = (
    Column(
        "key",
        "string",
        _("Unique identifier of the item in one language: its type, id and language code."),
        "practice:42:ka",
    ),
    Column(
        "type",
        "string",
        _("Kind of item: practice, guide, organisation or thread."),
        "practice",
    ),
    Column(
        "id",
        "integer",
        _("Identifier of the item among those of its type. A translation has its own id."),
        42,
    ),
    Column(
        "language",
        "string",
        _("Language of the item's text, as an ISO 639-1 code."),
        "ka",
    ),
    Column("title", "string", _("Title, as written in the item's language."), "Budget Day"),
    Column(
        "summary",
        "string",
        _("Short description in the item's language; may be empty."),
        "Residents choose how to spend part of the budget.",
    ),
    Column(
        "url",
        "string",
        _("Address of the item's page on this site."),
        "https://commons.example.org/ka/practices/budget-day/",
    ),
    Column(
        "countries",
        "array",
        _("Countries the item concerns, as ISO 3166-1 alpha-2 codes. In CSV, separated by “|”."),
        ["GE", "AM"],
    ),
    Column(
        "themes",
        "array",
        _(
            "Themes of the item as slugs, the parents of its themes included. In CSV, "
            "separated by “|”."
        ),
        ["participatory-budgeting", "citizen-participation"],
    ),
    Column(
        "year",
        "integer",
        _("Year the practice or guide dates from; empty when unknown."),
        2023,
        nullable=True,
    ),
    Column(
        "status",
        "string",
        _("A practice's status (planned, ongoing, completed...); empty for other kinds."),
        "ongoing",
    ),
    Column(
        "organisation",
        "string",
        _("Slug of the lead organisation (of an organisation: its own); may be empty."),
        "ozurgeti-municipality",
    ),
    Column(
        "organisation_name",
        "string",
        _("Name of that organisation."),
        "Ozurgeti Municipality",
    ),
    Column(
        "source",
        "string",
        _("Where the item comes from: a Participedia address or a file name; may be empty."),
        "https://participedia.net/case/9001",
    ),
    Column(
        "published_at",
        "string",
        _("When the item was first published (a thread: opened), ISO 8601 with time zone."),
        "2023-05-04T10:00:00+00:00",
        nullable=True,
    ),
)

COLUMN_NAMES = tuple(column.name for column in COLUMNS)
# SearchDocument fields read for a row, in COLUMNS order.
DOCUMENT_FIELDS = {
    "key": "key",
    "type": "object_type",
    "id": "object_id",
    "language": "language",
    "title": "title",
    "summary": "summary",
    "url": "url",
    "countries": "countries",
    "themes": "themes",
    "year": "year",
    "status": "status",
    "organisation": "organisation",
    "organisation_name": "organisation_name",
    "source": "source",
    "published_at": "published_at",
}


def codebook():
    """The columns as data, in the active language."""
    return [
        {
            "name": column.name,
            "type": column.type,
            **({"items": "string"} if column.type == "array" else {}),
            "nullable": column.nullable,
            "meaning": str(column.meaning),
            "example": column.example,
        }
        for column in COLUMNS
    ]


def _clean(value):
    if isinstance(value, str):
        return strip_uncarriable(value)
    if isinstance(value, list):
        return [strip_uncarriable(str(item)) for item in value]
    return value


def rows_of_documents(documents, absolute_url):
    """Export rows ({column: value}) of `SearchDocument` values dicts."""
    for document in documents:
        row = {name: _clean(document[field]) for name, field in DOCUMENT_FIELDS.items()}
        row["url"] = absolute_url(row["url"])
        if row["published_at"] is not None:
            row["published_at"] = row["published_at"].isoformat()
        yield row


def rows_of_hits(hits, absolute_url):
    """Export rows of search hits, in the hits' order: one query."""
    keys = [hit.key for hit in hits]
    found = {
        document["key"]: document
        for document in SearchDocument.objects.filter(key__in=keys).values(
            *DOCUMENT_FIELDS.values()
        )
    }
    # A document deleted since the search answered is left out.
    return rows_of_documents((found[key] for key in keys if key in found), absolute_url)


class SearchExport:
    """Every result of `query`, in its order. The first batch is read on creation, so that
    the total is known (and a failing backend fails) before anything is streamed."""

    def __init__(self, query: SearchQuery, absolute_url, batch_size=None):
        self.backend = get_search_backend()
        self.query = replace(query, page=1, page_size=batch_size or BATCH_SIZE, with_facets=False)
        self.absolute_url = absolute_url
        self._first = self.backend.search(self.query)
        self.total = self._first.total

    def batches(self):
        """Lists of rows, one per batch of the search's results."""
        response, self._first = self._first, None
        page = 1
        while response.hits:
            yield list(rows_of_hits(response.hits, self.absolute_url))
            if page * self.query.page_size >= response.total:
                return
            page += 1
            response = self.backend.search(replace(self.query, page=page))

    def csv_chunks(self):
        writer = csv.writer(_Line(), lineterminator="\r\n")
        yield writer.writerow(COLUMN_NAMES)
        for batch in self.batches():
            yield "".join(writer.writerow(_csv_values(row)) for row in batch)

    def json_chunks(self, codebook_url, search_url):
        head = {"count": self.total, "codebook": codebook_url, "search": search_url}
        # The head's fields, then the results as they come: the document is never whole in
        # memory.
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "results": ['
        first = True
        for batch in self.batches():
            lines = []
            for row in batch:
                lines.append(("\n" if first else ",\n") + json.dumps(row, ensure_ascii=False))
                first = False
            yield "".join(lines)
        yield "\n]}\n"


class _Line:
    """A file for `csv.writer` that hands back what is written instead of keeping it."""

    def write(self, value):
        return value


def _csv_values(row):
    values = []
    for name in COLUMN_NAMES:
        value = row[name]
        if isinstance(value, list):
            value = LIST_SEPARATOR.join(value)
        values.append("" if value is None else value)
    return values
