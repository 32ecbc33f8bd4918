"""The home page's chart of practices per country, drawn as inline SVG by the site itself."""

from django import template
from django.utils.translation import get_language_bidi

from taxonomy.countries import country_name

register = template.Library()

CHART_WIDTH = 460
LABEL_WIDTH = 150
COUNT_WIDTH = 40
ROW_HEIGHT = 30
BAR_HEIGHT = 18


@register.inclusion_tag("home/includes/country_chart.html", takes_context=True)
def country_chart(context, counts):
    """A horizontal bar chart of [(country code, count)], mirrored in right-to-left
    languages: the labels sit on the reading side, the bars grow towards the other."""
    rtl = get_language_bidi()
    largest = max((count for _code, count in counts), default=0) or 1
    bar_space = CHART_WIDTH - LABEL_WIDTH - COUNT_WIDTH
    rows = []
    for index, (code, count) in enumerate(counts):
        length = max(round(bar_space * count / largest, 1), 2)
        top = index * ROW_HEIGHT
        if rtl:
            bar_x = CHART_WIDTH - LABEL_WIDTH - length
            label_x, label_anchor = CHART_WIDTH - LABEL_WIDTH + 8, "start"
            count_x, count_anchor = bar_x - 6, "end"
        else:
            bar_x = LABEL_WIDTH
            label_x, label_anchor = LABEL_WIDTH - 8, "end"
            count_x, count_anchor = bar_x + length + 6, "start"
        rows.append(
            {
                "code": code.lower(),
                "name": country_name(code),
                "count": count,
                "bar_x": bar_x,
                "bar_y": top + (ROW_HEIGHT - BAR_HEIGHT) / 2,
                "bar_width": length,
                "text_y": top + ROW_HEIGHT / 2,
                "label_x": label_x,
                "label_anchor": label_anchor,
                "count_x": count_x,
                "count_anchor": count_anchor,
            }
        )
    return {
        "rows": rows,
        "width": CHART_WIDTH,
        "height": max(len(rows), 1) * ROW_HEIGHT,
        "bar_height": BAR_HEIGHT,
        "request": context.get("request"),
    }
