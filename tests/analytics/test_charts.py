"""The SVG charts: exact geometry, stacking, gaps, escaping, empty data, ticks, label thinning and the tables.

Plain functions: no database. Every drawing is parsed as XML, so a chart that is not well-formed fails here.
"""

import math
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from apps.analytics import charts
from apps.analytics.charts import (
    MIN_LABEL_GAP,
    PALETTE,
    PLOT_HEIGHT,
    TOP,
    Chart,
    Series,
    bars,
    heat_colour,
    heatmap,
    lines,
    nice_ticks,
    stacked_bars,
    text_width,
)

NS = {"s": "http://www.w3.org/2000/svg"}
WEEKS = [f"2026-W{week:02d}" for week in range(1, 54)]
MONTHS = [
    "Jan 2026",
    "Feb 2026",
    "Mar 2026",
    "Apr 2026",
    "May 2026",
    "Jun 2026",
    "Jul 2026",
    "Aug 2026",
    "Sep 2026",
    "Oct 2026",
    "Nov 2026",
    "Dec 2026",
]
EVIL = "<script>alert(1)</script>"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 - our own output, not untrusted XML


def drawings(chart: Chart) -> list[ET.Element]:
    return [parse(chart.svg), parse(chart.svg_compact)]


def group(root: ET.Element, css_class: str) -> ET.Element:
    found = root.find(f".//s:g[@class='{css_class}']", NS)
    assert found is not None, css_class
    return found


def rects(root: ET.Element, css_class: str) -> list[ET.Element]:
    return group(root, css_class).findall("s:rect", NS)


def f(element: ET.Element, name: str) -> float:
    return float(element.attrib[name])


def tooltip(element: ET.Element) -> str:
    title = element.find("s:title", NS)
    assert title is not None
    return title.text or ""


def y_labels(root: ET.Element) -> list[str]:
    return [text.text or "" for text in group(root, "y-axis").findall("s:text", NS)]


def x_labels(root: ET.Element) -> list[ET.Element]:
    return group(root, "x-labels").findall("s:text", NS)


def y_of(value: float, lo: float, hi: float) -> float:
    return TOP + PLOT_HEIGHT * (hi - value) / (hi - lo)


def weekly(count: int = 13) -> Chart:
    return stacked_bars(
        slug="sessions-by-week",
        title="Sessions by week",
        description="Sessions of each week, by status.",
        categories=WEEKS[:count],
        series=[
            Series("completed", "Completed", [20 + i for i in range(count)]),
            Series("cancelled", "Cancelled by the client", [i % 3 for i in range(count)]),
            Series("late", "Cancelled late", [1] * count),
            Series("no-show", "No-show", [None] * count),
        ],
        x_name="Week",
    )


# ---------------------------------------------------------------------------------------------- y scale


@pytest.mark.parametrize(
    ("lo", "hi", "integer", "expected"),
    [
        (0, 37, False, [0, 10, 20, 30, 40]),
        (0, 40, False, [0, 10, 20, 30, 40]),
        (0, 100, False, [0, 20, 40, 60, 80, 100]),
        (0, 0.6, False, [0, 0.2, 0.4, 0.6]),
        (0, 1, False, [0, 0.2, 0.4, 0.6, 0.8, 1]),
        (0, 1, True, [0, 1, 2, 3]),
        (0, 7, True, [0, 2, 4, 6, 8]),
        (-4_400_000, 9_600_000, False, [-5_000_000, 0, 5_000_000, 10_000_000]),
        (-3, 0, True, [-3, -2, -1, 0]),
        (0, 0, False, [0, 0.2, 0.4, 0.6, 0.8, 1]),
        (0, 12_345, False, [0, 2_500, 5_000, 7_500, 10_000, 12_500]),
    ],
)
def test_nice_ticks(lo, hi, integer, expected):
    assert nice_ticks(lo, hi, integer=integer) == expected


@pytest.mark.parametrize("hi", [0.013, 0.7, 3, 9, 11, 37, 99, 101, 250, 999, 1234.5, 987_654, 12_500_000])
@pytest.mark.parametrize("lo", [0, -1, -17, -0.3])
def test_nice_ticks_are_4_to_6_nice_steps_covering_the_data_and_zero(lo, hi):
    ticks = nice_ticks(lo, hi)
    assert 4 <= len(ticks) <= 6
    assert ticks[0] <= min(lo, 0) and ticks[-1] >= hi and 0 in ticks
    step = Decimal(repr(ticks[1])) - Decimal(repr(ticks[0]))
    mantissa = step.scaleb(-step.adjusted()).normalize()
    assert mantissa in {Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)}
    assert all(math.isclose(b - a, float(step)) for a, b in zip(ticks, ticks[1:], strict=False))


