"""POST data for the Wagtail admin's practice form, built the way the browser sends it
(StreamField counts, inline formset management forms, Draftail rich text)."""

from django.utils.text import slugify
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

# Fields practices and guides share (source, promote and settings tabs, comments).
COMMON_FIELDS = {
    "english_summary": "",
    "tags": "",
    "year": "",
    "original_language": "en",
    "source_url": "",
    "source_name": "",
    "licence": "cc-by-4.0",
    "attribution": "",
    "seo_title": "",
    "search_description": "",
    "go_live_at": "",
    "expire_at": "",
    "comments": inline_formset([]),
}


def _form_data(values, fields, themes, countries):
    data = nested_form_data({**COMMON_FIELDS, **values, **fields})
    # Multi-valued fields: the test client sends a list as repeated keys.
    data["themes"] = [theme.pk for theme in themes]
    data["countries"] = [country.pk for country in countries]
    return data


def practice_form_data(page=None, *, title, themes, countries, lead_organisation, **fields):
    """The practice form as the admin would submit it. `themes`/`countries` are model
    instances; `page`, when given, supplies the values of fields not passed."""
    values = {
        "title": title,
        "slug": page.slug if page is not None else slugify(title),
        "summary": page.summary if page is not None else f"What {title} did and how.",
        "body": streamfield(
            [("paragraph", rich_text("<p>How the municipality went about it.</p>"))]
        ),
        "places": "",
        "lead_organisation": lead_organisation.pk if lead_organisation else "",
        "programme": "",
        "start_date": "",
        "end_date": "",
        "status": "ongoing",
        "budget_amount": "",
        "budget_currency": "",
        "target_groups": "",
        "people_reached": "",
        "outcomes": streamfield([]),
        "lessons_learned": rich_text(""),
        "attachments": inline_formset([]),
        "adapted_from": inline_formset([]),
    }
    data = _form_data(values, fields, themes, countries)
    data["partner_organisations"] = []
    return data


def guide_form_data(page, *, title, themes, countries, lead_organisation, **fields):
    """The guide form as the admin would submit it, for an existing `page`."""
    values = {
        "title": title,
        "slug": page.slug,
        "summary": page.summary,
        "audience": "Municipal finance officers",
        "introduction": rich_text("<p>Why and when to use this guide.</p>"),
        "steps": streamfield([]),
        "lead_organisation": lead_organisation.pk if lead_organisation else "",
        "resources": inline_formset([]),
        "related_practices": inline_formset([]),
    }
    return _form_data(values, fields, themes, countries)
