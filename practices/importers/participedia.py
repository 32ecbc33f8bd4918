"""Participedia CSV exports → practices, guides and organisations.

Three record types share the core columns `id,type,title,url,description,...,body` and
differ in the rest:

- cases → `PracticePage` under the practice library of the chosen locale. The cleaned cases
  file has no `type` column: `id,title,description,url,post_date,...,approaches,
  method_types,tools_techniques_types` (arrays as PostgreSQL literals `{a,b}`);
- methods → `GuidePage` under the guide library (the body becomes the introduction);
- organizations → `members.Organisation`.

Decisions, so a data editor knows what to expect:

- A file is read and checked as a whole first; a file that is not a Participedia export
  stops the import before anything is written (`ImportFileError`).
- A row without an id or title, with an unparsable date or a malformed array is skipped and
  reported with its line; the rest still import. Each row is saved in its own savepoint
  (a row that fails leaves nothing behind), and rows are committed 100 at a time, with the
  counts and search documents of their items.
- A summary over 600 characters is cut at a word boundary (noted, not rejected). A blank
  description gives a summary from the body, or else the title.
- Blank and `Unknown` countries mean "no country". A name no resolver knows is reported as
  a note and the row is imported without a country rather than lost.
- Every record is matched on `external_id` (`participedia:case:1`); re-running updates what
  changed, leaves the rest untouched and never duplicates. Slugs are kept on update so
  links stay valid.
- Pages are created live, with `first_published_at` from the post date, without a revision
  per page: the record was published at its source, and revisions of 2,000+ pages would
  make the import several times slower. The first edit in the admin creates the first
  revision as usual. `practices.signals.pages_imported` is sent once at the end with every
  page created or updated, so the search index follows in bulk.
- Control characters (other than tab and line breaks), lone surrogates and U+FFFE/U+FFFF
  cannot be carried by a feed, an email or PostgreSQL: they are removed, with a note on
  the row naming the columns they were removed from.
- A file that ends inside a quoted field was cut off: its last row is incomplete, so it is
  skipped and reported as truncated with the line where it starts; the rows before it
  import.
- Participedia publishes under CC BY-SA 4.0: every page keeps its record URL as source and
  an attribution that credits Participedia with that link.
"""

import csv
import io
import re
import sys
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils.text import slugify
from tqdm import tqdm
from wagtail.rich_text import RichText

from editorial.characters import UNCARRIABLE, strip_uncarriable
from editorial.languages import content_language_codes
from editorial.sanitize import body_html, plain_text, truncate_words
from members.models import Organisation
from practices import tallies
from practices.models import (
    SUMMARY_MAX_LENGTH,
    GuideIndexPage,
    GuidePage,
    Licence,
    PracticeIndexPage,
    PracticePage,
)
from practices.signals import pages_imported
from search import indexing
from taxonomy.countries import resolve_country
from taxonomy.models import Country, Theme

from .participedia_mapping import (
    COUNTRY_ALIASES,
    organisation_kind,
    sentence_case,
    themes_for,
    title_case,
)
from .report import ImportFileError, ImportReport, RowError

SOURCE = "participedia"
CASE, METHOD, ORGANISATION = "case", "method", "organization"
LABELS = {
    CASE: "cases → practices",
    METHOD: "methods → guides",
    ORGANISATION: "organizations → organisations",
}
REQUIRED_COLUMNS = {"id", "title", "url"}
# Columns that only the cleaned cases file has; it is the one export without `type`.
CASE_COLUMNS = {"approaches", "method_types", "tools_techniques_types"}
# Columns whose values are Participedia keys we map to themes.
KEY_COLUMNS = [
    "approaches", "method_types", "tools_techniques_types", "general_issues", "specific_topics",
    "general_issues_1", "general_issues_2", "general_issues_3",
    "specific_topics_1", "specific_topics_2", "specific_topics_3",
    "type_method_1", "type_method_2", "type_method_3", "sector",
]  # fmt: skip
ARRAY_ELEMENT = re.compile(r'\s*("(?:[^"\\]|\\.)*"|[^",{}]*)\s*(,|$)')
TITLE_MAX_LENGTH = 255
ATTRIBUTION = "From Participedia ({url}), licensed under CC BY-SA 4.0."
# Rows committed together (each in its own savepoint); see `_import_export`.
BATCH_ROWS = 100


