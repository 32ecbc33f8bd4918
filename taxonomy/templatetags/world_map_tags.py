"""`{% country_map counts %}`: the world map of practices, each country with any a link to
its page, shaded by their number, with the figures as a table for whoever cannot see it."""

from django import template
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from taxonomy.countries import country_name, country_path
from taxonomy.world_map import country_shapes, shade, shade_legend

register = template.Library()


@register.inclusion_tag("includes/country_map.html")
def country_map(counts, map_id="country-map", table=True):
    """`counts`: {country code: number of practices}. `table`: add the figures as a table
    (a page that shows its own table passes False)."""
    drawing = country_shapes()
    linked, plain = [], []
    for shape in drawing.shapes:
        count = counts.get(shape.code, 0) if shape.code else 0
        if count:
            linked.append(
                {
                    "path": shape.path,
                    "name": country_name(shape.code),
                    "count": count,
                    "shade": shade(count),
                    "url": country_path(shape.code),
                }
            )
        else:
            plain.append(shape.path)
    drawn = {shape.code for shape in drawing.shapes}
    rows = sorted(
        (
            {
                "name": country_name(code),
                "count": count,
                "url": country_path(code),
                "on_map": code in drawn,
            }
            for code, count in counts.items()
        ),
        key=lambda row: (-row["count"], row["name"].casefold()),
    )
    return {
        "map_id": map_id,
        "width": drawing.width,
        "height": drawing.height,
        "linked": _linked_shapes(linked),
        "plain": format_html_join("", '<path d="{}"/>', ((path,) for path in plain)),
        "legend": shade_legend(),
        "rows": rows,
        "table": table,
        "not_drawn": [row for row in rows if not row["on_map"]],
    }


def _linked_shapes(linked):
    """The shapes of the countries with practices, each a link named by its count. Written
    here rather than looped over in the template: about 150 countries, each with a plural
    `blocktranslate` and six variables, were 15 of the home page's 84 ms of CPU
    (bench/pages.py at 100,000 practices); f-strings rather than `format_html`, 2.9 → 1.2
    ms for 119 countries. The label is the template's message (the same catalogue entry),
    its values escaped as `blocktranslate` escapes them; every value is escaped."""
    parts = []
    for country in linked:
        name = escape(country["name"])
        count = int(country["count"])
        label = ngettext(
            "%(name)s: %(counter)s practice", "%(name)s: %(counter)s practices", count
        ) % {"name": name, "counter": count}
        parts.append(
            f'<a href="{escape(country["url"])}" class="world-map__country'
            f' shade-{int(country["shade"])}" aria-label="{label}"><title>{name}: {count}</title>'
            f'<path d="{escape(country["path"])}"/></a>'
        )
    return mark_safe("".join(parts))
