"""Blocks specific to practices and guides: outcome indicators and guide steps."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock

from editorial.blocks import RICH_TEXT_FEATURES

CHART_WIDTH = 320
CHART_HEIGHT = 120
CHART_PADDING = 8


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
        """Points for an SVG line chart of baseline, updates and the target line, or None
        when there is nothing to draw. Coordinates are in a CHART_WIDTH × CHART_HEIGHT box."""
        updates = self.sorted_updates()
        if not updates:
            return None
        values = [float(update["value"]) for update in updates]
        for extra in (self.get("baseline"), self.get("target")):
            if extra is not None:
                values.append(float(extra))
        low, high = min(values), max(values)
        span = (high - low) or 1.0
        inner_width = CHART_WIDTH - 2 * CHART_PADDING
        inner_height = CHART_HEIGHT - 2 * CHART_PADDING

        def y(value):
            return round(CHART_PADDING + inner_height * (1 - (float(value) - low) / span), 1)

        step = inner_width / max(len(updates) - 1, 1)
        points = [
            {
                "x": round(CHART_PADDING + index * step, 1),
                "y": y(update["value"]),
                "date": update["date"],
                "value": update["value"],
            }
            for index, update in enumerate(updates)
        ]
        target = self.get("target")
        return {
            "width": CHART_WIDTH,
            "height": CHART_HEIGHT,
            "points": points,
            "polyline": " ".join(f"{point['x']},{point['y']}" for point in points),
            "target_y": y(target) if target is not None else None,
        }


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