def external_id(kind, record_id):
    return f"{SOURCE}:{kind}:{record_id}"


# Reading -------------------------------------------------------------------------------------


@dataclass
class ExportFile:
    """A whole export, read and checked: its record type and its rows with line numbers."""

    path: Path
    kind: str
    header: list
    rows: list  # [(line where the row starts, [values])]
    truncated_line: int | None = None  # where the last row starts when the file is cut off

    @property
    def name(self):
        return self.path.name


def read_export(path):
    """Read and check a whole file; ImportFileError when it is not a Participedia export."""
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file.")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"{path.name}: not a UTF-8 CSV file (undecodable byte at position {error.start})."
        ) from error
    if "\x00" in text:
        raise ImportFileError(f"{path.name}: not a CSV file (it contains binary data).")
    # Participedia bodies can be long; the csv module's default cap is 128 KiB per field.
    csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        header = [column.strip().lower() for column in next(reader, [])]
        start = reader.line_num + 1
        for values in reader:
            if any(value.strip() for value in values):
                rows.append((start, values))
            start = reader.line_num + 1
    except csv.Error as error:
        raise ImportFileError(f"{path.name} line {reader.line_num}: {error}.") from error
    header = [strip_uncarriable(column) for column in header]
    truncated_line = rows[-1][0] if rows and _ends_in_quoted_field(text, rows[-1][0]) else None
    return ExportFile(
        path, detect_kind(path.name, header, rows), header, rows, truncated_line=truncated_line
    )


def _ends_in_quoted_field(text, line):
    """Whether the record starting on `line` runs to the end of `text` inside a quoted
    field: the file was cut off. The lenient reader above takes such a record as it is;
    a strict reader of that record alone says so."""
    lines = io.StringIO(text, newline="").readlines()
    record = "".join(lines[line - 1 :])
    try:
        for _values in csv.reader(io.StringIO(record, newline=""), strict=True):
            pass
    except csv.Error as error:
        # The csv module's words for end of input inside a quoted field; other strict
        # complaints (text after a closing quote) are quirks the lenient reader accepts.
        return "unexpected end of data" in str(error)
    return False


def detect_kind(name, header, rows):
    """The record type of a file, from its `type` column or (for cases) its columns."""
    columns = set(header)
    missing = REQUIRED_COLUMNS - columns
    if not header or missing:
        found = ", ".join(header[:8]) or "nothing"
        raise ImportFileError(
            f"{name}: not a Participedia export: the header lacks {', '.join(sorted(missing))} "
            f"(found: {found})."
        )
    if "type" in columns:
        position = header.index("type")
        types = [
            values[position].strip().lower()
            for _line, values in rows
            if len(values) > position and values[position].strip()
        ]
        if not types:
            raise ImportFileError(f"{name}: the `type` column is empty in every row.")
        kind = max(set(types), key=types.count)
        if kind not in LABELS:
            raise ImportFileError(
                f"{name}: unknown record type {kind!r} (expected case, method or organization)."
            )
        return kind
    if CASE_COLUMNS & columns:
        return CASE
    raise ImportFileError(
        f"{name}: cannot tell the record type: no `type` column and none of the case columns "
        f"({', '.join(sorted(CASE_COLUMNS))})."
    )


# Parsing one row -----------------------------------------------------------------------------


def parse_array(value, column):
    """Elements of a PostgreSQL array literal (`{direct,"co governance"}`); a plain value or
    comma-separated list is accepted too, since other exports use them."""
    value = value.strip()
    if not value:
        return []
    if not value.startswith("{"):
        return [item.strip() for item in value.split(",") if item.strip()]
    if not value.endswith("}"):
        raise RowError(f"{column} {value!r} is not a valid array (expected {{a,b,...}})")
    inner = value[1:-1]
    items, position = [], 0
    while position < len(inner):
        match = ARRAY_ELEMENT.match(inner, position)
        if match is None or match.end() == position:
            raise RowError(f"{column} {value!r} is not a valid array (expected {{a,b,...}})")
        item = match.group(1)
        if item.startswith('"'):
            item = re.sub(r"\\(.)", r"\1", item[1:-1])
        if item.strip():
            items.append(item.strip())
        position = match.end()
    return items


