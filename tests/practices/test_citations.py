"""Citations pinned to a published revision: the formats, their escaping, and permanent
URLs that keep showing the cited version after the page changes."""

import json
import re

import pytest

from members.models import Organisation
from practices.factories import GuidePageFactory, PracticePageFactory

pytestmark = pytest.mark.django_db


def publish(page, **changes):
    for name, value in changes.items():
        setattr(page, name, value)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    return revision


def permanent_url(response):
    match = re.search(rb'class="cite__permalink">[^<]*<a href="([^"]+)"', response.content)
    assert match, "the page has no permanent link"
    return match.group(1).decode()


def download(client, url, fmt):
    return client.get(f"{url}citation.{fmt}")


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(name="Tbilisi City Hall", slug="tbilisi")


def test_a_cited_revision_shows_the_same_text_after_an_edit_and_republish(
    client, site_tree, organisation
):
    practice = PracticePageFactory(
        parent=site_tree["en"].practices, title="Street budget", lead_organisation=organisation
    )
    first = publish(practice, body=[("paragraph", "<p>Residents voted on street lights.</p>")])
    page = client.get(practice.url)
    cited_url = permanent_url(page)
    assert cited_url == f"http://testserver/cite/{practice.pk}/revision/{first.pk}/"
    first_bibtex = download(client, cited_url, "bib").content

    second = publish(
        practice,
        title="Neighbourhood budget",
        body=[("paragraph", "<p>Residents now vote on parks too.</p>")],
    )
    assert second.pk != first.pk

    old = client.get(cited_url)
    assert old.status_code == 200
    assert b"<h1>Street budget</h1>" in old.content
    assert b"Residents voted on street lights." in old.content
    assert b"Neighbourhood budget" not in old.content
    assert b"parks too" not in old.content
    assert b"You are viewing the version of" in old.content
    assert f'the current version is <a href="{practice.url}">here</a>'.encode() in old.content
    assert b'<meta name="robots" content="noindex">' in old.content
    # The citation of the old version is still the same, byte for byte.
    assert download(client, cited_url, "bib").content == first_bibtex
    assert b"title = {{Street budget}}" in first_bibtex

    current = client.get(practice.url)
    assert b"<h1>Neighbourhood budget</h1>" in current.content
    assert permanent_url(current) == f"http://testserver/cite/{practice.pk}/revision/{second.pk}/"
    # The live page has no banner; the current revision's page says it is current.
    assert b"You are viewing the version of" not in current.content
    latest = client.get(permanent_url(current))
    assert b"It is also the <a href" in latest.content


def test_drafts_and_foreign_revisions_are_never_shown(client, site_tree):
    practice = PracticePageFactory(parent=site_tree["en"].practices, title="Public title")
    published = publish(practice)
    practice.title = "Secret draft title"
    draft = practice.save_revision()
    other = PracticePageFactory(parent=site_tree["en"].practices, title="Another")
    other_revision = publish(other)

    draft_url = f"/cite/{practice.pk}/revision/{draft.pk}/"
    for url in (
        draft_url,
        f"{draft_url}citation.bib",
        f"/cite/{practice.pk}/revision/{other_revision.pk}/",
        f"/cite/{practice.pk}/revision/{published.pk}/citation.pdf",
        f"/cite/{site_tree['en'].practices.pk}/revision/{published.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Secret draft title" not in response.content
    assert client.get(f"/cite/{practice.pk}/revision/{published.pk}/").status_code == 200

    # An unpublished page takes its cited versions offline with it.
    practice.refresh_from_db()
    practice.unpublish()
    assert client.get(f"/cite/{practice.pk}/revision/{published.pk}/").status_code == 404


def test_bibtex_escapes_latex_specials_and_keeps_non_latin_text(client, site_tree, organisation):
    organisation.name = "Smith & Sons_Ltd"
    organisation.save()
    practice = PracticePageFactory(
        parent=site_tree["ka"].practices,
        title="ბიუჯეტი {50%} & R_D #1 $5 ~ ^ \\ }{",
        summary="Line one\nline two",
        lead_organisation=organisation,
    )
    revision = publish(practice)
    response = download(client, f"/ka/cite/{practice.pk}/revision/{revision.pk}/", "bib")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="practice-commons-{practice.pk}-{revision.pk}.bib"'
    )
    text = response.content.decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == f"@misc{{practicecommons{practice.pk}r{revision.pk},"
    assert lines[-1] == "}"
    assert (
        r"  title = {{ბიუჯეტი \{50\%\} \& R\_D \#1 \$5 \textasciitilde{} "
        r"\textasciicircum{} \textbackslash{} \}\{}},"
    ) in lines
    assert r"  author = {{Smith \& Sons\_Ltd}}," in lines
    assert "  abstract = {Line one line two}," in lines
    assert f"  url = {{http://testserver/ka/cite/{practice.pk}/revision/{revision.pk}/}}," in lines
    # Every brace that is not escaped is balanced.
    depth = 0
    for char in re.sub(r"\\[{}]", "", text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0


def test_ris_is_one_tagged_line_per_field(client, site_tree, organisation):
    practice = PracticePageFactory(
        parent=site_tree["en"].practices,
        title="Street budget",
        summary="First line.\r\nSecond line.",
        lead_organisation=organisation,
    )
    revision = publish(practice)
    response = download(client, f"/cite/{practice.pk}/revision/{revision.pk}/", "ris")
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.endswith("\r\n")
    lines = text[: -len("\r\n")].split("\r\n")
    assert lines[0] == "TY  - ELEC"
    assert lines[-1] == "ER  - "
    for line in lines:
        assert re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line), line
        assert "\n" not in line and "\r" not in line
    assert "TI  - Street budget" in lines
    assert "AU  - Tbilisi City Hall" in lines
    assert "AB  - First line. Second line." in lines
    assert f"UR  - http://testserver/cite/{practice.pk}/revision/{revision.pk}/" in lines
    published = revision.created_at.date()
    assert f"DA  - {published:%Y/%m/%d}" in lines
    assert f"ET  - Version of {published.isoformat()}" in lines