def test_the_y_axis_labels_are_the_ticks_formatted_with_fmt():
    chart = bars(
        slug="money",
        title="Revenue",
        description="Revenue by month.",
        categories=["Jan", "Feb"],
        values=[Decimal("37.5"), Decimal("12")],
        x_name="Month",
        value_name="Revenue",
        fmt=lambda v: f"${v:,.2f}",
    )
    assert y_labels(parse(chart.svg)) == ["$0.00", "$10.00", "$20.00", "$30.00", "$40.00"]


# ---------------------------------------------------------------------------------------------- bars and stacking


def test_a_bar_of_30_with_the_axis_up_to_40_is_three_quarters_of_the_plot_high():
    chart = stacked_bars(
        slug="plain",
        title="Sessions",
        description="Sessions by week.",
        categories=["W1", "W2"],
        series=[Series("done", "Completed", [30, 37])],
        x_name="Week",
    )
    root = parse(chart.svg)
    assert y_labels(root) == ["0", "10", "20", "30", "40"]
    first, second = rects(root, "series series-done")
    assert f(first, "height") == pytest.approx(PLOT_HEIGHT * 30 / 40, abs=0.01)  # 165
    assert f(first, "y") == pytest.approx(y_of(30, 0, 40), abs=0.01)
    assert f(first, "y") + f(first, "height") == pytest.approx(TOP + PLOT_HEIGHT, abs=0.01)  # on the zero line
    assert f(second, "height") == pytest.approx(PLOT_HEIGHT * 37 / 40, abs=0.01)
    assert f(first, "width") == f(second, "width") and f(first, "x") < f(second, "x")
    baseline = root.find(".//s:line[@class='baseline']", NS)
    assert baseline is not None and f(baseline, "y1") == pytest.approx(TOP + PLOT_HEIGHT, abs=0.01)


def test_segments_stack_in_series_order_from_the_zero_line_up():
    chart = stacked_bars(
        slug="stack",
        title="Sessions",
        description="Sessions by status.",
        categories=["W1"],
        series=[Series("a", "A", [10]), Series("b", "B", [20]), Series("c", "C", [10])],
        x_name="Week",
    )
    root = parse(chart.svg)
    # 40 in all: the axis goes to 40, so each unit is PLOT_HEIGHT / 40 high.
    (a,), (b,), (c,) = (rects(root, f"series series-{key}") for key in "abc")
    zero = TOP + PLOT_HEIGHT
    assert f(a, "y") + f(a, "height") == pytest.approx(zero, abs=0.01)
    assert f(b, "y") + f(b, "height") == pytest.approx(f(a, "y"), abs=0.01)
    assert f(c, "y") + f(c, "height") == pytest.approx(f(b, "y"), abs=0.01)
    assert f(c, "y") == pytest.approx(TOP, abs=0.01)
    assert [f(r, "height") for r in (a, b, c)] == pytest.approx([55, 110, 55], abs=0.01)
    # Drawn bottom first, the legend in the same order, each in its own colour.
    groups = [g.attrib["class"] for g in root.iterfind(".//s:g", NS) if g.attrib.get("class", "").startswith("series")]
    assert groups == ["series series-a", "series series-b", "series series-c"]
    assert chart.legend == [("A", PALETTE[0], ""), ("B", PALETTE[1], ""), ("C", PALETTE[2], "")]
    assert tooltip(b) == "W1 \u00b7 B: 20"
    # Crisp white separators between the segments.
    assert {r.attrib["stroke"] for r in (a, b, c)} == {"#ffffff"}