def parse_datetime(value, column):
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise RowError(f"{column} {value!r} is not a date") from error
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass
class Row:
    """One CSV row with what parsing it noted along the way."""

    values: dict
    notes: list = field(default_factory=list)

    def get(self, column):
        return (self.values.get(column) or "").strip()

    def record_id(self):
        value = self.get("id")
        if not value:
            raise RowError("missing id")
        if not value.isdigit():
            raise RowError(f"id {value!r} is not a number")
        return int(value)

    def title(self):
        title = title_case(self.get("title"))
        if not title:
            raise RowError("missing title")
        if len(title) > TITLE_MAX_LENGTH:
            title = truncate_words(title, TITLE_MAX_LENGTH)
            self.notes.append(f"title shortened to {TITLE_MAX_LENGTH} characters")
        return title

    def url(self, kind, record_id):
        url = self.get("url")
        if not url:
            return f"https://participedia.net/{kind}/{record_id}"
        if not url.startswith(("https://", "http://")):
            raise RowError(f"url {url!r} is not a web address")
        return url

    def country_code(self):
        name = self.get("country")
        alias = COUNTRY_ALIASES.get(name.casefold())
        if alias:
            return alias
        try:
            return resolve_country(name)
        except ValueError:
            self.notes.append(f"unknown country {name!r}; imported without a country")
            return None

    def keys(self):
        keys = []
        for column in KEY_COLUMNS:
            if column in self.values:
                keys.extend(parse_array(self.get(column), column))
        return keys

    def summary(self, fallback):
        text = self.description() or plain_text(self.get("body")) or fallback
        if len(text) > SUMMARY_MAX_LENGTH:
            if self.get("description"):
                self.notes.append(
                    f"description of {len(text)} characters shortened to a summary of at most "
                    f"{SUMMARY_MAX_LENGTH}"
                )
            text = truncate_words(text, SUMMARY_MAX_LENGTH)
        return text

    def description(self):
        return sentence_case(plain_text(self.get("description")))

    def language(self, default):
        code = self.get("original_language").lower()
        if not code:
            return default
        if code not in content_language_codes():
            self.notes.append(f"unknown language {code!r}; recorded as {default!r}")
            return default
        return code


@dataclass
class PageRecord:
    external_id: str
    fields: dict  # model field → value, compared with the page to tell "unchanged"
    body_html: str
    slug: str
    theme_slugs: list
    country_codes: list


@dataclass
class OrganisationRecord:
    external_id: str
    fields: dict
    slug: str
    theme_slugs: list


def page_record(kind, row, language):
    record_id = row.record_id()
    title = row.title()
    url = row.url(kind, record_id)
    post_date = parse_datetime(row.get("post_date"), "post_date")
    updated_date = parse_datetime(row.get("updated_date"), "updated_date")
    keys = row.keys()
    country = row.country_code()
    description = row.description()
    summary = row.summary(fallback=title)
    body = body_html(row.get("body"))
    if not body and description and description != summary:
        # The summary had to be shortened: keep the whole description in the body.
        body = body_html(description)
    places = ", ".join(part for part in (row.get("city"), row.get("province")) if part)
    published = post_date or updated_date
    fields = {
        "title": title,
        "summary": summary,
        "original_language": row.language(language),
        "source_url": url,
        "licence": Licence.CC_BY_SA,
        "attribution": ATTRIBUTION.format(url=url),
        "first_published_at": published,
        "last_published_at": updated_date or published,
    }
    if kind == CASE:
        fields["places"] = truncate_words(places, 500)
        # The export says nothing of whether a case is planned, ongoing or completed.
        fields["status"] = ""
    slug = f"{slugify(title, allow_unicode=True)[:80].strip('-') or kind}-{record_id}"
    return PageRecord(
        external_id=external_id(kind, record_id),
        fields=fields,
        body_html=body,
        slug=slug,
        theme_slugs=themes_for(keys, f"{title} {description}"),
        country_codes=[country] if country else [],
    )


