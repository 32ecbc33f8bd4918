"""Practice and guide pages as a visitor sees them, in every locale."""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings

from members.models import Organisation
from practices.factories import GuidePageFactory, PracticePageFactory
from practices.models import GuideRelatedPractice, GuideResource

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def html_attributes(response):
    match = re.search(rb"<html([^>]*)>", response.content)
    return match.group(1).decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_locale_renders_a_practice(client, site_tree, language):
    practice = PracticePageFactory(
        parent=site_tree[language].practices,
        title=f"Practice in {language}",
        countries=["GE"],
        themes=["youth"],
    )
    # Published as an editor would, so that the search document behind the listing exists.
    practice.save_revision().publish()
    response = client.get(practice.url)
    assert response.status_code == 200
    attributes = html_attributes(response)
    assert f'lang="{language}"' in attributes
    assert ('dir="rtl"' if language == "ar" else 'dir="ltr"') in attributes
    assert f"Practice in {language}".encode() in response.content
    # The locale's practice and guide libraries list it too.
    practices = client.get(site_tree[language].practices.url)
    guides = client.get(site_tree[language].guides.url)
    assert practices.status_code == 200 and guides.status_code == 200
    assert f"Practice in {language}".encode() in practices.content
    assert f'lang="{language}"' in html_attributes(practices)


def full_practice(site_tree):
    organisation = Organisation.objects.create(
        name="Tbilisi City Hall", slug="tbilisi", website="https://tbilisi.example"
    )
    partner = Organisation.objects.create(name="Civic Lab", slug="civic-lab")
    practice = PracticePageFactory(
        parent=site_tree["ka"].practices,
        title="მონაწილეობითი ბიუჯეტი",
        summary="ქალაქმა მოსახლეობას მისცა ხმის უფლება.",
        english_summary="The city let residents vote on part of its budget.",
        themes=["participatory-budgeting"],
        countries=["GE"],
        lead_organisation=organisation,
        places="Tbilisi, Rustavi",
        programme="EU4Dialogue",
        start_date=datetime.date(2021, 3, 1),
        end_date=datetime.date(2023, 6, 30),
        status="completed",
        budget_amount=Decimal("2000000"),
        budget_currency="GEL",
        target_groups="Residents and youth",
        people_reached=125000,
        source_url="https://participedia.net/case/1",
        licence="cc-by-sa-4.0",
        attribution="From Participedia, CC BY-SA 4.0",
        lessons_learned="<p>Start outreach early.</p>",
    )
    practice.partner_organisations.set([partner])
    practice.body = [
        ("heading", {"text": "What was done", "level": "h2"}),
        ("paragraph", "<p>Anyone over 16 could vote.</p>"),
        ("quote", {"text": "Our street lights work.", "attribution": "A resident"}),
        (
            "table",
            {
                "data": [["Year", "Projects"], ["2021", "12"]],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
            },
        ),
    ]
    practice.outcomes = [
        (
            "indicator",
            {
                "name": "Residents voting",
                "unit": "people",
                "baseline": Decimal("1000"),
                "target": Decimal("20000"),
                "updates": [
                    {"date": datetime.date(2021, 6, 1), "value": Decimal("4000"), "note": "First"},
                    {"date": datetime.date(2022, 6, 1), "value": Decimal("11000"), "note": ""},
                ],
            },
        )
    ]
    practice.save_revision().publish()
    return practice


def test_practice_page_shows_its_facts_outcomes_and_source(client, site_tree):
    practice = full_practice(site_tree)
    response = client.get(practice.url)
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "ქალაქმა მოსახლეობას მისცა ხმის უფლება.",
        "The city let residents vote on part of its budget.",  # English summary
        "Tbilisi City Hall",
        "Civic Lab",
        "EU4Dialogue",
        "Residents and youth",
        "GEL",
        "What was done",
        "Anyone over 16 could vote.",
        "Our street lights work.",
        "Residents voting",
        "Start outreach early.",
        "https://participedia.net/case/1",
        "From Participedia, CC BY-SA 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
        '<th scope="col"',  # the table block keeps its header
        "/themes/participatory-budgeting/",
        "/ka/countries/ge/",
    ]:
        assert text in html, text
    # The indicator's chart: a line through both updates and the target line.
    assert "<polyline" in html and 'class="target"' in html
    assert html.count('class="point"') == 2
    # Coordinates are never localised (a comma would break the SVG).
    points = re.search(r'points="([^"]+)"', html).group(1)
    assert re.fullmatch(r"[\d.]+,[\d.]+ [\d.]+,[\d.]+", points)