def test_negative_values_stack_below_zero_and_positive_ones_above():
    chart = stacked_bars(
        slug="revenue",
        title="Revenue",
        description="Payments minus refunds.",
        categories=["May"],
        series=[Series("a", "A", [10]), Series("b", "B", [-5]), Series("c", "C", [-3]), Series("d", "D", [6])],
        x_name="Month",
    )
    root = parse(chart.svg)
    ticks = [float(label) for label in y_labels(root)]
    lo, hi = ticks[0], ticks[-1]
    assert lo <= -8 and hi >= 16 and 0 in ticks
    (a,), (b,), (c,), (d,) = (rects(root, f"series series-{key}") for key in "abcd")
    zero = y_of(0, lo, hi)
    assert f(a, "y") + f(a, "height") == pytest.approx(zero, abs=0.01)  # A up from zero
    assert f(d, "y") + f(d, "height") == pytest.approx(f(a, "y"), abs=0.01)  # D on top of A
    assert f(b, "y") == pytest.approx(zero, abs=0.01)  # B down from zero
    assert f(c, "y") == pytest.approx(f(b, "y") + f(b, "height"), abs=0.01)  # C under B
    assert f(c, "y") + f(c, "height") == pytest.approx(y_of(-8, lo, hi), abs=0.01)
    assert all(f(r, "height") > 0 for r in (a, b, c, d))
    assert chart.table_rows == [["May", "10", "-5", "-3", "6", "8"]]


def test_a_month_whose_only_value_is_negative_does_not_crash_and_draws_below_zero():
    chart = stacked_bars(
        slug="refunds",
        title="Revenue",
        description="Payments minus refunds.",
        categories=["Apr", "May"],
        series=[Series("t1", "Kim", [Decimal("500.00"), Decimal("-1200.50")])],
        x_name="Month",
        fmt=lambda v: f"{v:,.2f}",
    )
    root = parse(chart.svg)
    ticks = [float(label.replace(",", "")) for label in y_labels(root)]
    april, may = rects(root, "series series-t1")
    zero = y_of(0, ticks[0], ticks[-1])
    assert f(may, "y") == pytest.approx(zero, abs=0.01)
    assert f(may, "height") == pytest.approx(PLOT_HEIGHT * 1200.5 / (ticks[-1] - ticks[0]), abs=0.01)
    assert f(april, "y") + f(april, "height") == pytest.approx(zero, abs=0.01)
    assert chart.table_rows == [["Apr", "500.00", "500.00"], ["May", "-1,200.50", "-1,200.50"]]


def test_decimal_values_draw_exactly_like_numbers():
    as_int = weekly()
    as_decimal = stacked_bars(
        slug="sessions-by-week",
        title="Sessions by week",
        description="Sessions of each week, by status.",
        categories=WEEKS[:13],
        series=[Series(s.key, s.label, [None if v is None else Decimal(v) for v in s.values]) for s in weekly_series()],
        x_name="Week",
    )
    assert as_decimal.svg == as_int.svg


def weekly_series() -> list[Series]:
    return [
        Series("completed", "Completed", [20 + i for i in range(13)]),
        Series("cancelled", "Cancelled by the client", [i % 3 for i in range(13)]),
        Series("late", "Cancelled late", [1] * 13),
        Series("no-show", "No-show", [None] * 13),
    ]


def test_the_table_has_a_row_per_category_a_column_per_series_and_the_total_with_fmt_applied():
    chart = stacked_bars(
        slug="money",
        title="Revenue by month",
        description="Payments minus refunds, by trainer.",
        categories=["Jan", "Feb"],
        series=[
            Series("t1", "Kim", [Decimal("1000.5"), None]),
            Series("t2", "O'Brien & Co", [Decimal("250"), Decimal("-100")]),
        ],
        x_name="Month",
        fmt=lambda v: f"${v:,.2f}",
    )
    assert chart.table_caption == "Revenue by month"
    assert chart.table_headers == ["Month", "Kim", "O'Brien & Co", "Total"]
    assert chart.table_rows == [
        ["Jan", "$1,000.50", "$250.00", "$1,250.50"],
        ["Feb", "\u2014", "$-100.00", "$-100.00"],
    ]
    without = stacked_bars(
        slug="m",
        title="t",
        description="d",
        categories=["Jan"],
        series=[Series("a", "A", [1])],
        x_name="Month",
        totals=False,
    )
    assert without.table_headers == ["Month", "A"] and without.table_rows == [["Jan", "1"]]


def test_totals_are_written_above_the_bars_when_they_fit():
    root = parse(weekly().svg)
    totals = [t.text for t in group(root, "totals").findall("s:text", NS)]
    assert totals == [str(21 + i + i % 3) for i in range(13)]


