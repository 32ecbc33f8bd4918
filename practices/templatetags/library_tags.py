"""Template helpers for practice and guide pages and the cards that list them."""

from django import template

from editorial.languages import language_name as _language_name
from practices.citations import citation_for
from practices.lineage import adaptations_of, sources_of, transfer_graph
from practices.models import GuidePage
from practices.quality import label_of

register = template.Library()


@register.filter
def language_name(code):
    """A language code in words, in the active UI language."""
    return _language_name(code)


@register.simple_tag
def live_related_practices(guide):
    """The guide's related practices that are published, in the editor's order."""
    return [
        related.practice
        for related in guide.related_practices.select_related("practice", "practice__locale")
        if related.practice.live
    ]


@register.simple_tag
def attachments_of(practice):
    return list(practice.attachments.select_related("document"))


@register.simple_tag
def resources_of(guide):
    return list(guide.resources.select_related("document"))


@register.filter
def split_list(value, separator=","):
    """ "Tbilisi, Rustavi" → ["Tbilisi", "Rustavi"], without blanks."""
    return [part.strip() for part in (value or "").split(separator) if part.strip()]


@register.filter
def library_kind(page):
    """ "practice" or "guide", for labels and styles of mixed lists."""
    return "guide" if isinstance(page, GuidePage) else "practice"


@register.simple_tag(takes_context=True)
def citation_of(context, page):
    """The citation a page shows: the one of the revision being viewed, else of its live
    revision (None when it has none)."""
    return context.get("citation") or citation_for(page, context["request"])


@register.simple_tag
def lineage_of(page):
    """Where a practice came from, where it went, and the chain it belongs to."""
    return {
        "sources": sources_of(page),
        "adaptations": adaptations_of(page),
        "graph": transfer_graph(page),
    }


@register.simple_tag
def quality_label_of(page):
    return label_of(page)
