"""ISO 3166-1 country names in every UI language, and the reverse: a name in any language
(`Italia`, `Polska`, `Deutschland`) to its alpha-2 code.

Names come from the iso-codes translations that pycountry ships, so they follow the
standard rather than a hand-kept list."""

import gettext
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import pycountry
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language

# Names people and data exports use that are neither ISO names nor their translations.
ALIASES = {
    "usa": "US",
    "us": "US",
    "united states of america": "US",
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "south korea": "KR",
    "korea": "KR",
    "north korea": "KP",
    "russia": "RU",
    "iran": "IR",
    "syria": "SY",
    "laos": "LA",
    "vietnam": "VN",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "taiwan": "TW",
    "palestine": "PS",
    "czech republic": "CZ",
    "macedonia": "MK",
    "ivory coast": "CI",
    "cape verde": "CV",
    "democratic republic of the congo": "CD",
    "dr congo": "CD",
    "republic of the congo": "CG",
    "turkiye": "TR",
    "turkey": "TR",
    "brasil": "BR",
    "belgique": "BE",
    "suisse": "CH",
    "schweiz": "CH",
    "svizzera": "CH",
}
# Names the iso-codes catalogues lack because the country was renamed after they were
# translated (Türkiye, North Macedonia, Czechia, Eswatini...).
CATALOGUE_GAPS = {
    ("ar", "TR"): "تركيا",
    ("mk", "TR"): "Турција",
    ("mk", "MK"): "Северна Македонија",
    ("mk", "CZ"): "Чешка",
    ("mk", "CV"): "Кабо Верде",
    ("mk", "PS"): "Палестина",
    ("mk", "SS"): "Јужен Судан",
    ("mk", "SZ"): "Есватини",
}
UNKNOWN = {"", "unknown", "n/a", "none", "-", "various", "international", "global"}


def _key(name):
    folded = unicodedata.normalize("NFKD", name.strip().casefold())
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


@cache
def _translator(language):
    if language == "en":
        return None
    try:
        return gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language.replace("-", "_")]
        )
    except FileNotFoundError:
        return None


def country_name(code, language=None):
    """The country's name in `language` (default: the active language)."""
    return _country_name(code.upper(), (language or get_language() or "en").split("-")[0])


# A facet list names every country of the library on each page: remembered per process.
@lru_cache(maxsize=4096)
def _country_name(code, language):
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code.upper()
    english = getattr(country, "common_name", None) or country.name
    if (language, country.alpha_2) in CATALOGUE_GAPS:
        return CATALOGUE_GAPS[language, country.alpha_2]
    translator = _translator(language)
    if translator is None:
        return english
    translated = translator.gettext(country.name)
    return translated if translated != country.name else english


def country_path(code):
    """The path of the country's page in the active language."""
    return _country_path(code.lower(), get_language())


# A process's URLs never change: the home page's map links about 150 countries twice, and
# their 300 `reverse()` calls were a tenth of its CPU (cProfile, bench/pages.py).
@lru_cache(maxsize=4096)
def _country_path(code, language):
    return reverse("country_detail", kwargs={"code": code})


def country_names(code):
    """{language: name} for every UI language, for indexing."""
    return {lang: country_name(code, lang) for lang, _ in settings.LANGUAGES}


@cache
def _reverse_index():
    index = {}
    catalogues = Path(pycountry.LOCALES_DIR).glob("*/LC_MESSAGES/iso3166-1.mo")
    languages = sorted({path.parent.parent.name for path in catalogues})
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                index.setdefault(_key(value), country.alpha_2)
        index.setdefault(_key(country.alpha_3), country.alpha_2)
    for language in languages:
        translator = _translator(language)
        if translator is None:
            continue
        for country in pycountry.countries:
            index.setdefault(_key(translator.gettext(country.name)), country.alpha_2)
    for alias, code in ALIASES.items():
        index[_key(alias)] = code
    return index


def resolve_country(name):
    """Alpha-2 code for a country name in any language; None when unknown or blank.

    Raises ValueError when a non-blank name matches no country, so importers can report it.
    """
    key = _key(name or "")
    if key in UNKNOWN:
        return None
    if len(key) == 2 and pycountry.countries.get(alpha_2=key.upper()):
        return key.upper()
    code = _reverse_index().get(key)
    if code is None:
        raise ValueError(f"unknown country {name!r}")
    return code
