import pytest

from taxonomy.countries import country_name, resolve_country


@pytest.mark.parametrize(
    "code, language, name",
    [
        ("GE", "ka", "საქართველო"),
        ("JO", "ar", "الأردن"),
        ("TR", "ar", "تركيا"),
        ("MK", "mk", "Северна Македонија"),
        ("PL", "pl", "Polska"),
        ("RO", "tr", "Romanya"),
        ("BA", "en", "Bosnia and Herzegovina"),
    ],
)
def test_country_names_in_every_ui_language(code, language, name):
    assert country_name(code, language) == name


@pytest.mark.parametrize(
    "name, code",
    [
        ("Italia", "IT"),
        ("Polska", "PL"),
        ("Deutschland", "DE"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("united states", "US"),
        ("  Belgique ", "BE"),
        ("საქართველო", "GE"),
        ("ge", "GE"),
    ],
)
def test_names_in_any_language_resolve_to_codes(name, code):
    assert resolve_country(name) == code


@pytest.mark.parametrize("blank", ["", "Unknown", "  ", None])
def test_blank_and_unknown_mean_no_country(blank):
    assert resolve_country(blank) is None


def test_a_name_no_catalogue_knows_is_an_error():
    with pytest.raises(ValueError, match="Atlantis"):
        resolve_country("Atlantis")
