"""Template helpers for practice and guide pages and the cards that list them."""

from django import template
from django.template.defaultfilters import truncatechars
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from editorial.languages import language_name as _language_name
from pagecache.memo import remembered
from practices.cards import card_taxonomy
from practices.citations import citation_for
from practices.lineage import adaptations_of, sources_of, transfer_graph
from practices.models import GuidePage
from practices.quality import label_of
from taxonomy.countries import country_name

register = template.Library()


@register.filter
def language_name(code):
    """A language code in words, in the active UI language."""
    return _language_name(code)


def _of_live_page(context, page, name, compute):
    """compute(): what `page` shows beside its own fields (its attachments, lineage, quality
    label...), remembered per page and content generation (pagecache.memo) when the page
    shown is the live one; a preview or a cited revision holds its own values and reads
    them. Each is a query or more that is the same for every visitor until the content
    changes: with the breadcrumb, the questions and the citation, a practice page 17 → 10
    queries and 34 → 23.5 ms of CPU, a guide page 15 → 9 and 39 → 27 ms
    (bench/request_cpu.py at 100,000 practices, bench/README.md)."""
    request = context.get("request")
    if context.get("archived_revision") is not None or getattr(request, "is_preview", False):
        return compute()
    return remembered(f"practices:{name}:{page.pk}", compute)


@register.simple_tag(takes_context=True)
def live_related_practices(context, guide):
    """The guide's related practices that are published, in the editor's order."""
    return _of_live_page(
        context,
        guide,
        "related-practices",
        lambda: [
            related.practice
            for related in guide.related_practices.select_related("practice", "practice__locale")
            if related.practice.live
        ],
    )


@register.simple_tag(takes_context=True)
def attachments_of(context, practice):
    return _of_live_page(
        context,
        practice,
        "attachments",
        lambda: list(practice.attachments.select_related("document")),
    )


@register.simple_tag(takes_context=True)
def resources_of(context, guide):
    return _of_live_page(
        context, guide, "resources", lambda: list(guide.resources.select_related("document"))
    )


@register.simple_tag
def ancestors_of(page):
    """The pages above `page` below the root, for the breadcrumb: the same for every
    version of the page, remembered by its place in the tree until the content changes
    (one query of every practice and guide page)."""
    return remembered(f"practices:ancestors:{page.path}", lambda: list(page.get_ancestors()[1:]))


@register.filter
def split_list(value, separator=","):
    """ "Tbilisi, Rustavi" → ["Tbilisi", "Rustavi"], without blanks."""
    return [part.strip() for part in (value or "").split(separator) if part.strip()]


@register.filter
def library_kind(page):
    """ "practice" or "guide", for labels and styles of mixed lists."""
    return "guide" if isinstance(page, GuidePage) else "practice"


CARD_SUMMARY_LENGTH = 220
CARD_COUNTRIES = 3
CARD_THEMES = 3


@register.simple_tag(takes_context=True)
def library_card(context, item):
    """The card of a practice or guide in lists (listings, the home page, theme and country
    pages): its kind and language, title, summary, first countries, year, status and first
    themes, escaped and localized as template variables are. Written here rather than by an
    included template: a listing's twelve cards took 3.3 ms of its CPU, now about 1.7 ms
    (the home page's twenty 6.2 → about 3 ms; bench/request_cpu.py's setup, back to back)."""
    kind = library_kind(item)
    language = item.locale.language_code
    kind_label = conditional_escape(gettext("Guide") if kind == "guide" else gettext("Practice"))
    if language != get_language():
        kind_label = f"{kind_label} · {conditional_escape(language_name(language))}"
    taxonomy = card_taxonomy(item)
    meta = "".join(
        f"<span>{conditional_escape(country_name(code))}</span>"
        for code in taxonomy.country_codes[:CARD_COUNTRIES]
    )
    year = f"<span>{conditional_escape(localize(item.year))}</span>" if item.year else ""
    status = getattr(item, "status", "")
    if status:
        status = (
            f'<span class="badge badge--{conditional_escape(status)}">'
            f"{conditional_escape(item.get_status_display())}</span>"
        )
    themes = taxonomy.theme_labels
    if themes:
        tags = "".join(
            f'<li><span class="tag">{conditional_escape(label)}</span></li>'
            for label in themes[:CARD_THEMES]
        )
        themes = (
            f'\n    <ul class="tag-list" aria-label="{conditional_escape(gettext("Themes"))}">\n'
            f"      {tags}\n    </ul>\n  "
        )
    else:
        themes = ""
    url = item.get_url(request=context.get("request"))
    return mark_safe(
        f'\n<article class="card card--{kind}" lang="{conditional_escape(language)}"'
        f' dir="{item.text_direction}">\n'
        f'  <p class="card__kind">{kind_label}</p>\n'
        f'  <h3><a href="{conditional_escape(url)}">{conditional_escape(item.title)}</a></h3>\n'
        f"  <p>{conditional_escape(truncatechars(item.summary, CARD_SUMMARY_LENGTH))}</p>\n"
        f'  <div class="card__meta">\n'
        f"    {meta}\n"
        f"    {year}\n"
        f"    {status}\n"
        f"  </div>\n"
        f"  {themes}\n"
        f"</article>\n"
    )


@register.simple_tag(takes_context=True)
def citation_of(context, page):
    """The citation a page shows: the one of the revision being viewed, else of its live
    revision (None when it has none)."""
    return context.get("citation") or citation_for(page, context["request"])


@register.simple_tag(takes_context=True)
def lineage_of(context, page):
    """Where a practice came from, where it went, and the chain it belongs to."""
    return _of_live_page(
        context,
        page,
        "lineage",
        lambda: {
            "sources": sources_of(page),
            "adaptations": adaptations_of(page),
            "graph": transfer_graph(page),
        },
    )


@register.simple_tag(takes_context=True)
def quality_label_of(context, page):
    return _of_live_page(context, page, "quality-label", lambda: label_of(page))