def test_bars_with_per_bar_colours_values_on_top_and_rotated_labels_rather_than_skipped_ones():
    colours = ["#d55e00", "#e69f00", "#f0e442", "#56b4e9", "#009e73"]
    chart = bars(
        slug="bands",
        title="Score bands",
        description="Clients by the band of their latest score.",
        categories=["Poor", "Fair", "Average", "Good", "Excellent"],
        values=[3, 8, 17, None, 4],
        x_name="Band",
        value_name="Clients",
        colours=colours,
    )
    root = parse(chart.svg)
    drawn = rects(root, "bars")
    assert [r.attrib["fill"] for r in drawn] == [colours[0], colours[1], colours[2], colours[4]]
    assert y_labels(root) == ["0", "5", "10", "15", "20"]
    assert f(drawn[2], "height") == pytest.approx(PLOT_HEIGHT * 17 / 20, abs=0.01)
    assert [t.text for t in group(root, "values").findall("s:text", NS)] == ["3", "8", "17", "4"]
    assert chart.table_headers == ["Band", "Clients"]
    assert chart.table_rows == [["Poor", "3"], ["Fair", "8"], ["Average", "17"], ["Good", "\u2014"], ["Excellent", "4"]]
    assert chart.legend == []
    # On the phone drawing the five bands are too narrow for "Excellent": every label is kept, rotated.
    compact = parse(chart.svg_compact)
    labels = x_labels(compact)
    assert [t.text for t in labels] == ["Poor", "Fair", "Average", "Good", "Excellent"]
    assert all(t.attrib["transform"].startswith("rotate(-45 ") for t in labels)


# ---------------------------------------------------------------------------------------------- lines


def test_a_none_breaks_the_line_into_two_polylines():
    chart = lines(
        slug="clients",
        title="Clients",
        description="Clients per month.",
        categories=MONTHS[:6],
        series=[
            Series("active", "Active", [10, 12, None, 14, 15, 16]),
            Series("new", "New", [1, None, 3, None, 5, 6]),
        ],
        x_name="Month",
    )
    root = parse(chart.svg)
    active = group(root, "series series-active")
    polylines = active.findall("s:polyline", NS)
    assert len(polylines) == 2
    first = [tuple(map(float, p.split(","))) for p in polylines[0].attrib["points"].split()]
    second = [tuple(map(float, p.split(","))) for p in polylines[1].attrib["points"].split()]
    assert len(first) == 2 and len(second) == 3
    ticks = [float(label) for label in y_labels(root)]
    assert first[0][1] == pytest.approx(y_of(10, ticks[0], ticks[-1]), abs=0.01)
    assert len(active.findall("s:circle", NS)) == 5
    # Isolated values are dots without a line: "new" has one run of two (5, 6) and two lone dots.
    new = group(root, "series series-new")
    assert len(new.findall("s:polyline", NS)) == 1 and len(new.findall("s:circle", NS)) == 4
    assert tooltip(active.findall("s:circle", NS)[2]) == "Apr 2026 \u00b7 Active: 14"
    assert chart.table_rows[2] == ["Mar 2026", "\u2014", "3"]
    assert chart.legend == [("Active", PALETTE[0], "line"), ("New", PALETTE[1], "line")]


# ---------------------------------------------------------------------------------------------- heatmap


def utilisation(**kwargs) -> Chart:
    return heatmap(
        slug="utilisation",
        title="Utilisation",
        description="Booked share of the available hours.",
        rows=["Mon", "Tue"],
        columns=["06", "07", "08"],
        values=[[0, 0.5, None], [1.0, Decimal("0.25"), 0.75]],
        x_name="Weekday",
        fmt=lambda v: f"{float(v) * 100:.0f} %",
        **kwargs,
    )


def test_a_heatmap_cell_without_data_differs_from_a_zero():
    chart = utilisation(scale_max=1, none_label="Not available")
    root = parse(chart.svg)
    cells = rects(root, "cells")
    assert len(cells) == 6
    zero, half, missing, full, quarter, _three_quarters = cells
    assert zero.attrib["fill"] == heat_colour(0) and zero.attrib["fill"].startswith("#")
    assert missing.attrib["fill"] == "url(#chart-utilisation-none)"
    assert root.find(".//s:pattern[@id='chart-utilisation-none']", NS) is not None
    assert len({zero.attrib["fill"], half.attrib["fill"], full.attrib["fill"], quarter.attrib["fill"]}) == 4
    assert full.attrib["fill"] == "#0f766e"  # the brand colour at the top of the scale
    assert tooltip(missing) == "Mon \u00b7 08: Not available"
    assert tooltip(zero) == "Mon \u00b7 06: 0 %"
    assert chart.table_headers == ["Weekday", "06", "07", "08"]
    assert chart.table_rows == [["Mon", "0 %", "50 %", "\u2014"], ["Tue", "100 %", "25 %", "75 %"]]
    scale = [t.text for t in group(root, "scale").findall("s:text", NS)]
    assert scale == ["0 %", "100 %", "Not available"]


