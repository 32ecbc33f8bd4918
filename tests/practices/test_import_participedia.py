"""The Participedia importer: on the real shared exports (counts, re-run) and on small
fixtures with bad rows (line numbers and reasons, dry run, sanitising, countries, credit)."""

import csv
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from members.models import Organisation
from practices.importers.participedia import parse_array, run_import
from practices.importers.participedia_mapping import title_case
from practices.importers.report import RowError
from practices.models import SUMMARY_MAX_LENGTH, GuidePage, Licence, PracticePage
from tests.requirements import skip_unless_available

SHARED = Path(settings.BASE_DIR).parent / "shared" / "data" / "participedia"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "participedia"
# Files the importer must refuse in part; apart, so that the demo loader does not read them.
DAMAGED = FIXTURES.parent / "participedia-damaged"
CASES_FIXTURE = FIXTURES / "cases_with_problems.csv"

# Figures of the shared exports, checked by hand against the files: every case row is
# importable (4 have no post date and fall back to their update date); 13 descriptions are
# longer than a summary may be and get shortened.
REAL_CASES = 2258
REAL_ORGANISATIONS = 847
REAL_SHORTENED = 13
REAL_CONTROL_CHARACTER_RECORD = "6808"


def imported_cases():
    return PracticePage.objects.filter(external_id__startswith="participedia:case:")


def imported_organisations():
    return Organisation.objects.filter(external_id__startswith="participedia:organization:")


