"""Reading a search from query-string parameters, for the page, the feed and the JSON API.

Everything a user can type is either accepted or refused with a message naming the
parameter; nothing reaches the backend unchecked."""

import pycountry
from django.conf import settings
from django.utils.translation import gettext as _

from editorial.characters import refusal_message, refused_character
from editorial.languages import content_language_codes

from .backends.base import (
    DEFAULT_PAGE_SIZE,
    DOCUMENT_TYPES,
    MAX_PAGE_SIZE,
    MAX_QUERY_LENGTH,
    SORTS,
    SearchQuery,
)

# Deeper pages cost the database a sort of everything before them and are never read.
MAX_RESULT_WINDOW = 10_000
MAX_VALUES_PER_FILTER = 50
MIN_YEAR, MAX_YEAR = 1000, 9999
PARAMETERS = (
    "q", "theme", "country", "type", "language", "year", "status", "organisation", "page_size",
    "page", "sort",
)  # fmt: skip


class InvalidSearch(ValueError):
    def __init__(self, parameter, message):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def _clean(value):
    # PostgreSQL refuses NUL characters in text; no one means them.
    return value.replace("\x00", "").strip()


def _values(params, name):
    values = [value for value in (_clean(v) for v in params.getlist(name)) if value]
    if len(values) > MAX_VALUES_PER_FILTER:
        raise InvalidSearch(
            name, _("At most %(count)d values per filter.") % {"count": MAX_VALUES_PER_FILTER}
        )
    return list(dict.fromkeys(values))


def _integer(params, name, default, minimum, maximum):
    raw = _clean(params.get(name, ""))
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        message = _("“%(value)s” is not a whole number.") % {"value": raw[:50]}
        raise InvalidSearch(name, message) from None
    if not minimum <= value <= maximum:
        raise InvalidSearch(
            name,
            _("Give a number from %(minimum)d to %(maximum)d.")
            % {"minimum": minimum, "maximum": maximum},
        )
    return value


def _unknown(name, value):
    return InvalidSearch(
        name, _("Unknown %(name)s: “%(value)s”.") % {"name": name, "value": value[:50]}
    )


# `language=all`: every language. Only a page with a default language (a library listing
# shows its locale's) needs it; elsewhere it is the same as no language.
ALL_LANGUAGES = "all"


def parse_search(
    params,
    ui_language=None,
    default_page_size=DEFAULT_PAGE_SIZE,
    default_languages=(),
    default_sort="relevance",
) -> SearchQuery:
    """A `SearchQuery` from a QueryDict; raises `InvalidSearch`. `default_languages` apply
    when the query string names no language."""
    from taxonomy.models import Theme

    from .indexing import quality_labels, status_labels

    # Control characters and undecodable bytes are refused as the forms refuse them.
    for name in PARAMETERS:
        for value in params.getlist(name):
            character = refused_character(value)
            if character is not None:
                raise InvalidSearch(name, str(refusal_message(character)))

    text = params.get("q", "")
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidSearch(
            "q",
            _("The search text is longer than %(count)s characters.")
            % {"count": f"{MAX_QUERY_LENGTH:,}"},
        )

    themes = [value.lower() for value in _values(params, "theme")]
    known = Theme.known_slugs(themes) if themes else set()
    for theme in themes:
        if theme not in known:
            raise _unknown("theme", theme)

    countries = []
    for value in _values(params, "country"):
        if len(value) != 2 or pycountry.countries.get(alpha_2=value.upper()) is None:
            raise InvalidSearch(
                "country",
                _("“%(value)s” is not an ISO 3166-1 alpha-2 country code.") % {"value": value[:50]},
            )
        countries.append(value.upper())

    types = _values(params, "type")
    for value in types:
        if value not in DOCUMENT_TYPES:
            raise _unknown("type", value)

    languages = _values(params, "language")
    codes = set(content_language_codes())
    for value in languages:
        if value not in codes and value != ALL_LANGUAGES:
            raise _unknown("language", value)
    if ALL_LANGUAGES in languages:
        languages = []
    elif not languages:
        languages = list(default_languages)

    years = []
    for value in _values(params, "year"):
        try:
            year = int(value)
        except ValueError:
            message = _("“%(value)s” is not a year.") % {"value": value[:50]}
            raise InvalidSearch("year", message) from None
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise InvalidSearch("year", _("“%(value)s” is not a year.") % {"value": value[:50]})
        years.append(year)

    statuses = _values(params, "status")
    known_statuses = status_labels()
    for value in statuses:
        if value not in known_statuses:
            raise _unknown("status", value)
    labels = _values(params, "label")
    known_labels = quality_labels()
    for value in labels:
        if value not in known_labels:
            raise _unknown("label", value)

    organisations = [value[:255] for value in _values(params, "organisation")]

    page_size = _integer(params, "page_size", default_page_size, 1, MAX_PAGE_SIZE)
    page = _integer(params, "page", 1, 1, MAX_RESULT_WINDOW)
    if page * page_size > MAX_RESULT_WINDOW:
        raise InvalidSearch(
            "page",
            _("Only the first %(count)s results can be paged through; narrow the search.")
            % {"count": f"{MAX_RESULT_WINDOW:,}"},
        )

    sort = _clean(params.get("sort", "")) or default_sort
    if sort not in SORTS:
        raise _unknown("sort", sort)

    return SearchQuery(
        text=text.strip(),
        themes=tuple(themes),
        countries=tuple(countries),
        types=tuple(types),
        languages=tuple(languages),
        years=tuple(years),
        statuses=tuple(statuses),
        labels=tuple(labels),
        organisations=tuple(organisations),
        page=page,
        page_size=page_size,
        sort=sort,
        ui_language=(ui_language or settings.LANGUAGE_CODE).split("-")[0],
    )