def test_the_heatmap_scale_runs_light_to_dark_up_to_the_largest_value_by_default():
    def lightness(colour: str) -> int:
        return sum(int(colour[i : i + 2], 16) for i in (1, 3, 5))

    shades = [heat_colour(k / 10) for k in range(11)]
    assert all(lightness(a) > lightness(b) for a, b in zip(shades, shades[1:], strict=False))
    root = parse(utilisation().svg)  # no scale_max: the largest value (1.0) is the darkest
    assert [t.text for t in group(root, "scale").findall("s:text", NS)] == ["0 %", "100 %", "No data"]
    half = parse(utilisation(scale_max=2).svg)
    assert rects(half, "cells")[3].attrib["fill"] == heat_colour(0.5)


# ---------------------------------------------------------------------------------------------- labels and layout


@pytest.mark.parametrize("count", [53, 12, 13, 30])
def test_x_labels_never_overlap_and_stay_inside_the_view_box(count):
    chart = stacked_bars(
        slug="weeks",
        title="Sessions",
        description="Sessions by week.",
        categories=WEEKS[:count],
        series=[Series("done", "Completed", [5 + i % 7 for i in range(count)])],
        x_name="Week",
    )
    for root in drawings(chart):
        width = float(root.attrib["viewBox"].split()[2])
        labels = x_labels(root)
        assert labels, "some labels are shown"
        assert labels[-1].text == WEEKS[count - 1]  # the latest week is always labelled
        if "transform" in labels[0].attrib:
            continue  # rotated labels: checked in the next test
        xs = [float(t.attrib["x"]) for t in labels]
        widths = [text_width(t.text or "") for t in labels]
        for (x1, w1), (x2, w2) in zip(
            zip(xs, widths, strict=True), list(zip(xs, widths, strict=True))[1:], strict=False
        ):
            assert x2 - x1 >= (w1 + w2) / 2 + MIN_LABEL_GAP
            assert x2 - x1 >= 40  # "2026-W05" is over 40 units wide whatever the estimate
        assert all(x - w / 2 >= 0 and x + w / 2 <= width for x, w in zip(xs, widths, strict=True))


def test_53_weeks_show_evenly_thinned_horizontal_labels():
    root = parse(weekly(53).svg)
    labels = x_labels(root)
    assert 5 <= len(labels) <= 12
    assert all("transform" not in t.attrib for t in labels)
    indices = [WEEKS.index(t.text or "") for t in labels]
    steps = {b - a for a, b in zip(indices, indices[1:], strict=False)}
    assert len(steps) == 1  # evenly spaced


def test_rotated_labels_keep_a_minimum_pitch_and_start_inside_the_view_box():
    chart = bars(
        slug="trainers",
        title="Sessions by trainer",
        description="Completed sessions by trainer.",
        categories=[f"Trainer with a long name {i}" for i in range(12)],
        values=list(range(1, 13)),
        x_name="Trainer",
        value_name="Sessions",
    )
    for root in drawings(chart):
        labels = x_labels(root)
        assert len(labels) == 12 and all(t.attrib["transform"].startswith("rotate(-45") for t in labels)
        xs = [float(t.attrib["x"]) for t in labels]
        assert min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= charts.ROTATED_LABEL_PITCH
        # Shortened to MAX_AXIS_LABEL characters, so the first one, running down to the left, stays visible.
        assert all(len(t.text or "") <= charts.MAX_AXIS_LABEL for t in labels)
        first = labels[0]
        assert float(first.attrib["x"]) - text_width(first.text or "") * math.sqrt(0.5) >= 0
    assert chart.table_rows[0][0] == "Trainer with a long name 0"  # the table keeps the whole label