def organisation_record(row):
    record_id = row.record_id()
    name = row.title()
    url = row.url(ORGANISATION, record_id)
    parse_datetime(row.get("post_date"), "post_date")
    parse_datetime(row.get("updated_date"), "updated_date")
    keys = row.keys()
    scopes = [row.get(f"scope_of_influence_{n}") for n in (1, 2, 3)]
    description = row.description() or truncate_words(
        plain_text(row.get("body")), SUMMARY_MAX_LENGTH
    )
    country = row.country_code()
    fields = {
        "name": name,
        "kind": organisation_kind(row.get("sector"), scopes),
        "country_id": country,  # the ISO code; the importer swaps in the Country's key
        "region": row.get("province")[:255],
        "city": row.get("city")[:255],
        "description": description,
        "source_url": url,
    }
    slug = f"{slugify(name)[:200].strip('-') or 'organisation'}-participedia-{record_id}"
    return OrganisationRecord(
        external_id=external_id(ORGANISATION, record_id),
        fields=fields,
        slug=slug,
        theme_slugs=themes_for(keys, f"{name} {description}"),
    )


# Writing -------------------------------------------------------------------------------------


def _m2m_ids(model, field_name, **filters):
    """{owner id: set of related ids} for a many-to-many field, in one query."""
    relation = model._meta.get_field(field_name)
    source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
    through = relation.remote_field.through
    lookup = {f"{source}__{key}": value for key, value in filters.items()}
    pairs = through.objects.filter(**lookup).values_list(f"{source}_id", f"{target}_id")
    result = {}
    for owner, related in pairs:
        result.setdefault(owner, set()).add(related)
    return result


def _batches(rows, size):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _add_related(page, field_name, objects):
    """Tag a page just created: one insert, where setting the parental many-to-many field
    before the save has modelcluster read the (empty) current set and the existing links
    first (5 queries per practice). Neither way sends `m2m_changed`; the page's save has
    already reported it to the counts, which are retallied when its batch commits.
    Only for speed (bench/README.md, "Participedia import")."""
    if not objects:
        return
    relation = type(page)._meta.get_field(field_name)
    through = relation.remote_field.through
    source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
    through.objects.bulk_create(
        [through(**{f"{source}_id": page.pk, f"{target}_id": obj.pk}) for obj in objects]
    )


def _carriable_values(header, values):
    """`values` without the characters the site cannot carry, and the columns they were in."""
    cleaned, columns = [], []
    for position, value in enumerate(values):
        if UNCARRIABLE.search(value):
            value = strip_uncarriable(value)
            columns.append(header[position] if position < len(header) else f"field {position + 1}")
        cleaned.append(value)
    return cleaned, columns


def _body_blocks(page_body):
    return [(block["type"], block["value"]) for block in page_body.raw_data]


@dataclass
class Libraries:
    practices: PracticeIndexPage
    guides: GuideIndexPage


def _libraries(language):
    """The practice and guide libraries of the locale that receives the pages. The page tree
    is the site's to build (`manage.py setup_site`, `load_demo`), not the importer's."""
    libraries = Libraries(
        PracticeIndexPage.objects.filter(locale__language_code=language).first(),
        GuideIndexPage.objects.filter(locale__language_code=language).first(),
    )
    if libraries.practices is None or libraries.guides is None:
        raise ImportFileError(
            f"the locale {language!r} has no practice and guide libraries on this site: "
            "run `manage.py setup_site` first."
        )
    return libraries