def run_command(*paths, **options):
    out = StringIO()
    call_command("import_participedia", *map(str, paths), stdout=out, verbosity=0, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_real_exports_import_completely_and_rerun_changes_nothing(site_tree):
    cases, organisations = SHARED / "cases.csv", SHARED / "organizations.csv"
    skip_unless_available(
        "participedia-data", cases.is_file(), f"{cases} is missing (see ../shared/README.md)"
    )

    report = run_import([cases, organisations], progress=False)

    assert report.counts["cases → practices"] == {
        "created": REAL_CASES,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
    }
    assert report.counts["organizations → organisations"]["created"] == REAL_ORGANISATIONS
    assert report.skipped == []
    assert len(report.notes) == REAL_SHORTENED + 1
    assert all(
        "shortened to a summary" in note.message
        for note in report.notes
        if note.record != REAL_CONTROL_CHARACTER_RECORD
    )
    # One organisation's body writes "decision\x02makers": the U+0002 is removed, with a note.
    assert [str(note) for note in report.notes if note.record == REAL_CONTROL_CHARACTER_RECORD] == [
        "organizations.csv line 2705 (id 6808): imported: removed control characters (or other "
        "characters the site cannot carry) from body"
    ]

    practices = imported_cases()
    assert practices.count() == REAL_CASES
    assert practices.filter(live=True, locale__language_code="en").count() == REAL_CASES
    assert practices.child_of(site_tree["en"].practices).count() == REAL_CASES
    assert practices.filter(themes__isnull=True).count() == 0
    # The export has no status column: no case is said to be ongoing or completed.
    assert practices.exclude(status="").count() == 0
    assert imported_organisations().count() == REAL_ORGANISATIONS
    assert max(len(summary) for summary in practices.values_list("summary", flat=True)) <= 600

    first = practices.get(external_id="participedia:case:1")
    assert first.title == "British Columbia Citizens' Assembly on Electoral Reform"
    assert first.summary.startswith("An independent, non-partisan assembly of 160")
    assert [country.code for country in first.countries.all()] == ["CA"]
    assert first.source_url == "https://participedia.net/case/1"
    assert first.licence == Licence.CC_BY_SA
    assert "Participedia" in first.attribution and first.source_url in first.attribution
    assert first.first_published_at.date().isoformat() == "2009-09-16"
    assert "deliberation" in {theme.slug for theme in first.themes.all()}

    # Localised and unusual country spellings of the real files.
    with open(cases, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    italia = {f"participedia:case:{row['id']}" for row in rows if row["country"] == "Italia"}
    turkey = {f"participedia:case:{row['id']}" for row in rows if row["country"] == "Turkey"}
    blank = {f"participedia:case:{row['id']}" for row in rows if not row["country"]}
    assert italia and turkey and blank
    assert practices.filter(external_id__in=italia, countries__code="IT").count() == len(italia)
    assert practices.filter(external_id__in=turkey, countries__code="TR").count() == len(turkey)
    assert practices.filter(external_id__in=blank, countries__isnull=False).count() == 0
    with open(organisations, encoding="utf-8-sig", newline="") as handle:
        polska = {
            f"participedia:organization:{row['id']}"
            for row in csv.DictReader(handle)
            if row["country"] == "Polska"
        }
    assert len(polska) == 3
    assert imported_organisations().filter(external_id__in=polska, country__code="PL").count() == 3

    rerun = run_import([cases, organisations], progress=False)

    assert rerun.counts["cases → practices"]["unchanged"] == REAL_CASES
    assert rerun.counts["organizations → organisations"]["unchanged"] == REAL_ORGANISATIONS
    assert rerun.total("created") == rerun.total("updated") == 0
    assert imported_cases().count() == REAL_CASES
    assert imported_organisations().count() == REAL_ORGANISATIONS


@pytest.mark.django_db
def test_bad_rows_are_reported_with_line_and_reason_and_the_rest_import(site_tree):
    output = run_command(CASES_FIXTURE)

    assert "cases → practices: 6 created, 0 updated, 0 unchanged, 5 skipped" in output
    # Line numbers are those of the file: the first record spans lines 2 and 3.
    for expected in [
        "cases_with_problems.csv line 8: skipped: missing id",
        "cases_with_problems.csv line 9 (id 90107): skipped: missing title",
        "cases_with_problems.csv line 10 (id 90108): skipped: post_date '2019-13-45' is not a date",
        "cases_with_problems.csv line 11 (id 90109): skipped: approaches '{direct,cogovernance' "
        "is not a valid array",
        "cases_with_problems.csv line 13 (id 90101): skipped: the same id appears earlier",
        "cases_with_problems.csv line 7 (id 90105): imported: unknown country 'Atlantis'",
        "cases_with_problems.csv line 12 (id 90110): imported: description of",
    ]:
        assert expected in output
    imported = set(imported_cases().values_list("external_id", flat=True))
    assert imported == {
        f"participedia:case:{n}" for n in (90101, 90102, 90103, 90104, 90105, 90110)
    }
    # The duplicate row did not overwrite the first one.
    assert imported_cases().get(external_id="participedia:case:90101").title == (
        "Participatory Budgeting in Bologna (Italy)"
    )


@pytest.mark.django_db
def test_countries_are_mapped_from_localised_blank_and_unknown_names(site_tree):
    run_command(CASES_FIXTURE)

    def codes(record_id):
        page = imported_cases().get(external_id=f"participedia:case:{record_id}")
        return [country.code for country in page.countries.all()]

    assert codes(90101) == ["IT"]  # Italia
    assert codes(90102) == ["PL"]  # Polska
    assert codes(90103) == []  # blank
    assert codes(90104) == []  # Unknown
    assert codes(90105) == []  # Atlantis: reported, imported without a country


@pytest.mark.django_db
def test_long_description_is_cut_at_a_word_boundary_and_kept_whole_in_the_body(site_tree):
    run_command(CASES_FIXTURE)

    page = imported_cases().get(external_id="participedia:case:90110")
    assert len(page.summary) <= SUMMARY_MAX_LENGTH
    assert page.summary.endswith("…")
    words = page.summary[:-1].split()
    full_text = page.body.raw_data[0]["value"]
    assert " ".join(words) in full_text
    assert full_text.count("This neighbourhood forum") == 4
    assert page.title == "Neighbourhood Fund in Lyon"
    assert page.places == "Lyon"


@pytest.mark.django_db
def test_rerun_is_idempotent_and_updates_a_changed_row(site_tree, tmp_path):
    copy = tmp_path / "cases.csv"
    shutil.copy(CASES_FIXTURE, copy)
    run_command(copy)
    ids_before = dict(imported_cases().values_list("external_id", "pk"))

    unchanged = run_command(copy)
    assert "6 unchanged" in unchanged and "0 created" in unchanged
    assert dict(imported_cases().values_list("external_id", "pk")) == ids_before

    text = copy.read_text(encoding="utf-8")
    copy.write_text(
        text.replace("a national online consultation.", "a national online consultation."
                     " it received 4000 comments."),
        encoding="utf-8",
    )  # fmt: skip
    changed = run_command(copy)

    assert "0 created, 1 updated, 5 unchanged, 5 skipped" in changed
    assert dict(imported_cases().values_list("external_id", "pk")) == ids_before
    page = imported_cases().get(external_id="participedia:case:90103")
    assert page.summary == "A national online consultation. It received 4000 comments."
    assert page.live and page.slug == "online-consultation-without-a-place-90103"


@pytest.mark.django_db
def test_dry_run_writes_nothing_and_reports_the_same(site_tree):
    files = [CASES_FIXTURE, FIXTURES / "methods.csv", FIXTURES / "organizations.csv"]

    dry = run_command(*files, dry_run=True)

    assert dry.startswith("Dry run: nothing was written.")
    assert imported_cases().count() == 0
    assert GuidePage.objects.count() == 0
    assert imported_organisations().count() == 0

    real = run_command(*files)
    assert real.startswith("Import finished.")
    # Same figures and problems; only the heading and the timing differ.
    assert dry.splitlines()[1:-1] == real.splitlines()[1:-1]
    assert imported_cases().count() == 6


@pytest.mark.django_db
def test_method_bodies_are_sanitised_and_credit_participedia(site_tree):
    run_command(FIXTURES / "methods.csv")

    guide = GuidePage.objects.get(external_id="participedia:method:90301")
    assert guide.get_parent().pk == site_tree["en"].guides.pk
    html = guide.introduction
    for dangerous in ("<script", "stolen cookie", "onclick", "onmouseover", "javascript:",
                      "<iframe", "<img", "onerror"):  # fmt: skip
        assert dangerous not in html
    assert "<h3>Origins</h3>" in html  # h2 brought into the editor's heading range
    assert "<strong>Porto Alegre</strong>" in html
    assert '<a href="https://participedia.net/method/90301">the record</a>' in html
    assert guide.source_url == "https://participedia.net/method/90301"
    assert guide.licence == Licence.CC_BY_SA
    assert guide.attribution == (
        "From Participedia (https://participedia.net/method/90301), licensed under CC BY-SA 4.0."
    )
    assert {theme.slug for theme in guide.themes.all()} >= {"participatory-budgeting"}

    plain = GuidePage.objects.get(external_id="participedia:method:90302")
    assert plain.introduction == (
        "<p>A small randomly selected group of citizens hears evidence and deliberates.</p>"
        "<p>The jury then writes recommendations.</p>"
    )
    # A blank description: the summary comes from the body.
    assert plain.summary.startswith("A small randomly selected group")
    assert "education" in {theme.slug for theme in plain.themes.all()}  # `educations`


@pytest.mark.django_db
def test_organisations_get_kind_country_and_themes(site_tree):
    output = run_command(FIXTURES / "organizations.csv")

    assert "organizations → organisations: 3 created" in output
    by_id = {org.external_id.rsplit(":", 1)[1]: org for org in imported_organisations()}
    foundation, town, institute = by_id["90901"], by_id["90902"], by_id["90903"]
    assert foundation.kind == Organisation.Kind.CSO
    assert foundation.country.code == "PL"
    assert (foundation.city, foundation.region) == ("Kraków", "Małopolskie")
    assert {"education", "local-governance", "citizen-participation"} <= {
        theme.slug for theme in foundation.themes.all()
    }
    assert town.kind == Organisation.Kind.MUNICIPALITY
    assert town.country.code == "DE"  # Deutschland
    assert town.description == "Die Stadtverwaltung organisiert Bürgerhaushalte."
    assert institute.kind == Organisation.Kind.ACADEMIC
    assert institute.country is None
    assert institute.source_url == "https://participedia.net/organization/90903"


@pytest.mark.django_db
def test_a_row_the_database_rejects_leaves_nothing_behind(site_tree, tmp_path):
    rows = CASES_FIXTURE.read_text(encoding="utf-8").splitlines()
    too_long_url = "https://participedia.net/case/90777?" + "x" * 600
    rows.append(
        f"90777,a case with an absurd url,fine otherwise.,{too_long_url},2020-01-01 00:00:00,"
        "2020-01-01 00:00:00,,,France,{},{},{}"
    )
    path = tmp_path / "cases.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")

    output = run_command(path)

    assert "line 14 (id 90777): skipped: could not be saved:" in output
    assert not imported_cases().filter(external_id="participedia:case:90777").exists()
    index = site_tree["en"].practices
    index.refresh_from_db()
    assert index.numchild == index.get_children().count() == 6


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, content, message",
    [
        ("people.csv", "name,email\nAna,ana@example.org\n", "not a Participedia export"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not a UTF-8 CSV file"),
        ("nul.csv", "id,title,url\x00\n", "binary data"),
        ("things.csv", "id,type,title,url\n1,widget,A,https://x.org\n", "unknown record type"),
        ("empty.csv", "", "not a Participedia export"),
    ],
)
def test_a_file_that_is_not_an_export_stops_everything(site_tree, tmp_path, name, content,
                                                        message):  # fmt: skip
    bad = tmp_path / name
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        bad.write_text(content, encoding="utf-8")

    # The good file comes first: it must not be imported either.
    with pytest.raises(CommandError, match=message):
        run_command(CASES_FIXTURE, bad)
    assert imported_cases().count() == 0


def test_a_locale_without_libraries_is_a_command_error_and_nothing_is_imported(site_tree):
    # The importer puts pages in the site's libraries; building the page tree is the site's.
    site_tree["tr"].practices.delete()
    with pytest.raises(CommandError, match="'tr' has no practice and guide libraries.*setup_site"):
        run_command(CASES_FIXTURE, locale="tr")
    assert imported_cases().count() == 0


def test_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run_command(tmp_path / "nowhere.csv")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("{direct,cogovernance}", ["direct", "cogovernance"]),
        ("{}", []),
        ("", []),
        ('{"co governance",direct}', ["co governance", "direct"]),
        ("planning, deliberative", ["planning", "deliberative"]),
    ],
)
def test_parse_array(value, expected):
    assert parse_array(value, "approaches") == expected