def test_every_rect_stays_inside_the_view_box():
    for chart in all_charts():
        for root in drawings(chart):
            width = float(root.attrib["viewBox"].split()[2])
            height = float(root.attrib["viewBox"].split()[3])
            for rect in root.iter(f"{{{NS['s']}}}rect"):
                if rect.attrib.get("width", "").replace(".", "").isdigit() and "x" in rect.attrib:
                    assert f(rect, "x") >= -0.01 and f(rect, "x") + f(rect, "width") <= width + 0.01
                    assert f(rect, "y") >= -0.01 and f(rect, "y") + f(rect, "height") <= height + 0.01


# ---------------------------------------------------------------------------------------------- many series


def test_more_series_than_colours_repeat_the_palette_with_stripes_then_dots():
    chart = stacked_bars(
        slug="trainers",
        title="Sessions by trainer",
        description="Sessions of each week, by trainer.",
        categories=WEEKS[:4],
        series=[Series(f"trainer-{i}", f"Trainer {i}", [1, 2, 3, 4]) for i in range(20)],
        x_name="Week",
    )
    styles = [(colour, pattern) for _label, colour, pattern in chart.legend]
    assert styles[:8] == [(colour, "") for colour in PALETTE]
    assert styles[8:16] == [(colour, "stripes") for colour in PALETTE]
    assert styles[16:] == [(colour, "dots") for colour in PALETTE[:4]]
    assert len(set(styles)) == 20
    root = parse(chart.svg)
    patterns = {p.attrib["id"] for p in root.iterfind(".//s:pattern", NS)}
    assert patterns == {f"chart-trainers-p{i}" for i in range(8, 20)}
    assert group(root, "series series-trainer-9").attrib["fill"] == "url(#chart-trainers-p9)"
    assert group(root, "series series-trainer-2").attrib["fill"] == PALETTE[2]
    # The legend swatches draw the same patterns, as small standalone SVGs.
    for (_label, swatch), (_l, _colour, pattern) in zip(chart.legend_swatches, chart.legend, strict=True):
        svg = parse(swatch.replace("<svg ", f'<svg xmlns="{NS["s"]}" ', 1))
        assert len(svg) == {"": 1, "stripes": 2, "dots": 5}[pattern]


# ---------------------------------------------------------------------------------------------- escaping, empty


def test_labels_are_escaped_everywhere():
    series = [Series("t1", EVIL, [1, 2]), Series("t2", "O'Brien & Co", [3, 4])]
    made = [
        stacked_bars(slug="s", title=EVIL, description=EVIL, categories=[EVIL, "a&b"], series=series, x_name="x"),
        lines(slug="l", title="t", description="d", categories=[EVIL, "a&b"], series=series, x_name="x"),
        bars(
            slug="b",
            title="t",
            description="d",
            categories=[EVIL, "O'Brien & Co"],
            values=[1, 2],
            x_name="x",
            value_name="v",
        ),
        heatmap(
            slug="h", title="t", description="d", rows=[EVIL], columns=["O'Brien & Co"], values=[[0.5]], x_name="x"
        ),
    ]
    for chart in made:
        for svg in (chart.svg, chart.svg_compact):
            assert "<script" not in svg and "O'Brien & Co" not in svg
            root = parse(svg)
            texts = [t.text or "" for t in root.iter()]
            assert any(EVIL in text for text in texts) or any("O'Brien & Co" in text for text in texts)
    stacked = parse(made[0].svg)
    assert stacked.find("s:title", NS).text == EVIL
    assert tooltip(rects(stacked, "series series-t1")[0]) == f"{EVIL} \u00b7 {EVIL}: 1"
    html = render_to_string("analytics/_chart.html", {"chart": made[0]})
    assert "<script" not in html and "&lt;script&gt;" in html


EMPTY = {
    "no categories": lambda: stacked_bars(slug="e", title="t", description="d", categories=[], series=[], x_name="x"),
    "no series": lambda: stacked_bars(slug="e", title="t", description="d", categories=["a"], series=[], x_name="x"),
    "zeros and nones": lambda: stacked_bars(
        slug="e",
        title="t",
        description="d",
        categories=["a", "b"],
        series=[Series("k", "K", [None, 0]), Series("j", "J", [Decimal(0), None])],
        x_name="x",
    ),
    "line of nones": lambda: lines(
        slug="e", title="t", description="d", categories=["a"], series=[Series("k", "K", [None])], x_name="x"
    ),
    "line without categories": lambda: lines(
        slug="e", title="t", description="d", categories=[], series=[Series("k", "K", [])], x_name="x"
    ),
    "no bars": lambda: bars(slug="e", title="t", description="d", categories=[], values=[], x_name="x", value_name="v"),
    "zero bar": lambda: bars(
        slug="e", title="t", description="d", categories=["a"], values=[0], x_name="x", value_name="v"
    ),
    "no cells": lambda: heatmap(slug="e", title="t", description="d", rows=[], columns=[], values=[], x_name="x"),
    "cells of none and zero": lambda: heatmap(
        slug="e", title="t", description="d", rows=["Mon"], columns=["06", "07"], values=[[None, 0]], x_name="x"
    ),
    "rows without values": lambda: heatmap(
        slug="e", title="t", description="d", rows=["Mon", "Tue"], columns=["06"], values=[], x_name="x"
    ),
}


