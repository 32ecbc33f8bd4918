"""What the OpenAPI schema describes: the read API only (not the DRF views installed apps
bring, such as Wagtail's admin API), with the values its filters accept listed as they are
when the schema is asked for: themes are the editors' to change."""

import pycountry

from editorial.languages import content_language_codes
from search.params import ALL_LANGUAGES
from taxonomy.models import Theme


def only_the_read_api(endpoints, **kwargs):
    """drf-spectacular preprocessing hook."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


def filter_values(result, generator, request, public):
    """drf-spectacular postprocessing hook: the enums of the theme, country and language
    filters."""
    values = {
        "theme": sorted(Theme.objects.values_list("slug", flat=True)),
        "country": sorted(country.alpha_2 for country in pycountry.countries),
        "language": [*content_language_codes(), ALL_LANGUAGES],
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query":
                    continue
                if parameter["name"] in values:
                    parameter["schema"]["items"] = {
                        "type": "string",
                        "enum": values[parameter["name"]],
                    }
                else:
                    _refuse_uncarriable_characters(parameter["schema"])
    return result


# Text the search refuses with a 400 (editorial.characters.REFUSED), as a pattern that
# accepts everything else. The characters stand as themselves, since not every JSON Schema
# tool reads escapes in a pattern; lone surrogates cannot (the schema is UTF-8), and no
# URL carries one either.
TYPABLE_TEXT = "^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\\ud800-\\udfff\ufffd\ufffe\uffff]*$"


def _refuse_uncarriable_characters(schema):
    if schema.get("type") == "string" and "enum" not in schema:
        schema["pattern"] = TYPABLE_TEXT
    elif schema.get("type") == "array":
        _refuse_uncarriable_characters(schema.get("items", {}))