@pytest.mark.parametrize("value", ["{direct,cogovernance", '{"unclosed,direct}', "{a}b}"])
def test_parse_array_rejects_malformed_literals(value):
    with pytest.raises(RowError, match="not a valid array"):
        parse_array(value, "approaches")


@pytest.mark.parametrize(
    "title, expected",
    [
        ("open government initiative (usa)", "Open Government Initiative (USA)"),
        ("the u.s. campaign for a youth council", "The U.S. Campaign for a Youth Council"),
        (
            "e-participation in the eu: a rails-to-trails story",
            "E-Participation in the EU: A Rails-to-Trails Story",
        ),
        ("iPhone voting in Tallinn", "iPhone voting in Tallinn"),
    ],
)  # fmt: skip
def test_title_case(title, expected):
    assert title_case(title) == expected


@pytest.mark.django_db
def test_imported_practices_are_searchable_and_updates_reach_the_index(site_tree, tmp_path):
    from search.backends import get_search_backend
    from search.backends.base import SearchQuery
    from search.models import SearchDocument

    copy = tmp_path / "cases.csv"
    shutil.copy(CASES_FIXTURE, copy)
    run_command(copy)
    practice_keys = set(
        SearchDocument.objects.filter(object_type="practice").values_list("key", flat=True)
    )
    assert practice_keys == {
        f"practice:{pk}:en" for pk in imported_cases().values_list("pk", flat=True)
    }

    copy.write_text(
        copy.read_text(encoding="utf-8").replace(
            "a national online consultation.", "a national online consultation about zebras."
        ),
        encoding="utf-8",
    )
    run_command(copy)
    response = get_search_backend().search(SearchQuery(text="zebras"))
    assert [hit.title for hit in response.hits] == ["Online Consultation Without a Place"]


