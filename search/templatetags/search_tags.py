"""Template helpers for search results, and the "related practices" of a page."""

from django import template
from django.conf import settings
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from editorial.languages import is_rtl, language_name
from taxonomy.countries import country_name

from ..backends import get_search_backend
from ..backends.database import TYPE_LABELS
from ..indexing import builder_for

register = template.Library()

RELATED_LIMIT = 4


@register.filter
def text_direction(language):
    return "rtl" if is_rtl(language) else "ltr"


@register.filter
def type_label(object_type):
    return str(TYPE_LABELS.get(object_type, object_type))


@register.filter
def language_label(code):
    return language_name(code)


@register.filter
def country_labels(codes):
    return [country_name(code) for code in codes]


@register.simple_tag
def facet_options(facet, results_word):
    """The checkboxes of a facet group's options (search/includes/facet_groups.html), as the
    template wrote them, escaped and localized as its variables were: a listing has about 150
    options, six variables each: the facet groups took 3.0 ms of the practice list's CPU
    with the loop in the template, 1.5 ms with this tag (bench/request_cpu.py's setup, per
    template, back to back)."""
    name = conditional_escape(facet["name"])
    results_word = conditional_escape(results_word)
    return mark_safe(
        "".join(
            f'\n            <li><label><input type="checkbox" name="{name}" '
            f'value="{conditional_escape(option.value)}"{" checked" if option.selected else ""}>'
            f" <span>{conditional_escape(option.label)}</span> "
            f'<span class="facet-count">{conditional_escape(localize(option.count))}'
            f'<span class="visually-hidden"> {results_word}</span></span></label>'
            "\n</li>\n          "
            for option in facet["options"]
        )
    )


@register.inclusion_tag("search/includes/related_items.html")
def related_items(page, limit=RELATED_LIMIT):
    """Items related to `page` (same language, shared themes and countries), from the
    configured backend: `{% related_items page %}`. Within the page's time budget
    (`SEARCH_PAGE_BUDGET`): an engine that takes longer leaves the page without them."""
    builder = builder_for(page)
    related = []
    if builder is not None and page.pk:
        related = get_search_backend().more_like_this(
            builder.key(page), limit=limit, timeout=settings.SEARCH_PAGE_BUDGET
        )
    heading = (
        _("Related practices") if builder and builder.object_type == "practice" else _("Related")
    )
    return {"related": related, "heading": heading}