class ParticipediaImporter:
    """Imports checked export files; one instance per run."""

    def __init__(self, locale=None, dry_run=False, progress=None):
        self.language = locale or settings.LANGUAGE_CODE
        self.dry_run = dry_run
        # A callable wrapping an iterable (e.g. a tqdm factory); None for no progress bar.
        self.progress = progress
        self.report = ImportReport(dry_run=dry_run)
        self.published_pages = []

    def read(self, paths):
        """Every file read and checked before anything is written."""
        return [read_export(path) for path in paths]

    def run(self, exports):
        # A dry run does everything inside one transaction and rolls it back; a real run
        # commits batch by batch, so an interrupted import keeps the batches already done.
        with transaction.atomic() if self.dry_run else nullcontext():
            self.tree = _libraries(self.language)
            self.themes = {theme.slug: theme for theme in Theme.objects.all()}
            self.countries = {country.code: country for country in Country.objects.all()}
            total = sum(len(export.rows) for export in exports)
            bar = self.progress(total=total) if self.progress else None
            for export in exports:
                self._import_export(export, bar)
            if bar is not None:
                bar.close()
            if self.published_pages:
                pages_imported.send(sender=type(self), pages=self.published_pages)
            if self.dry_run:
                # Everything ran for real, so the report is the one a real run would give.
                transaction.set_rollback(True)
        return self.report

    def _import_export(self, export, bar):
        if export.kind == ORGANISATION:
            existing = {
                org.external_id: org
                for org in Organisation.objects.filter(
                    external_id__startswith=f"{SOURCE}:{ORGANISATION}:"
                )
            }
            existing_themes = _m2m_ids(
                Organisation, "themes", external_id__startswith=f"{SOURCE}:{ORGANISATION}:"
            )
            save = partial(
                self._save_organisation, existing=existing, existing_themes=existing_themes
            )
            parent = None
        else:
            model = PracticePage if export.kind == CASE else GuidePage
            parent = self.tree.practices if export.kind == CASE else self.tree.guides
            prefix = f"{SOURCE}:{export.kind}:"
            # Whether each is a site root, asked once for all rather than by Wagtail per save.
            pages = model.objects.filter(
                locale_id=parent.locale_id, external_id__startswith=prefix
            ).annotate_site_root_state()
            existing = {page.external_id: page for page in pages}
            filters = {"locale_id": parent.locale_id, "external_id__startswith": prefix}
            save = partial(
                self._save_page,
                model=model,
                parent=parent,
                existing=existing,
                existing_themes=_m2m_ids(model, "themes", **filters),
                existing_countries=_m2m_ids(model, "countries", **filters),
            )
        seen = set()
        for batch in _batches(export.rows, BATCH_ROWS):
            # One transaction per batch of rows, one savepoint per row: a bad row is rolled
            # back alone, and the counts and search documents of the batch's rows are written
            # once, as the batch commits. Only for speed (bench/README.md, "Participedia
            # import"): a transaction per row retallied and reindexed per row.
            with transaction.atomic(), tallies.deferred(), indexing.deferred():
                for line, values in batch:
                    if bar is not None:
                        bar.set_description(export.name, refresh=False)
                        bar.update(1)
                    self._import_row(export, line, values, seen, save, parent)

    def _import_row(self, export, line, values, seen, save, parent):
        label = LABELS[export.kind]
        values, cleaned_columns = _carriable_values(export.header, values)
        row = Row(dict(zip(export.header, values, strict=False)))
        if cleaned_columns:
            row.notes.append(
                "removed control characters (or other characters the site cannot carry) "
                f"from {', '.join(cleaned_columns)}"
            )
        record_id = row.get("id")
        position = export.header.index("type") if "type" in export.header else None
        try:
            if line == export.truncated_line:
                raise RowError(
                    "the file ends inside a quoted field of this row: it was cut off "
                    "(truncated), so the row is incomplete"
                )
            if len(values) != len(export.header):
                raise RowError(f"{len(values)} fields where the header has {len(export.header)}")
            if position is not None and values[position].strip().lower() != export.kind:
                raise RowError(
                    f"type {values[position].strip()!r} in a file of {export.kind} records"
                )
            if export.kind == ORGANISATION:
                record = organisation_record(row)
            else:
                record = page_record(export.kind, row, self.language)
            if record.external_id in seen:
                raise RowError("the same id appears earlier in the file")
            seen.add(record.external_id)
            # A row that fails leaves nothing behind: neither its changes nor the counts and
            # search documents they would have changed.
            with transaction.atomic(), tallies.deferred(), indexing.deferred():
                outcome = save(record)
        except RowError as error:
            self.report.count(label, "skipped")
            self.report.add_problem(export.name, line, record_id, str(error), skipped=True)
            return
        except (ValidationError, IntegrityError, DataError) as error:
            self.report.count(label, "skipped")
            message = "; ".join(getattr(error, "messages", [str(error)]))
            self.report.add_problem(
                export.name, line, record_id, f"could not be saved: {message}", skipped=True
            )
            if parent is not None:
                # The failed row's savepoint was rolled back; the parent's child count kept
                # in memory by treebeard may no longer match the database.
                parent.refresh_from_db()
            return
        self.report.count(label, outcome)
        for note in row.notes:
            self.report.add_problem(export.name, line, record_id, note, skipped=False)

    def _theme_objects(self, slugs):
        return [self.themes[slug] for slug in slugs if slug in self.themes]

    def _save_page(self, record, *, model, parent, existing, existing_themes, existing_countries):
        themes = self._theme_objects(record.theme_slugs)
        countries = [self.countries[code] for code in record.country_codes]
        blocks = [("paragraph", record.body_html)] if record.body_html else []
        body_field = "body" if model is PracticePage else "introduction"
        page = existing.get(record.external_id)
        if page is None:
            page = model(
                slug=record.slug,
                live=True,
                has_unpublished_changes=False,
                locale_id=parent.locale_id,
                external_id=record.external_id,
                **record.fields,
            )
            self._set_body(page, body_field, blocks, record.body_html)
            # A new page has a new translation key: it is no site's root (Wagtail asks per save).
            page._is_site_root = False
            parent.add_child(instance=page)
            _add_related(page, "themes", themes)
            _add_related(page, "countries", countries)
            existing[record.external_id] = page
            self._published(page)
            return "created"
        unchanged = (
            all(getattr(page, name) == value for name, value in record.fields.items())
            and self._body_equal(page, body_field, blocks, record.body_html)
            and existing_themes.get(page.pk, set()) == {theme.pk for theme in themes}
            and existing_countries.get(page.pk, set()) == {country.pk for country in countries}
        )
        if unchanged:
            return "unchanged"
        for name, value in record.fields.items():
            setattr(page, name, value)
        page.draft_title = page.title
        self._set_body(page, body_field, blocks, record.body_html)
        page.themes.set(themes)
        page.countries.set(countries)
        page.save()
        existing_themes[page.pk] = {theme.pk for theme in themes}
        existing_countries[page.pk] = {country.pk for country in countries}
        self._published(page)
        return "updated"

    def _published(self, page):
        # The page went live without a revision, so Wagtail sends no signal; listeners such
        # as the search index hear of it through `pages_imported` at the end of the run.
        self.published_pages.append(page)

    @staticmethod
    def _set_body(page, body_field, blocks, html):
        if body_field == "body":
            page.body = [(block_type, RichText(value)) for block_type, value in blocks]
        else:
            page.introduction = html

    @staticmethod
    def _body_equal(page, body_field, blocks, html):
        if body_field == "body":
            return _body_blocks(page.body) == blocks
        return page.introduction == html

    def _save_organisation(self, record, *, existing, existing_themes):
        fields = dict(record.fields)
        country = self.countries.get(fields["country_id"])
        fields["country_id"] = country.pk if country else None
        themes = self._theme_objects(record.theme_slugs)
        theme_ids = {theme.pk for theme in themes}
        organisation = existing.get(record.external_id)
        if organisation is None:
            organisation = Organisation(slug=record.slug, external_id=record.external_id, **fields)
            organisation.full_clean()
            organisation.save()
            organisation.themes.set(themes)
            existing[record.external_id] = organisation
            existing_themes[organisation.pk] = theme_ids
            return "created"
        if (
            all(getattr(organisation, name) == value for name, value in fields.items())
            and existing_themes.get(organisation.pk, set()) == theme_ids
        ):
            return "unchanged"
        for name, value in fields.items():
            setattr(organisation, name, value)
        organisation.full_clean()
        organisation.save()
        organisation.themes.set(themes)
        existing_themes[organisation.pk] = theme_ids
        return "updated"


def run_import(paths, *, locale=None, dry_run=False, progress=True):
    """Import `paths` and return the report; ImportFileError when a file cannot be used
    (nothing is written then). Used by `import_participedia` and `load_demo`."""
    bar = partial(tqdm, unit="row", file=sys.stderr, leave=False) if progress else None
    importer = ParticipediaImporter(locale=locale, dry_run=dry_run, progress=bar)
    return importer.run(importer.read(paths))
