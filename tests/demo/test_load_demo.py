"""`load_demo`: seeds in their own locales, organisations and accounts, guides, featured
collections and the Participedia import (small fixtures here; the real files are covered by
tests/practices/test_import_participedia.py). Idempotent."""

import html
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db import transaction

from demo.loader import DemoLoader
from demo.organisations import USERS
from home.models import HomePage
from members.models import Membership, Organisation
from practices.models import SUMMARY_MAX_LENGTH, GuidePage, PracticePage

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "participedia"
SEED_LOCALES = {
    "000_38a1a4d4ec0c99eb": ("ar", {"JO", "IQ", "TR"}),
    "001_a5ef3e2ecb7281bc": ("mk", {"BA"}),
    "002_4d2333b15e529211": ("ro", {"RO"}),
    "003_cceefbe18ed3352b": ("pl", {"PL"}),
    "004_76e477ac0a36789a": ("ka", {"GE"}),
}
DEBRIS = ["Search", "Number of views", "Print", "Back To Top", "Terms Of Use", "Comments"]


def load_demo(*args, participedia_dir=FIXTURES):
    out = StringIO()
    call_command("load_demo", *args, participedia_dir=str(participedia_dir), stdout=out)
    return out.getvalue()


def counts():
    return {
        "practices": PracticePage.objects.count(),
        "guides": GuidePage.objects.count(),
        "organisations": Organisation.objects.count(),
        "memberships": Membership.objects.count(),
        "users": get_user_model().objects.count(),
    }


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """The demo loaded once for the module, inside a transaction rolled back at its end;
    each test runs in a savepoint of it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db):
    return demo_output


def test_load_demo_creates_everything_and_is_idempotent(demo):
    first = counts()

    # 5 seeds + 6 good fixture cases; 3 demo guides + 2 fixture methods.
    assert first["practices"] == 5 + 6
    assert first["guides"] == 3 + 2
    assert "cases → practices: 6 created" in demo
    assert "Demo content ready." in demo

    second_output = load_demo()

    assert counts() == first
    assert "Seed 000_38a1a4d4ec0c99eb (ar): already there." in second_output
    assert "cases → practices: 0 created, 0 updated, 6 unchanged" in second_output
    assert "featured collections already chosen" in second_output


def test_seeds_are_practices_in_their_own_language_and_locale(demo):
    for stem, (language, countries) in SEED_LOCALES.items():
        page = PracticePage.objects.get(source_name=stem)
        assert page.live and page.live_revision is not None
        assert page.locale.language_code == language
        assert page.original_language == language
        assert page.get_parent().specific_class.__name__ == "PracticeIndexPage"
        assert page.get_parent().locale.language_code == language
        assert {country.code for country in page.countries.all()} == countries
        assert page.themes.exists()
        assert 100 < len(page.english_summary) <= SUMMARY_MAX_LENGTH
        assert 100 < len(page.summary) <= SUMMARY_MAX_LENGTH
        text = " ".join(str(block.value) for block in page.body)
        assert len(page.body) >= 5
        for debris in DEBRIS:
            assert debris not in text

    arabic = PracticePage.objects.get(source_name="000_38a1a4d4ec0c99eb")
    assert "Jordan, Iraq and Turkey" in arabic.english_summary
    assert arabic.text_direction == "rtl"
    assert arabic.programme == "Qudra 2"
    assert arabic.lead_organisation.slug == "qudra-2"

    macedonian = PracticePage.objects.get(source_name="001_a5ef3e2ecb7281bc")
    assert (macedonian.start_date.isoformat(), macedonian.end_date.isoformat()) == (
        "2021-01-01",
        "2023-12-31",
    )
    assert macedonian.status == PracticePage.Status.COMPLETED
    headings = [block.value["text"] for block in macedonian.body if block.block_type == "heading"]
    assert "Главни активности на проектот" in headings

    georgian = PracticePage.objects.get(source_name="004_76e477ac0a36789a")
    assert georgian.year == 2020
    assert georgian.lead_organisation.slug == "civil-society-institute"
    assert [org.slug for org in georgian.partner_organisations.all()] == [
        "ozurgeti-house-of-progress"
    ]
    assert "participatory-budgeting" in {theme.slug for theme in georgian.themes.all()}


def test_a_practice_has_an_outcome_indicator_with_dated_updates(demo):
    romanian = PracticePage.objects.get(source_name="002_4d2333b15e529211")
    indicator = romanian.outcomes[0].value
    assert indicator["target"] == 50
    assert [update["date"].isoformat() for update in indicator.sorted_updates()] == [
        "2024-06-30",
        "2024-12-31",
        "2025-06-30",
        "2025-12-31",
    ]
    assert [point["x"] for point in indicator.chart()["points"]] == [10.0, 110.5, 209.5, 310.0]
    # The progress figures are invented: the indicator and each figure say so.
    assert "(progres inventat, pentru demonstrație)" in indicator["name"]
    assert {update["note"] for update in indicator["updates"]} == {
        "Cifră inventată pentru demonstrație, nu raportare oficială"
    }


def test_demo_accounts_sign_in_with_their_documented_passwords(demo):
    for username, password, org_slug, role, _flags in USERS:
        user = authenticate(username=username, password=password)
        assert user is not None, username
        if org_slug:
            membership = Membership.objects.get(user=user)
            assert (membership.organisation.slug, membership.role) == (org_slug, role)
    editor = get_user_model().objects.get(username="editor")
    assert [group.name for group in editor.groups.all()] == ["Site editors"]
    municipality = Organisation.objects.get(slug="ozurgeti-municipality")
    assert (municipality.kind, municipality.country.code) == ("municipality", "GE")


def test_guides_link_practices_and_the_home_page_features_collections(demo):
    guide = GuidePage.objects.get(slug="participatory-budgeting-in-a-small-municipality")
    assert len(guide.steps) >= 5
    related = {item.practice.source_name for item in guide.related_practices.all()}
    assert "004_76e477ac0a36789a" in related
    assert guide.resources.exists()
    assert all(resource.href.startswith("https://") for resource in guide.resources.all())

    home = HomePage.objects.get(locale__language_code="en")
    titles = [block.value["title"] for block in home.featured_collections]
    assert len(titles) >= 2
    featured = {page.pk for block in home.featured_collections for page in block.value["items"]}
    assert (
        set(
            PracticePage.objects.filter(external_id__startswith="seed:").values_list(
                "pk", flat=True
            )
        )
        <= featured
    )


def test_seed_pages_render(demo, client):
    for stem in ("000_38a1a4d4ec0c99eb", "002_4d2333b15e529211"):
        page = PracticePage.objects.get(source_name=stem)
        response = client.get(page.url)
        assert response.status_code == 200
        assert html.escape(page.english_summary[:40]) in response.content.decode()


def test_if_empty_does_nothing_when_practices_exist(demo):
    before = counts()

    output = load_demo("--if-empty")

    assert "demo content not loaded" in output
    assert counts() == before


def test_missing_participedia_folder_is_a_warning_not_a_failure(demo, tmp_path):
    lines = []

    DemoLoader(say=lines.append).participedia(tmp_path / "nowhere")

    assert lines == [f"Participedia: no CSV files in {tmp_path / 'nowhere'}; import skipped."]


def test_the_demo_has_a_lineage_chain_across_three_countries(demo, client):
    from practices.models import PracticeAdaptation

    seeds = {
        page.external_id.removeprefix("seed:"): page
        for page in PracticePage.objects.filter(external_id__startswith="seed:")
    }
    georgia, bosnia, romania = (
        seeds["004_76e477ac0a36789a"],
        seeds["001_a5ef3e2ecb7281bc"],
        seeds["002_4d2333b15e529211"],
    )
    links = set(PracticeAdaptation.objects.values_list("source", "page"))
    assert links == {(georgia.pk, bosnia.pk), (bosnia.pk, romania.pk)}
    for adaptation in PracticeAdaptation.objects.all():
        # The demo says which part is its own assumption.
        assert "Demo assumption: neither programme text says" in adaptation.what_changed
    # Published as a revision: the adapted pages' live versions carry their lineage.
    bosnia.refresh_from_db()
    live = bosnia.live_revision.as_object()
    assert [a.source_id for a in live.adapted_from.all()] == [georgia.pk]
    content = client.get(romania.url).content.decode()
    svg = content[content.index('<svg xmlns="http://www.w3.org/2000/svg" class="transfer-graph"') :]
    svg = svg[: svg.index("</svg>")]
    assert [url for url in (georgia.url, bosnia.url, romania.url) if url in svg] == [
        georgia.url,
        bosnia.url,
        romania.url,
    ]
    assert svg.index(georgia.url) < svg.index(bosnia.url) < svg.index(romania.url)
    # Loading again adds nothing.
    load_demo()
    assert PracticeAdaptation.objects.count() == 2


def test_the_demo_has_a_quality_criteria_page(demo, client):
    from practices.models import QualityCriteriaPage

    page = QualityCriteriaPage.objects.get()
    assert page.live and page.locale.language_code == "en"
    content = client.get(page.url).content.decode()
    assert "not an external standard" in content
    assert "<b>Results.</b>" in content
