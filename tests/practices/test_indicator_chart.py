"""The outcome indicator chart: updates placed by their dates, the baseline and target
drawn, dated axis labels and the figures in a table beside it, with no script."""

import re

import pytest

from practices.blocks import IndicatorBlock
from practices.factories import PracticePageFactory


def indicator(updates, baseline="0", target="100"):
    return IndicatorBlock().to_python(
        {
            "name": "Partnerships",
            "unit": "number",
            "baseline": baseline,
            "target": target,
            "updates": [
                {"date": date, "value": value, "note": note} for date, value, note in updates
            ],
        }
    )


UNEVEN = [
    ("2025-06-30", "80", "Third"),
    ("2023-07-01", "10", "First"),
    ("2023-08-01", "20", ""),
]


def test_updates_are_placed_by_their_dates_not_their_order():
    chart = indicator(UNEVEN).chart()

    # 730 days from first to last across 300 units: 31 days is 12.7 units, not half way.
    assert [point["x"] for point in chart["points"]] == [10.0, 22.7, 310.0]
    assert [point["note"] for point in chart["points"]] == ["First", "", "Third"]
    assert chart["polyline"] == "10.0,114.4 22.7,102.8 310.0,33.2"


def test_the_baseline_and_target_are_lines_within_the_plot():
    chart = indicator(UNEVEN, baseline="0", target="100").chart()

    assert (chart["baseline_y"], chart["target_y"]) == (126.0, 10.0)
    assert indicator(UNEVEN, baseline=None, target=None).chart()["baseline_y"] is None


def test_the_time_axis_is_labelled_with_dates_and_years_that_fit():
    ticks = indicator(UNEVEN).chart()["ticks"]

    assert [(tick["x"], tick["date"].isoformat(), tick["format"]) for tick in ticks] == [
        (10.0, "2023-07-01", "N Y"),
        (85.6, "2024-01-01", "Y"),
        (236.0, "2025-01-01", "Y"),
        (310.0, "2025-06-30", "N Y"),
    ]
    # A new year too close to the last update leaves its label out.
    close = indicator([("2024-01-01", "1", ""), ("2025-02-01", "2", "")]).chart()["ticks"]
    assert [tick["date"].isoformat() for tick in close] == ["2024-01-01", "2025-02-01"]


def test_a_single_update_sits_in_the_middle():
    chart = indicator([("2024-05-01", "5", "")]).chart()

    assert [point["x"] for point in chart["points"]] == [160.0]
    assert [tick["anchor"] for tick in chart["ticks"]] == ["middle"]


def test_no_update_draws_no_chart():
    assert indicator([]).chart() is None


@pytest.mark.django_db
def test_the_page_draws_the_chart_and_the_table_beside_it(client, site_tree):
    practice = PracticePageFactory(parent=site_tree["en"].practices)
    practice.outcomes = [("indicator", indicator(UNEVEN))]
    practice.save_revision().publish()

    html = client.get(practice.url).content.decode()

    section = html[html.index('<section class="indicator"') : html.index("</section>")]
    assert re.findall(r'<circle class="point" cx="([\d.]+)"', section) == ["10.0", "22.7", "310.0"]
    assert '<line class="baseline" x1="10" y1="126.0" x2="310" y2="126.0">' in section
    assert '<line class="target" x1="10" y1="10.0" x2="310" y2="10.0">' in section
    labels = re.findall(r'<text class="tick-label"[^>]*>([^<]+)</text>', section)
    assert labels == ["July 2023", "2024", "2025", "June 2025"]
    assert "Dashed line: the target (100)" in section
    assert "Dotted line: the baseline (0)" in section
    rows = re.findall(r'<tr><th scope="row"><time datetime="([\d-]+)">', section)
    assert rows == ["2023-07-01", "2023-08-01", "2025-06-30"]
    assert section.index("</svg>") < section.index("<table>")
    assert "<script" not in section and " on" not in re.sub(r">[^<]*<", "><", section)
