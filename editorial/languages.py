"""Languages content can be written in: the seven UI languages first, then others that
imported records use. Names are shown in the active UI language through Django's own
language catalogue."""

from django.conf import settings
from django.utils.translation import get_language_info

EXTRA_CONTENT_LANGUAGES = [
    "bg", "bs", "cs", "da", "de", "el", "es", "fa", "fi", "fr", "he", "hr", "hu", "hy", "id",
    "it", "ja", "ko", "ku", "lt", "lv", "nl", "no", "pt", "ru", "sk", "sl", "sq", "sr", "sv",
    "uk", "zh-hans",
]  # fmt: skip

RTL_LANGUAGES = {"ar", "fa", "he", "ku", "ur"}


def content_language_codes():
    return [code for code, _ in settings.LANGUAGES] + EXTRA_CONTENT_LANGUAGES


def language_name(code):
    """The language's name in the active UI language, falling back to the code."""
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


def content_language_choices():
    return [(code, language_name(code)) for code in content_language_codes()]


def is_rtl(code):
    return (code or "").split("-")[0] in RTL_LANGUAGES
