"""Blocks specific to practices and guides: outcome indicators and guide steps."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock

from editorial.blocks import RICH_TEXT_FEATURES

CHART_WIDTH = 320
CHART_HEIGHT = 160
CHART_PADDING = 10
# Below the plot: the time axis, clear of the lowest point, and its date labels.
CHART_AXIS_SPACE = 26
CHART_AXIS_GAP = 8
# Closest a year's label may be to another label (in chart units) without overlapping.
CHART_LABEL_GAP = 72


class ProgressUpdateBlock(blocks.StructBlock):
    """One dated measurement of an indicator."""

    date = blocks.DateBlock(label=_("Date"))
    value = blocks.DecimalBlock(label=_("Value"))
    note = blocks.CharBlock(label=_("Note"), required=False, max_length=200)

    class Meta:
        icon = "date"


class IndicatorValue(blocks.StructValue):
    """Derived figures for the template: the latest update and the chart's points."""

    def sorted_updates(self):
        return sorted(self.get("updates") or [], key=lambda update: update["date"])

    def latest(self):
        updates = self.sorted_updates()
        return updates[-1] if updates else None

    def chart(self):
        """An SVG line chart of the updates over time, with the baseline and target drawn
        as lines, or None when there is no update. Coordinates are in a CHART_WIDTH ×
        CHART_HEIGHT box; an update's x is proportional to its date between the first and
        the last update, so uneven intervals show as such."""
        updates = self.sorted_updates()
        if not updates:
            return None
        baseline, target = self.get("baseline"), self.get("target")
        values = [float(update["value"]) for update in updates]
        values += [float(extra) for extra in (baseline, target) if extra is not None]
        low, high = min(values), max(values)
        span = (high - low) or 1.0
        left, right = CHART_PADDING, CHART_WIDTH - CHART_PADDING
        axis = CHART_HEIGHT - CHART_AXIS_SPACE
        top, bottom = CHART_PADDING, axis - CHART_AXIS_GAP
        first, last = updates[0]["date"], updates[-1]["date"]
        days = (last - first).days

        def x(day):
            if not days:
                return round((left + right) / 2, 1)
            return round(left + (right - left) * (day - first).days / days, 1)

        def y(value):
            return round(top + (bottom - top) * (1 - (float(value) - low) / span), 1)

        points = [{"x": x(update["date"]), "y": y(update["value"]), **update} for update in updates]
        return {
            "width": CHART_WIDTH,
            "height": CHART_HEIGHT,
            "left": left,
            "right": right,
            "axis_y": axis,
            "label_y": axis + 17,
            "points": points,
            "polyline": " ".join(f"{point['x']},{point['y']}" for point in points),
            "baseline_y": y(baseline) if baseline is not None else None,
            "target_y": y(target) if target is not None else None,
            "ticks": self._ticks(first, last, x),
        }

    @staticmethod
    def _ticks(first, last, x):
        """Labels of the time axis: the first and last update dates (month and year) and
        the years that start between them, where they leave room for each other."""
        ends = [{"x": x(first), "date": first, "format": "N Y", "anchor": "start"}]
        if last != first:
            ends.append({"x": x(last), "date": last, "format": "N Y", "anchor": "end"})
        else:
            ends[0]["anchor"] = "middle"
        ticks = [ends[0]]
        for year in range(first.year + 1, last.year + 1):
            new_year = datetime.date(year, 1, 1)
            position = x(new_year)
            if (
                position - ticks[-1]["x"] >= CHART_LABEL_GAP
                and ends[-1]["x"] - position >= CHART_LABEL_GAP
            ):
                ticks.append({"x": position, "date": new_year, "format": "Y", "anchor": "middle"})
        return ticks + ends[1:]


class IndicatorBlock(blocks.StructBlock):
    """An outcome indicator with its baseline, target and dated progress updates."""

    name = blocks.CharBlock(label=_("Indicator"), max_length=200)
    unit = blocks.CharBlock(label=_("Unit"), max_length=50, required=False)
    baseline = blocks.DecimalBlock(label=_("Baseline"), required=False)
    target = blocks.DecimalBlock(label=_("Target"), required=False)
    updates = blocks.ListBlock(ProgressUpdateBlock(), label=_("Progress updates"), default=[])

    class Meta:
        icon = "table"
        template = "blocks/indicator_block.html"
        value_class = IndicatorValue


class ResourceBlock(blocks.StructBlock):
    """A resource for a guide step: a document from the library or a link."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    document = DocumentChooserBlock(label=_("Document"), required=False)
    url = blocks.URLBlock(label=_("Link"), required=False)

    class Meta:
        icon = "link"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("document") and not value.get("url"):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Choose a document or give a link."))}
            )
        return value


class StepBlock(blocks.StructBlock):
    """One step of a guide."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    body = blocks.RichTextBlock(label=_("What to do"), features=RICH_TEXT_FEATURES)
    resources = blocks.ListBlock(ResourceBlock(), label=_("Resources"), default=[])

    class Meta:
        icon = "list-ol"
        template = "blocks/step_block.html"
