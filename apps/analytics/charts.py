"""Server-side SVG charts for the analytics pages and the PDF reports: no JavaScript, no chart library, no database.

Four builders return a ``Chart``: the ``<svg>`` element plus what ``analytics/_chart.html`` shows around it (title,
description, HTML legend, the table of the numbers)::

    stacked_bars(...)  vertical bars, segments stacked in series order (negative values stacked below zero)
    lines(...)         one line per series; a None breaks the line
    heatmap(...)       rows x columns of cells on a single-hue teal scale; None is a hatched grey cell
    bars(...)          plain vertical bars with their values on top, optional per-bar colours

Rendering rules, so that a browser and WeasyPrint draw the same picture:

* A ``viewBox`` 720 units wide with ``width="100%"``: the chart scales to its box and never overflows it. Text is
  12 units high. Scaled down to a phone that would be 5 px, so each chart is also drawn 320 units wide
  (``Chart.svg_compact``); the template shows that one instead when the figure is narrower than 600 px (a CSS
  container query; without charts.css, as in a PDF, the compact one stays ``hidden``).
* Styling only with presentation attributes (``fill``, ``stroke``, ``font-size``...), never CSS classes or CSS
  variables. The ``class`` attributes present are hooks (``series-<key>``), not styling.
* Every label is escaped: category, series, row and column labels may be user data (trainer names).
* Every bar segment, point and cell carries a ``<title>`` (hover tooltip) with its label and formatted value.

Colours: the Okabe-Ito palette (Okabe & Ito 2008), distinguishable with every common colour-vision deficiency,
always in the same order. Past eight series the palette starts again with a pattern over the colour: the second
round has white diagonal stripes, the third white dots (in ``lines``: dashed, then dotted lines), so 24 series
stay distinguishable; a 25th starts over. The legend shows the same swatches, in stacking order.

Y axis: 4-6 "nice" ticks (1, 2, 2.5 or 5 x 10^n) that always include zero; integer data get integer steps.
X labels: all shown horizontally when they fit. Else, for a sequence (weeks, months, hours), every other label
when that is enough; else all rotated by 45 degrees when the bands are wide enough (``ROTATED_LABEL_PITCH``, more
for Korean labels, whose glyphs fill the em), which is also the first choice for the categories of ``bars`` since
those should not be skipped; else horizontal and thinned to every n-th, counted back from the last category so that
the latest week or month is always labelled, n growing until no two labels are closer than ``MIN_LABEL_GAP``.
"""

import math
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

type Value = float | int | Decimal | None

# Geometry, in viewBox units.
WIDTH = 720
PLOT_HEIGHT = 220  # height of the plot area of bars and lines, whatever the labels below it need
COMPACT_WIDTH = 320  # the phone drawing
COMPACT_PLOT_HEIGHT = 190
TOP = 26  # room above the highest gridline for its label and for a total above the tallest bar
RIGHT = 18
FONT_SIZE = 12
FONT_FAMILY = "system-ui, 'Noto Sans CJK KR', 'Noto Sans KR', sans-serif"
MIN_LABEL_GAP = 10  # between two horizontal x labels, edge to edge
ROTATED_LABEL_PITCH = 17  # minimum band for 45-degree x labels (12 units of Latin text, with air)
ROTATED_WIDE_LABEL_PITCH = 21  # the same for labels with CJK characters, which fill the whole em
MAX_AXIS_LABEL = 18  # characters of an axis label; the full label is in the tooltip and the table
BAR_RATIO = 0.68  # share of its band a bar fills
MAX_BAR_WIDTH = 56

# Colours.
INK = "#1d2433"
MUTED = "#5b6475"
GRID = "#e3e6ec"
BASELINE = "#8a93a3"
BRAND = "#0f766e"
WHITE = "#ffffff"
NO_DATA_FILL = "#f1f3f6"
NO_DATA_HATCH = "#c3c9d4"
# Okabe-Ito, in the order the series take them: blue, orange, bluish green, vermillion, sky blue, reddish purple,
# yellow, black. Neighbours in a stack stay far apart in hue and lightness.
PALETTE = ["#0072b2", "#e69f00", "#009e73", "#d55e00", "#56b4e9", "#cc79a7", "#f0e442", "#000000"]
# The rounds of the palette: fill patterns (bars) and line styles (lines).
FILL_PATTERNS = ["", "stripes", "dots"]
LINE_STYLES = [("line", ""), ("line-dashed", "7 4"), ("line-dotted", "1.5 3.5")]
# The heatmap's scale, light to dark teal; the darkest is the brand colour.
HEAT_STOPS = [(0.0, "#eaf5f3"), (0.25, "#b9e0da"), (0.5, "#7cc3b8"), (0.75, "#3b9d91"), (1.0, BRAND)]
NO_VALUE = "\u2014"  # a missing value in the table