@pytest.mark.parametrize("make", EMPTY.values(), ids=EMPTY.keys())
def test_nothing_to_draw_gives_an_empty_chart_that_says_so(make):
    chart = make()
    assert chart.empty is True and chart.legend == []
    for root in drawings(chart):
        assert [t.text for t in root.iterfind("s:text", NS)] == ["No data for this period."]
    html = render_to_string("analytics/_chart.html", {"chart": chart})
    assert "No data for this period." in html and "<details" not in html


def test_empty_tables_still_list_the_categories():
    chart = bars(
        slug="e", title="t", description="d", categories=["a", "b"], values=[0, None], x_name="x", value_name="v"
    )
    assert chart.table_rows == [["a", "0"], ["b", "\u2014"]]


def test_nan_and_infinity_count_as_missing():
    chart = bars(
        slug="n",
        title="t",
        description="d",
        categories=["a", "b", "c"],
        values=[float("nan"), 2, float("inf")],
        x_name="x",
        value_name="v",
    )
    assert not chart.empty and len(rects(parse(chart.svg), "bars")) == 1
    assert chart.table_rows == [["a", "\u2014"], ["b", "2"], ["c", "\u2014"]]


# ---------------------------------------------------------------------------------------------- the SVG element


def all_charts() -> list[Chart]:
    return [
        weekly(),
        weekly(53),
        utilisation(scale_max=1),
        stacked_bars(
            slug="revenue",
            title="Revenue",
            description="Payments minus refunds.",
            categories=MONTHS,
            series=[
                Series(
                    f"trainer-{t}", f"Trainer {t}", [Decimal(1000 * (t + m)) * (-1 if m == 4 else 1) for m in range(12)]
                )
                for t in range(6)
            ],
            x_name="Month",
            fmt=lambda v: f"\u20a9{v:,.0f}",
        ),
        lines(
            slug="clients",
            title="Clients",
            description="Clients per month.",
            categories=MONTHS,
            series=[Series(f"s{i}", f"S{i}", [i + m for m in range(12)]) for i in range(10)],
            x_name="Month",
        ),
        bars(
            slug="bands",
            title="Bands",
            description="d",
            categories=["Poor", "Good"],
            values=[1, 2],
            x_name="x",
            value_name="v",
        ),
    ]


def test_every_svg_is_well_formed_labelled_and_styled_with_attributes_only():
    for chart in all_charts():
        for svg, root in zip((chart.svg, chart.svg_compact), drawings(chart), strict=True):
            assert root.tag == f"{{{NS['s']}}}svg"
            assert root.attrib["width"] == "100%" and root.attrib["role"] == "img"
            assert re.fullmatch(r"0 0 \d+ [\d.]+", root.attrib["viewBox"])
            assert "height" not in root.attrib  # the height follows the width
            assert "Noto Sans KR" in root.attrib["font-family"] and root.attrib["font-size"] == "12"
            title_id, desc_id = root.attrib["aria-labelledby"].split()
            assert root.find(f"s:title[@id='{title_id}']", NS).text == chart.title
            assert root.find(f"s:desc[@id='{desc_id}']", NS).text == chart.description
            assert "style=" not in svg and "var(" not in svg and "<style" not in svg
            # Every bar segment, point and cell has its tooltip.
            for g in root.iter(f"{{{NS['s']}}}g"):
                if g.attrib.get("class", "").startswith(("series", "bars", "cells")):
                    shapes = g.findall("s:rect", NS) + g.findall("s:circle", NS)
                    assert all(shape.find("s:title", NS) is not None for shape in shapes)
        assert parse(chart.svg).attrib["aria-labelledby"] == f"chart-{chart.slug}-title chart-{chart.slug}-desc"
        # The two drawings of a page never share an id.
        ids = [e.attrib["id"] for root in drawings(chart) for e in root.iter() if "id" in e.attrib]
        assert len(ids) == len(set(ids))


