import pytest

from practices.factories import PracticePageFactory
from practices.models import PracticePage


@pytest.mark.django_db
def test_practice_factory_creates_live_practice_in_the_index_locale(site_tree):
    practices = site_tree["ar"].practices
    practice = PracticePageFactory(parent=practices, themes=["youth"], countries=["JO", "IQ"])
    practice = PracticePage.objects.get(pk=practice.pk)
    assert practice.live
    assert practice.locale.language_code == "ar"
    assert sorted(practice.countries.values_list("code", flat=True)) == ["IQ", "JO"]
    assert list(practice.themes.values_list("slug", flat=True)) == ["youth"]