@dataclass(frozen=True)
class Series:
    key: str  # stable id, used in class names ("series-<key>")
    label: str  # legend text (escaped when drawn)
    values: Sequence[Value]  # one per category; None = no data


@dataclass
class Chart:
    slug: str  # made safe for ids: letters, digits, "-" and "_"
    title: str
    description: str
    svg: SafeString  # the complete <svg>, 720 units wide
    legend: list[tuple[str, str, str]]  # (label, colour, pattern): "", "stripes", "dots", "line", "line-dashed"...
    table_caption: str
    table_headers: list[str]
    table_rows: list[list[str]]
    empty: bool
    svg_compact: SafeString = SafeString("")  # the same chart 320 units wide, for phones

    @property
    def legend_swatches(self) -> list[tuple[str, SafeString]]:
        """(label, small inline <svg>) for the HTML legend: the same colour and pattern as in the chart."""
        return [(label, swatch(colour, pattern)) for label, colour, pattern in self.legend]


@dataclass(frozen=True)
class _Canvas:
    """One drawing of a chart: its width, the height of its plot area and the prefix of its element ids."""

    width: float
    plot_height: float
    ids: str


def _canvases(slug: str) -> tuple[_Canvas, _Canvas]:
    return (
        _Canvas(WIDTH, PLOT_HEIGHT, f"chart-{slug}"),
        _Canvas(COMPACT_WIDTH, COMPACT_PLOT_HEIGHT, f"chart-{slug}-compact"),
    )


# ---------------------------------------------------------------------------------------------- small helpers


def _num(value: Value) -> float | None:
    """A float for drawing; None for a missing or unusable value (NaN, infinity)."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, InvalidOperation):
        return None
    return number if math.isfinite(number) else None


def _n(x: float) -> str:
    """A coordinate for an attribute: at most two decimals, no trailing zeros, never "-0"."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _tag(name: str, attrs: Mapping[str, object], content: str = "") -> str:
    """An element with escaped attribute values (None leaves the attribute out); ``content`` is markup."""
    rendered = " ".join(f'{key}="{escape(str(value))}"' for key, value in attrs.items() if value is not None)
    return f"<{name} {rendered}>{content}</{name}>" if content else f"<{name} {rendered}/>"


def _text(x: float, y: float, text: str, **attrs: object) -> str:
    return _tag("text", {"x": _n(x), "y": _n(y), **{k.replace("_", "-"): v for k, v in attrs.items()}}, escape(text))


def _tooltip(text: str) -> str:
    return f"<title>{escape(text)}</title>"


def _safe_id(text: str) -> str:
    """A fragment usable in an id or class name: ASCII letters, digits, "-" and "_"; anything else becomes "-"."""
    return "".join(c if (c.isascii() and c.isalnum()) or c in "-_" else "-" for c in str(text)) or "chart"


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """Estimated width of ``text``: wide (CJK) characters one em, the others 0.62 em (generous for digits)."""
    return sum(size if unicodedata.east_asian_width(c) in ("W", "F") else size * 0.62 for c in text)