def test_the_slug_is_made_safe_for_ids():
    chart = bars(slug='a "b" <c>', title="t", description="d", categories=["a"], values=[1], x_name="x", value_name="v")
    assert chart.slug == "a--b---c-"
    assert parse(chart.svg).attrib["aria-labelledby"] == "chart-a--b---c--title chart-a--b---c--desc"


# ---------------------------------------------------------------------------------------------- the template


def test_the_template_shows_title_description_both_drawings_legend_and_a_real_table():
    chart = weekly()
    html = render_to_string("analytics/_chart.html", {"chart": chart, "export_url": "/analytics/sessions.csv"})
    assert '<figure class="chart" id="chart-sessions-by-week"' in html
    assert '<h3 id="chart-sessions-by-week-heading">Sessions by week</h3>' in html
    assert '<p class="muted chart-description">Sessions of each week, by status.</p>' in html
    assert str(chart.svg) in html and str(chart.svg_compact) in html
    assert '<div class="chart-canvas chart-canvas-compact" hidden>' in html
    assert html.count('<li><svg width="14"') == 4 and "<span>No-show</span>" in html
    assert "<summary>Show the numbers</summary>" in html
    assert "<caption>Sessions by week</caption>" in html
    assert '<th scope="col">Week</th><th scope="col" class="num">Completed</th>' in html
    assert '<tr><th scope="row">2026-W01</th><td class="num">20</td><td class="num">0</td>' in html
    assert html.count('<th scope="row">') == 13
    assert '<a class="chart-export" href="/analytics/sessions.csv" download>Download CSV</a>' in html
    assert "chart-export" not in render_to_string("analytics/_chart.html", {"chart": chart})


def test_the_template_leaves_out_a_legend_of_one():
    chart = stacked_bars(
        slug="one", title="t", description="d", categories=["a"], series=[Series("k", "K", [1])], x_name="x"
    )
    assert "chart-legend" not in render_to_string("analytics/_chart.html", {"chart": chart})


def test_korean_labels_are_measured_as_wide_characters():
    assert text_width("2026년 11월") > text_width("Nov 2026")
    chart = stacked_bars(
        slug="ko",
        title="월별 매출",
        description="트레이너별 월 매출.",
        categories=[f"2026년 {month}월" for month in range(1, 13)],
        series=[Series("a", "김민준", [Decimal(1_000_000 + month) for month in range(12)])],
        x_name="월",
        fmt=lambda v: f"\u20a9{v:,.0f}",
    )
    for root in drawings(chart):
        labels = x_labels(root)
        xs = [float(t.attrib["x"]) for t in labels]
        if "transform" in labels[0].attrib:
            assert min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= charts.ROTATED_WIDE_LABEL_PITCH
        else:
            widths = [text_width(t.text or "") for t in labels]
            gaps = [xs[k + 1] - xs[k] - (widths[k] + widths[k + 1]) / 2 for k in range(len(xs) - 1)]
            assert min(gaps, default=MIN_LABEL_GAP) >= MIN_LABEL_GAP
        assert labels[-1].text == "2026년 12월"


def test_more_lines_than_colours_are_dashed_then_dotted():
    chart = lines(
        slug="many",
        title="t",
        description="d",
        categories=MONTHS[:3],
        series=[Series(f"s{i}", f"S{i}", [i, i + 1, i + 2]) for i in range(18)],
        x_name="Month",
    )
    assert [token for _label, _colour, token in chart.legend] == ["line"] * 8 + ["line-dashed"] * 8 + [
        "line-dotted"
    ] * 2
    root = parse(chart.svg)
    assert "stroke-dasharray" not in group(root, "series series-s3").find("s:polyline", NS).attrib
    assert group(root, "series series-s9").find("s:polyline", NS).attrib["stroke-dasharray"] == "7 4"
    assert group(root, "series series-s17").find("s:polyline", NS).attrib["stroke-dasharray"] == "1.5 3.5"
    # The first series is drawn last, on top of the others.
    order = [g.attrib["class"] for g in root.iterfind("s:g", NS) if g.attrib["class"].startswith("series")]
    assert order[-1] == "series series-s0" and order[0] == "series series-s17"