def test_english_summary_is_not_repeated_on_english_pages(client, site_tree):
    practice = PracticePageFactory(
        parent=site_tree["en"].practices, english_summary="Only for other languages."
    )
    assert b"Only for other languages." not in client.get(practice.url).content


def test_arabic_practice_is_right_to_left(client, site_tree):
    practice = PracticePageFactory(
        parent=site_tree["ar"].practices, title="إدارة النفايات", countries=["JO", "IQ", "TR"]
    )
    response = client.get(practice.url)
    assert 'dir="rtl"' in html_attributes(response)
    assert "إدارة النفايات".encode() in response.content
    assert b"/ar/countries/jo/" in response.content


def test_guide_page_shows_steps_resources_and_live_related_practices(client, site_tree):
    shown = PracticePageFactory(parent=site_tree["en"].practices, title="Shown practice")
    hidden = PracticePageFactory(parent=site_tree["en"].practices, title="Withdrawn practice")
    hidden.unpublish()
    guide = GuidePageFactory(
        parent=site_tree["en"].guides,
        title="Run a participatory budget",
        audience="Municipal finance officers",
        introduction="<p>A first cycle, step by step.</p>",
        source_name="handbook.pdf",
    )
    guide.steps = [
        (
            "step",
            {
                "title": "Set the rules",
                "body": "<p>Decide who votes.</p>",
                "resources": [
                    {"title": "Rulebook", "document": None, "url": "https://example.org/rules"}
                ],
            },
        ),
        ("step", {"title": "Collect proposals", "body": "<p>Six weeks.</p>", "resources": []}),
    ]
    guide.resources = [GuideResource(title="Budget template", url="https://example.org/t")]
    guide.related_practices = [
        GuideRelatedPractice(practice=shown),
        GuideRelatedPractice(practice=hidden),
    ]
    guide.save_revision().publish()
    html = client.get(guide.url).content.decode()
    assert "Municipal finance officers" in html
    assert "A first cycle, step by step." in html
    assert html.index("Set the rules") < html.index("Collect proposals")
    assert "https://example.org/rules" in html and "Budget template" in html
    assert "Shown practice" in html
    assert "Withdrawn practice" not in html
    assert "handbook.pdf" in html


def test_image_document_blocks_and_attachments(client, site_tree):
    from wagtail_factories import DocumentFactory, ImageFactory

    from practices.models import PracticeAttachment

    image = ImageFactory(title="Square")
    report = DocumentFactory(title="Annual report")
    budget = DocumentFactory(title="Budget sheet")
    practice = PracticePageFactory(parent=site_tree["en"].practices)
    practice.body = [
        ("image", {"image": image, "caption": "The new square", "attribution": "Photo: City"}),
        ("document", {"document": report, "title": "Read the report"}),
    ]
    practice.attachments = [PracticeAttachment(document=budget, title="")]
    practice.save_revision().publish()
    html = client.get(practice.url).content.decode()
    assert 'alt="The new square"' in html and "Photo: City" in html
    assert "<figure" in html and "<img" in html
    assert f'href="{report.url}"' in html and "Read the report" in html
    assert f'href="{budget.url}"' in html and "Budget sheet" in html  # title falls back


def test_practice_page_shows_related_practices_from_search(client, site_tree):
    index = site_tree["en"].practices
    neighbour = PracticePageFactory(
        parent=index, title="Youth budget in Rustavi", themes=["youth"], countries=["GE"]
    )
    neighbour.save_revision().publish()  # publishing is what indexes a page
    practice = PracticePageFactory(
        parent=index, title="Youth budget in Batumi", themes=["youth"], countries=["GE"]
    )
    practice.save_revision().publish()
    html = client.get(practice.url).content.decode()
    related = html[html.index('id="related-items-heading"') :]
    assert "Youth budget in Rustavi" in related