def _shorten(text: str, limit: int = MAX_AXIS_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _total(values: Sequence[Value]) -> float | int | Decimal | None:
    """The sum of the present values in their own type (Decimals stay Decimal); None when none is present."""
    present = [v for v in values if _num(v) is not None]
    if not present:
        return None
    total: Any = 0
    try:
        for value in present:
            total += value
    except TypeError:  # Decimal mixed with float
        return sum(float(v) for v in present if v is not None)
    return total


def _cell(value: Value, fmt: Callable[[Any], str]) -> str:
    return NO_VALUE if _num(value) is None else str(fmt(value))


def _at(values: Sequence[Value], index: int) -> Value:
    return values[index] if index < len(values) else None


def _is_integral(values: Sequence[float]) -> bool:
    return all(float(v).is_integer() for v in values)


def style_for(index: int) -> tuple[str, str]:
    """(colour, fill pattern) of the index-th series: the palette, then again with stripes, then with dots."""
    return PALETTE[index % len(PALETTE)], FILL_PATTERNS[(index // len(PALETTE)) % len(FILL_PATTERNS)]


def line_style_for(index: int) -> tuple[str, str, str]:
    """(colour, legend token, stroke-dasharray) of the index-th line."""
    token, dash = LINE_STYLES[(index // len(PALETTE)) % len(LINE_STYLES)]
    return PALETTE[index % len(PALETTE)], token, dash


def heat_colour(fraction: float) -> str:
    """The heatmap scale's colour at ``fraction`` (clamped to 0..1), interpolated between the stops."""
    fraction = min(1.0, max(0.0, fraction))
    for (lo, lo_colour), (hi, hi_colour) in zip(HEAT_STOPS, HEAT_STOPS[1:], strict=False):
        if fraction <= hi:
            t = (fraction - lo) / (hi - lo)
            a = [int(lo_colour[i : i + 2], 16) for i in (1, 3, 5)]
            b = [int(hi_colour[i : i + 2], 16) for i in (1, 3, 5)]
            return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=True))
    return HEAT_STOPS[-1][1]


# ---------------------------------------------------------------------------------------------- patterns

_TILE_DIAGONALS = "M-1,1 L1,-1 M0,6 L6,0 M5,7 L7,5"  # seamless 45-degree lines in a 6x6 tile


def _pattern(pattern_id: str, colour: str, pattern: str) -> str:
    """A 6x6 tile: the colour under white stripes or dots, or the hatched grey of a cell without data.

    No ``patternTransform``: WeasyPrint draws these tiles as the browsers do.
    """
    if pattern == "hatch":
        content = _tag("rect", {"width": 6, "height": 6, "fill": NO_DATA_FILL}) + _tag(
            "path", {"d": _TILE_DIAGONALS, "stroke": NO_DATA_HATCH, "stroke-width": 1}
        )
    elif pattern == "dots":
        content = _tag("rect", {"width": 6, "height": 6, "fill": colour}) + _tag(
            "circle", {"cx": 3, "cy": 3, "r": 1.3, "fill": WHITE, "fill-opacity": 0.85}
        )
    else:
        content = _tag("rect", {"width": 6, "height": 6, "fill": colour}) + _tag(
            "path", {"d": _TILE_DIAGONALS, "stroke": WHITE, "stroke-width": 1.6, "stroke-opacity": 0.75}
        )
    attrs = {"id": pattern_id, "width": 6, "height": 6, "patternUnits": "userSpaceOnUse"}
    return _tag("pattern", attrs, content)


def swatch(colour: str, pattern: str = "") -> SafeString:
    """A 14x14 legend swatch, or a 28x14 line sample for the ``line*`` tokens; no ids, so any number may repeat."""
    if pattern.startswith("line"):
        dash = dict(LINE_STYLES).get(pattern, "")
        line = {"x1": 1.5, "x2": 26.5, "y1": 7, "y2": 7, "stroke": colour, "stroke-width": 2.5}
        body = _tag("line", {**line, "stroke-dasharray": dash or None, "stroke-linecap": "round"})
        body += _tag("circle", {"cx": 14, "cy": 7, "r": 3.5, "fill": colour, "stroke": WHITE, "stroke-width": 1.5})
        width = 28
    else:
        body = _tag("rect", {"x": 0.5, "y": 0.5, "width": 13, "height": 13, "rx": 3, "fill": colour})
        if pattern == "stripes":
            # Diagonals that stay inside the square, so no clip path is needed.
            d = "M1.5,5 L5,1.5 M1.5,9 L9,1.5 M1.5,13 L13,1.5 M5,12.5 L12.5,5 M9,12.5 L12.5,9"
            body += _tag("path", {"d": d, "stroke": WHITE, "stroke-width": 1.5, "stroke-opacity": 0.8})
        elif pattern == "dots":
            body += "".join(
                _tag("circle", {"cx": cx, "cy": cy, "r": 1.4, "fill": WHITE, "fill-opacity": 0.9})
                for cx in (4.5, 9.5)
                for cy in (4.5, 9.5)
            )
        width = 14
    head = f'<svg width="{width}" height="14" viewBox="0 0 {width} 14" aria-hidden="true" focusable="false">'
    return mark_safe(head + body + "</svg>")  # noqa: S308 - built from escaped parts


# ---------------------------------------------------------------------------------------------- scales and labels


def nice_ticks(lo: float, hi: float, *, integer: bool = False) -> list[float | int]:
    """4-6 evenly spaced ticks covering ``lo``..``hi`` and zero, with a step of 1, 2, 2.5 or 5 x 10^n.

    ``integer``: the data are counts, so the step is a whole number (a small range gets 0, 1, 2, 3).
    """
    lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
    if hi == lo:
        hi = 1.0
    exponent = math.floor(math.log10(hi - lo)) - 2
    chosen: tuple[Decimal, int, int] | None = None
    while chosen is None:
        for multiple in ("1", "2", "2.5", "5"):
            step = Decimal(multiple).scaleb(exponent)
            if integer and step != step.to_integral_value():
                continue
            first, last = math.floor(Decimal(repr(lo)) / step), math.ceil(Decimal(repr(hi)) / step)
            if last - first + 1 <= 6:
                chosen = (step, first, last)
                break
        exponent += 1
    step, first, last = chosen
    last = max(last, first + 3)  # fewer than 4 only happens with integer data over a small range
    ticks: list[float | int] = []
    for k in range(first, last + 1):
        value = step * k
        ticks.append(int(value) if value == value.to_integral_value() else float(value))
    return ticks


@dataclass
class _XLabels:
    positions: list[tuple[int, float]]  # (category index, x of the label)
    texts: list[str]
    rotated: bool
    height: float  # room the labels take below the axis


def _x_labels(
    labels: list[str], centres: list[float], band: float, width: float, *, categorical: bool = False
) -> _XLabels:
    """Which category labels to show and how, so that none overlaps another or leaves the viewBox.

    Labels of a sequence (weeks, months, hours) are thinned to every other one rather than rotated; ``categorical``
    labels (score bands) are rotated rather than skipped whenever the bands are wide enough.
    """
    if not labels:
        return _XLabels([], [], False, 0)
    texts = [_shorten(label) for label in labels]
    widest = max(text_width(text) for text in texts)
    step = math.ceil((widest + MIN_LABEL_GAP) / band)
    wide = any(unicodedata.east_asian_width(c) in ("W", "F") for text in texts for c in text)
    pitch = ROTATED_WIDE_LABEL_PITCH if wide else ROTATED_LABEL_PITCH
    if step > 1 and band >= pitch and (categorical or step > 2):
        extent = widest * math.sqrt(0.5)
        return _XLabels(list(enumerate(centres)), texts, True, extent + FONT_SIZE + 12)
    while True:
        # Count back from the last category, so that the latest one (this week, this month) is always labelled.
        kept: list[tuple[int, float]] = []
        left_edge = math.inf
        for i in reversed(range((len(labels) - 1) % step, len(labels), step)):
            half = text_width(texts[i]) / 2
            x = min(max(centres[i], half + 2), width - half - 2)  # inside the viewBox
            if x + half + MIN_LABEL_GAP > left_edge:
                break  # pushed inwards at an edge: try a larger step
            kept.append((i, x))
            left_edge = x - half
        else:
            kept.reverse()
            return _XLabels(kept, [texts[i] for i, _x in kept], False, FONT_SIZE + 16)
        step += 1


def _svg_open(canvas: _Canvas, title: str, description: str, height: float) -> str:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        'preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="{t} {d}" '
        'font-family="{font}" font-size="{size}" fill="{ink}">'
        '<title id="{t}">{title}</title><desc id="{d}">{description}</desc>',
        w=_n(canvas.width),
        h=_n(height),
        t=f"{canvas.ids}-title",
        d=f"{canvas.ids}-desc",
        font=FONT_FAMILY,
        size=FONT_SIZE,
        ink=INK,
        title=title,
        description=description,
    )


def _empty_svg(canvas: _Canvas, title: str, description: str) -> SafeString:
    height = 150
    frame = {"x": 1, "y": 1, "width": _n(canvas.width - 2), "height": height - 2, "rx": 10}
    parts = [
        _svg_open(canvas, title, description, height),
        _tag("rect", {**frame, "fill": "#f8f9fb", "stroke": GRID, "stroke-dasharray": "4 4"}),
        _text(canvas.width / 2, height / 2 + 5, _("No data for this period."), text_anchor="middle", font_size=15,
              fill=MUTED),
        "</svg>",
    ]  # fmt: skip
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped parts


def _chart(
    slug: str,
    title: str,
    description: str,
    draw: Callable[[_Canvas], str] | None,
    legend: list[tuple[str, str, str]],
    headers: list[str],
    rows: list[list[str]],
) -> Chart:
    """The Chart of a builder: ``draw`` renders one canvas, or None when there is nothing to draw."""
    wide, compact = _canvases(slug)
    if draw is None:
        svg, svg_compact = _empty_svg(wide, title, description), _empty_svg(compact, title, description)
    else:
        svg, svg_compact = mark_safe(draw(wide)), mark_safe(draw(compact))  # noqa: S308 - built from escaped parts
    return Chart(
        slug=slug,
        title=title,
        description=description,
        svg=svg,
        legend=legend if draw is not None else [],
        table_caption=title,
        table_headers=headers,
        table_rows=rows,
        empty=draw is None,
        svg_compact=svg_compact,
    )


@dataclass
class _Frame:
    """The plot area of a bar or line chart and its y scale."""

    left: float
    top: float
    width: float
    height: float
    ticks: list[float | int]
    count: int  # categories

    @property
    def lo(self) -> float:
        return float(self.ticks[0])

    @property
    def hi(self) -> float:
        return float(self.ticks[-1])

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def band(self) -> float:
        return self.width / self.count

    def y(self, value: float) -> float:
        return self.top + self.height * (self.hi - value) / (self.hi - self.lo)

    def centre(self, index: int) -> float:
        return self.left + self.band * (index + 0.5)


def _frame(
    canvas: _Canvas,
    categories: list[str],
    values: list[float],
    fmt: Callable[[Any], str],
    lo: float,
    hi: float,
    *,
    categorical: bool = False,
) -> tuple[_Frame, _XLabels, list[str]]:
    """The y scale from ``lo``..``hi`` (integer steps for integer ``values``), the plot area and its x labels."""
    ticks = nice_ticks(lo, hi, integer=_is_integral(values))
    tick_labels = [str(fmt(t)) for t in ticks]
    left = max(36.0, max(text_width(t) for t in tick_labels) + 16)
    count = len(categories)
    for _attempt in range(2):
        band = (canvas.width - left - RIGHT) / count
        centres = [left + band * (i + 0.5) for i in range(count)]
        labels = _x_labels(categories, centres, band, canvas.width, categorical=categorical)
        # A rotated first label runs down to the left: keep it inside the viewBox.
        needed = text_width(labels.texts[0]) * math.sqrt(0.5) + 8 - band / 2 if labels.rotated else 0
        if needed <= left:
            break
        left = needed
    frame = _Frame(left, TOP, canvas.width - left - RIGHT, canvas.plot_height, ticks, count)
    return frame, labels, tick_labels


def _y_axis(frame: _Frame, tick_labels: list[str]) -> str:
    """Gridlines and their labels (the zero line is drawn later, over the bars)."""
    parts = ['<g class="y-axis" aria-hidden="true">']
    right = frame.left + frame.width
    for tick, label in zip(frame.ticks, tick_labels, strict=True):
        y = frame.y(float(tick))
        if tick != 0:
            line = {"x1": _n(frame.left), "x2": _n(right), "y1": _n(y), "y2": _n(y)}
            parts.append(_tag("line", {**line, "stroke": GRID, "stroke-width": 1}))
        parts.append(_text(frame.left - 10, y + 4, label, text_anchor="end", fill=MUTED))
    parts.append("</g>")
    return "".join(parts)


def _baseline(frame: _Frame) -> str:
    y = _n(frame.y(0))
    line = {"x1": _n(frame.left), "x2": _n(frame.left + frame.width), "y1": y, "y2": y}
    return _tag("line", {"class": "baseline", **line, "stroke": BASELINE, "stroke-width": 1})


def _x_axis(labels: _XLabels, top: float) -> str:
    parts = ['<g class="x-labels" aria-hidden="true">']
    for (_index, x), text in zip(labels.positions, labels.texts, strict=True):
        if labels.rotated:
            x, y = x + 4, top + 14
            rotate = f"rotate(-45 {_n(x)} {_n(y)})"
            parts.append(_text(x, y, text, text_anchor="end", transform=rotate, fill=MUTED))
        else:
            parts.append(_text(x, top + 20, text, text_anchor="middle", fill=MUTED))
    parts.append("</g>")
    return "".join(parts)


def _labels_fit(texts: list[str], band: float, size: float) -> bool:
    return all(text_width(text, size) <= band - 2 for text in texts)


# ---------------------------------------------------------------------------------------------- builders


def stacked_bars(
    *,
    slug: str,
    title: str,
    description: str,
    categories: list[str],
    series: list[Series],
    x_name: str,
    fmt: Callable[[Any], str] = str,
    totals: bool = True,
) -> Chart:
    """Vertical bars, one per category, segments stacked in series order; negative values stack below zero.

    The table has a row per category, a column per series and, with ``totals``, a "Total" column (the net sum),
    also written above each bar when every total fits its bar's width.
    """
    slug = _safe_id(slug)
    grid = [[_num(_at(s.values, i)) for s in series] for i in range(len(categories))]
    sums = [_total([_at(s.values, i) for s in series]) for i in range(len(categories))]
    headers = [x_name, *(s.label for s in series), *([_("Total")] if totals else [])]
    rows = [
        [category, *(_cell(_at(s.values, i), fmt) for s in series), *([_cell(sums[i], fmt)] if totals else [])]
        for i, category in enumerate(categories)
    ]
    styles = [style_for(index) for index in range(len(series))]
    legend = [(s.label, *styles[index]) for index, s in enumerate(series)]
    if all(not v for column in grid for v in column):  # also no categories or no series
        return _chart(slug, title, description, None, legend, headers, rows)

    ups = [sum(v for v in column if v is not None and v > 0) for column in grid]
    downs = [sum(v for v in column if v is not None and v < 0) for column in grid]
    present = [v for column in grid for v in column if v is not None]

    def draw(canvas: _Canvas) -> str:
        frame, xlabels, tick_labels = _frame(canvas, categories, present, fmt, min(downs), max(ups))
        bar = min(MAX_BAR_WIDTH, frame.band * BAR_RATIO)
        separator = 1 if bar >= 8 else 0.5  # white lines between segments; thinner on thin bars
        defs = [
            _pattern(f"{canvas.ids}-p{index}", colour, pattern)
            for index, (colour, pattern) in enumerate(styles)
            if pattern
        ]
        parts = [_svg_open(canvas, title, description, frame.bottom + xlabels.height)]
        if defs:
            parts.append("<defs>" + "".join(defs) + "</defs>")
        parts.append(_y_axis(frame, tick_labels))
        for index, s in enumerate(series):
            colour, pattern = styles[index]
            fill = f"url(#{canvas.ids}-p{index})" if pattern else colour
            parts.append(f'<g class="series series-{_safe_id(s.key)}" fill="{escape(fill)}">')
            for i, category in enumerate(categories):
                value = grid[i][index]
                if not value:
                    continue
                # Where the segment starts: on top of (or under) the segments of the same sign before it.
                before = [grid[i][j] or 0.0 for j in range(index)]
                if value > 0:
                    base = sum(v for v in before if v > 0)
                    y0, y1 = frame.y(base + value), frame.y(base)
                else:
                    base = sum(v for v in before if v < 0)
                    y0, y1 = frame.y(base), frame.y(base + value)
                rect = {"x": _n(frame.centre(i) - bar / 2), "y": _n(y0), "width": _n(bar), "height": _n(y1 - y0)}
                tip = _tooltip(f"{category} \u00b7 {s.label}: {fmt(s.values[i])}")
                parts.append(_tag("rect", {**rect, "stroke": WHITE, "stroke-width": separator}, tip))
            parts.append("</g>")
        parts.append(_baseline(frame))
        texts = ["" if total is None else str(fmt(total)) for total in sums]
        if totals and _labels_fit(texts, frame.band, 11):
            parts.append('<g class="totals" aria-hidden="true" font-size="11" text-anchor="middle">')
            for i, text in enumerate(texts):
                if text and (ups[i] or downs[i]):
                    y = frame.y(ups[i]) - 6 if ups[i] > 0 else frame.y(downs[i]) + 15
                    parts.append(_text(frame.centre(i), y, text, fill=INK))
            parts.append("</g>")
        parts.append(_x_axis(xlabels, frame.bottom))
        parts.append("</svg>")
        return "".join(parts)

    return _chart(slug, title, description, draw, legend, headers, rows)


def bars(
    *,
    slug: str,
    title: str,
    description: str,
    categories: list[str],
    values: Sequence[Value],
    x_name: str,
    value_name: str,
    fmt: Callable[[Any], str] = str,
    colours: list[str] | None = None,
) -> Chart:
    """Plain vertical bars with their values on top; ``colours`` one per bar (default: the brand colour)."""
    slug = _safe_id(slug)
    padded = [_at(values, i) for i in range(len(categories))]
    numbers = [_num(v) for v in padded]
    rows = [[category, _cell(value, fmt)] for category, value in zip(categories, padded, strict=True)]
    headers = [x_name, value_name]
    if all(not v for v in numbers):
        return _chart(slug, title, description, None, [], headers, rows)
    present = [v for v in numbers if v is not None]

    def draw(canvas: _Canvas) -> str:
        frame, xlabels, tick_labels = _frame(
            canvas, categories, present, fmt, min(present), max(present), categorical=True
        )
        bar = min(MAX_BAR_WIDTH * 1.5, frame.band * BAR_RATIO)
        parts = [_svg_open(canvas, title, description, frame.bottom + xlabels.height), _y_axis(frame, tick_labels)]
        parts.append('<g class="bars">')
        for i, (category, number) in enumerate(zip(categories, numbers, strict=True)):
            if not number:
                continue
            y0, y1 = sorted((frame.y(number), frame.y(0)))
            rect = {"x": _n(frame.centre(i) - bar / 2), "y": _n(y0), "width": _n(bar), "height": _n(y1 - y0)}
            fill = colours[i % len(colours)] if colours else BRAND
            parts.append(_tag("rect", {**rect, "fill": fill}, _tooltip(f"{category}: {fmt(padded[i])}")))
        parts.append("</g>")
        parts.append(_baseline(frame))
        texts = [_cell(v, fmt) for v in padded]
        if _labels_fit(texts, frame.band, 12):
            parts.append('<g class="values" aria-hidden="true" text-anchor="middle" font-weight="600">')
            for i, (text, number) in enumerate(zip(texts, numbers, strict=True)):
                if number is not None:
                    y = frame.y(number) - 6 if number >= 0 else frame.y(number) + 15
                    parts.append(_text(frame.centre(i), y, text, fill=INK))
            parts.append("</g>")
        parts.append(_x_axis(xlabels, frame.bottom))
        parts.append("</svg>")
        return "".join(parts)

    # No legend: the x labels name the bars.
    return _chart(slug, title, description, draw, [], headers, rows)


def lines(
    *,
    slug: str,
    title: str,
    description: str,
    categories: list[str],
    series: list[Series],
    x_name: str,
    fmt: Callable[[Any], str] = str,
) -> Chart:
    """One line per series over the categories, a dot on each value; a None breaks the line."""
    slug = _safe_id(slug)
    grid = [[_num(_at(s.values, i)) for s in series] for i in range(len(categories))]
    headers = [x_name, *(s.label for s in series)]
    rows = [[c, *(_cell(_at(s.values, i), fmt) for s in series)] for i, c in enumerate(categories)]
    styles = [line_style_for(index) for index in range(len(series))]
    legend = [(s.label, colour, token) for s, (colour, token, _dash) in zip(series, styles, strict=True)]
    present = [v for column in grid for v in column if v is not None]
    if all(not v for v in present):
        return _chart(slug, title, description, None, legend, headers, rows)

    def draw(canvas: _Canvas) -> str:
        frame, xlabels, tick_labels = _frame(canvas, categories, present, fmt, min(present), max(present))
        radius = 3.5 if frame.band >= 12 else 2.5
        parts = [_svg_open(canvas, title, description, frame.bottom + xlabels.height), _y_axis(frame, tick_labels)]
        parts.append(_baseline(frame))
        for index in reversed(range(len(series))):  # the first series on top
            s = series[index]
            colour, _token, dash = styles[index]
            runs: list[list[tuple[float, float]]] = [[]]
            dots = []
            for i, category in enumerate(categories):
                value = grid[i][index]
                if value is None:
                    if runs[-1]:
                        runs.append([])
                    continue
                x, y = frame.centre(i), frame.y(value)
                runs[-1].append((x, y))
                dot = {"cx": _n(x), "cy": _n(y), "r": radius, "fill": colour, "stroke": WHITE, "stroke-width": 1.5}
                dots.append(_tag("circle", dot, _tooltip(f"{category} \u00b7 {s.label}: {fmt(s.values[i])}")))
            parts.append(f'<g class="series series-{_safe_id(s.key)}">')
            for run in runs:
                if len(run) > 1:
                    line = {
                        "points": " ".join(f"{_n(x)},{_n(y)}" for x, y in run),
                        "fill": "none",
                        "stroke": colour,
                        "stroke-width": 2.5,
                        "stroke-dasharray": dash or None,
                        "stroke-linejoin": "round",
                        "stroke-linecap": "round",
                    }
                    parts.append(_tag("polyline", line))
            parts.extend(dots)
            parts.append("</g>")
        parts.append(_x_axis(xlabels, frame.bottom))
        parts.append("</svg>")
        return "".join(parts)

    return _chart(slug, title, description, draw, legend, headers, rows)


def heatmap(
    *,
    slug: str,
    title: str,
    description: str,
    rows: list[str],
    columns: list[str],
    values: Sequence[Sequence[Value]],
    x_name: str,
    fmt: Callable[[Any], str] = str,
    scale_max: float | None = None,
    none_label: str | None = None,
) -> Chart:
    """A cell per (row, column), light (0) to dark teal (``scale_max``, default the largest value); None hatched.

    ``values[i][j]`` is the value of ``rows[i]`` at ``columns[j]``. ``none_label`` names a None cell in its
    tooltip and under the scale (default "No data"), e.g. "Not available" for hours without availability.
    """
    slug = _safe_id(slug)
    raw = [[_at(values[i], j) if i < len(values) else None for j in range(len(columns))] for i in range(len(rows))]
    grid = [[_num(v) for v in line] for line in raw]
    headers = [x_name, *columns]
    table = [[label, *(_cell(v, fmt) for v in raw[i])] for i, label in enumerate(rows)]
    present = [v for line in grid for v in line if v is not None]
    if all(not v for v in present):
        return _chart(slug, title, description, None, [], headers, table)
    top_value = float(scale_max) if scale_max else max(present) if max(present) > 0 else 1.0
    none_text = none_label if none_label is not None else _("No data")
    has_none = any(v is None for line in grid for v in line)

    def draw(canvas: _Canvas) -> str:
        width = canvas.width
        left = max(36.0, max(text_width(_shorten(label)) for label in rows) + 14)
        cell_w = (width - left - RIGHT) / len(columns)
        cell_h = min(34.0, max(20.0, cell_w * 0.72))
        top = 8.0
        grid_bottom = top + cell_h * len(rows)
        xlabels = _x_labels(columns, [left + cell_w * (j + 0.5) for j in range(len(columns))], cell_w, width)
        gap = 2.0 if cell_w >= 14 else 1.0
        scale, scale_height = _heat_scale(left, grid_bottom + xlabels.height + 10, width, top_value, fmt,
                                          f"url(#{canvas.ids}-none)", none_text if has_none else None)  # fmt: skip
        parts = [
            _svg_open(canvas, title, description, grid_bottom + xlabels.height + 10 + scale_height),
            "<defs>" + _pattern(f"{canvas.ids}-none", NO_DATA_FILL, "hatch") + "</defs>",
            '<g class="row-labels" aria-hidden="true">',
            *(
                _text(left - 10, top + cell_h * (i + 0.5) + 4, _shorten(label), text_anchor="end", fill=MUTED)
                for i, label in enumerate(rows)
            ),
            '</g><g class="cells">',
        ]
        for i, label in enumerate(rows):
            for j, column in enumerate(columns):
                value = grid[i][j]
                cell = {
                    "x": _n(left + cell_w * j + gap / 2),
                    "y": _n(top + cell_h * i + gap / 2),
                    "width": _n(cell_w - gap),
                    "height": _n(cell_h - gap),
                    "rx": 3 if cell_w >= 14 else 1,
                    "fill": f"url(#{canvas.ids}-none)" if value is None else heat_colour(value / top_value),
                }
                tip = none_text if value is None else fmt(raw[i][j])
                parts.append(_tag("rect", cell, _tooltip(f"{label} \u00b7 {column}: {tip}")))
        parts.append("</g>")
        parts.append(_x_axis(xlabels, grid_bottom - 4))
        parts.append(scale)
        parts.append("</svg>")
        return "".join(parts)

    # No HTML legend: the scale is drawn in the chart itself, so that a PDF has it too.
    return _chart(slug, title, description, draw, [], headers, table)


def _heat_scale(
    left: float, y: float, width: float, top_value: float, fmt: Callable[[Any], str], none_fill: str, none: str | None
) -> tuple[str, float]:
    """The scale under a heatmap, "0 [ten steps] max", then the swatch of a cell without data (on a second line
    when the first has no room for it). Returns the markup and its height."""
    steps, step_w, step_h = 10, 14, 12
    low, high = str(fmt(0)), str(fmt(top_value))
    parts = [f'<g class="scale" aria-hidden="true" fill="{MUTED}">', _text(left, y + 10, low)]
    x = left + text_width(low) + 6
    for k in range(steps):
        box = {"x": _n(x + k * step_w), "y": _n(y), "width": step_w, "height": step_h}
        parts.append(_tag("rect", {**box, "fill": heat_colour((k + 0.5) / steps)}))
    x += steps * step_w + 6
    parts.append(_text(x, y + 10, high))
    height = step_h + 8
    if none is not None:
        x += text_width(high) + 24
        if x + 22 + text_width(none) > width - 4:
            x, y = left, y + step_h + 10
            height += step_h + 10
        box = {"x": _n(x), "y": _n(y), "width": 16, "height": step_h, "rx": 2}
        parts.append(_tag("rect", {**box, "fill": none_fill, "stroke": GRID}))
        parts.append(_text(x + 22, y + 10, _shorten(none, 40)))
    parts.append("</g>")
    return "".join(parts), height
