"""The 404 and 500 pages: translated into every UI language, Arabic right to left, both
linking home; the 500 page renders without a request context or a database."""

import re

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import get_resolver
from django.utils import translation

from tests.translations import compile_translations

LANGUAGES = [code for code, _name in settings.LANGUAGES]
HOME = {code: "/" if code == "en" else f"/{code}/" for code in LANGUAGES}


@pytest.fixture(scope="module", autouse=True)
def compiled_translations():
    compile_translations()


def translated(text, language):
    with translation.override(language):
        return translation.gettext(text)


def test_an_unknown_arabic_address_is_a_404_in_arabic(client, site_tree):
    response = client.get("/ar/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="ar" dir="rtl">' in html
    assert "الصفحة غير موجودة" in html
    assert "Page not found" not in html
    assert 'href="/ar/"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_404_page_speaks_every_language(client, db, language):
    prefix = "" if language == "en" else f"/{language}"

    response = client.get(f"{prefix}/no-such-page/")

    html = response.content.decode()
    direction = "rtl" if language == "ar" else "ltr"
    assert response.status_code == 404
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert translated("Page not found", language) in html
    assert f'href="{HOME[language]}"' in html
    # Not a page of the library: search engines get no alternate versions of it.
    assert 'rel="alternate"' not in html


def test_the_404_title_is_translated_and_not_english():
    for language in LANGUAGES:
        if language != "en":
            assert translated("Page not found", language) != "Page not found", language


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_500_page_renders_in_every_language_without_the_database(language):
    # No `db` fixture: pytest-django fails any query, so this also proves the page makes none.
    handler = get_resolver().resolve_error_handler(500)
    request = RequestFactory().get(HOME[language] + "broken/")

    with translation.override(language):
        response = handler(request)

    html = response.content.decode()
    direction = "rtl" if language == "ar" else "ltr"
    assert response.status_code == 500
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert translated("Something went wrong", language) in html
    assert re.search(rf'<a href="{re.escape(HOME[language])}">', html)
    if language != "en":
        assert "Something went wrong" not in html