def test_csl_json_is_valid_json_with_the_required_fields(client, site_tree):
    guide = GuidePageFactory(parent=site_tree["ar"].guides, title="دليل الموازنة")
    revision = publish(guide)
    response = download(client, f"/ar/cite/{guide.pk}/revision/{revision.pk}/", "json")
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    items = json.loads(response.content)
    assert isinstance(items, list) and len(items) == 1
    item = items[0]
    published = revision.created_at.date()
    assert item["id"] == f"practicecommons{guide.pk}r{revision.pk}"
    assert item["type"] == "webpage"
    assert item["title"] == "دليل الموازنة"
    assert item["issued"] == {"date-parts": [[published.year, published.month, published.day]]}
    assert item["URL"] == f"http://testserver/ar/cite/{guide.pk}/revision/{revision.pk}/"
    assert item["language"] == "ar"
    assert item["genre"] == "Guide"
    # A guide without a lead organisation has no author rather than an empty one.
    assert "author" not in item


def test_the_page_offers_apa_text_downloads_and_a_copy_button(client, site_tree, organisation):
    practice = PracticePageFactory(
        parent=site_tree["en"].practices, title="Street budget.", lead_organisation=organisation
    )
    revision = publish(practice)
    response = client.get(practice.url)
    content = response.content.decode()
    published = revision.created_at.date()
    url = f"http://testserver/cite/{practice.pk}/revision/{revision.pk}/"
    apa = (
        f"Tbilisi City Hall. ({published.year}, {published:%B} {published.day}). "
        f"Street budget [Practice]. Practice Commons. {url}"
    )
    assert f'<p class="cite__text" id="cite-apa" lang="en" dir="auto">{apa}</p>' in content
    for fmt, content_type in (
        ("bib", "application/x-bibtex"),
        ("ris", "application/x-research-info-systems"),
        ("json", "application/vnd.citationstyles.csl+json"),
    ):
        href = f"/cite/{practice.pk}/revision/{revision.pk}/citation.{fmt}"
        assert f'href="{href}" type="{content_type}" download' in content
    assert 'data-copy-target="cite-bibtex" hidden' in content
    assert '<script src="/static/js/copy-citation.js" defer></script>' in content
    # No inline script: every script element loads a file, but the JSON-LD data block.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", content) == [
        '<script type="application/ld+json">'
    ]


def test_a_page_published_without_a_revision_offers_no_pinned_citation(client, site_tree):
    # Imported pages are live without revisions; there is no version to pin yet.
    practice = PracticePageFactory(parent=site_tree["en"].practices, title="Imported")
    response = client.get(practice.url)
    assert response.status_code == 200
    assert b'id="cite"' not in response.content


def test_the_page_cites_its_live_revision_not_later_changes_to_the_page(
    client, site_tree, organisation
):
    # An import may change a page without a revision: the citation still quotes the revision.
    practice = PracticePageFactory(
        parent=site_tree["en"].practices,
        title="Street budget",
        summary="Residents voted on street lights.",
        lead_organisation=organisation,
    )
    publish(practice)
    other = Organisation.objects.create(name="Rustavi City Hall", slug="rustavi")
    type(practice).objects.filter(pk=practice.pk).update(
        title="Renamed by an import", summary="Changed by an import.", lead_organisation=other
    )
    content = client.get(practice.url).content.decode()
    assert "<h1>Renamed by an import</h1>" in content
    apa = re.search(r'<p class="cite__text" id="cite-apa"[^>]*>([^<]*)</p>', content).group(1)
    assert apa.startswith("Tbilisi City Hall. (")
    assert "Street budget [Practice]. Practice Commons." in apa
    bibtex = re.search(r'<pre class="cite__code" id="cite-bibtex"[^>]*>([^<]*)</pre>', content)
    assert "abstract = {Residents voted on street lights.}" in bibtex.group(1)
    assert "Renamed" not in bibtex.group(1) and "Rustavi" not in bibtex.group(1)


def test_a_cited_author_deleted_since_is_left_out(client, site_tree, organisation):
    practice = PracticePageFactory(
        parent=site_tree["en"].practices, title="Street budget", lead_organisation=organisation
    )
    publish(practice)
    organisation.delete()
    content = client.get(practice.url).content.decode()
    apa = re.search(r'<p class="cite__text" id="cite-apa"[^>]*>([^<]*)</p>', content).group(1)
    assert apa.startswith("Street budget [Practice]. (")