@pytest.mark.django_db
def test_a_file_cut_off_inside_a_quoted_field_skips_its_last_row_as_truncated(site_tree):
    # The second record's body opens a quote on line 5 and the file ends before it closes.
    output = run_command(DAMAGED / "methods_truncated.csv")

    assert "methods → guides: 1 created, 0 updated, 0 unchanged, 1 skipped" in output
    assert (
        "methods_truncated.csv line 5 (id 90402): skipped: the file ends inside a quoted field "
        "of this row: it was cut off (truncated), so the row is incomplete"
    ) in output
    guides = GuidePage.objects.filter(external_id__startswith="participedia:method:")
    assert list(guides.values_list("external_id", flat=True)) == ["participedia:method:90401"]
    assert "A host at each table keeps the thread." in guides.get().introduction


@pytest.mark.django_db
def test_a_complete_file_ending_with_a_quoted_field_is_not_truncated(site_tree, tmp_path):
    complete = tmp_path / "methods.csv"
    text = (DAMAGED / "methods_truncated.csv").read_text()
    complete.write_text(text + 'allel."\n')

    output = run_command(complete)

    assert "methods → guides: 2 created, 0 updated, 0 unchanged, 0 skipped" in output
    guide = GuidePage.objects.get(external_id="participedia:method:90402")
    assert "The sessions then run in parallel." in guide.introduction
