"""The client page's progress chart: category and overall scores over time, drawn as inline SVG on the server.

``progress_chart(rows)`` takes ``selectors.assessment_progress`` rows (oldest first) and returns the geometry the
template ``assessments/_progress_chart.html`` draws: no JavaScript, no chart library. The x axis is time (an
assessment sits at its date), the y axis 0-100. A category missing from an assessment breaks its line there
rather than inventing a value. Colours are the Okabe-Ito palette (safe for colour-blind readers) and every line
also has its own dash pattern, so the legend does not depend on colour alone.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.dates import format_date

from .models import CATEGORY_LABELS
from .scoring import Category

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 40, 20, 14, 36
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MIN_LABEL_GAP = 86  # px between two date labels of the x axis
Y_TICKS = [0, 20, 40, 60, 80, 100]

# (key, colour, dash pattern, stroke width); the overall first in the legend, drawn last (on top).
STYLES = {
    "overall": ("#1d2433", "", 3),
    "strength": ("#0072b2", "8 4", 2),
    "mobility": ("#d55e00", "2 3", 2),
    "balance": ("#009e73", "10 3 2 3", 2),
    "cardio": ("#cc79a7", "4 2", 2),
}


def _label(when):
    return format_date(when)


def _x_positions(times):
    """Position by date; all on one instant (or one assessment): spread evenly, or centred."""
    if len(times) == 1:
        return [LEFT + PLOT_WIDTH / 2]
    first, last = times[0].timestamp(), times[-1].timestamp()
    if last == first:
        return [LEFT + PLOT_WIDTH * index / (len(times) - 1) for index in range(len(times))]
    return [LEFT + PLOT_WIDTH * (t.timestamp() - first) / (last - first) for t in times]


def _y(value):
    return TOP + PLOT_HEIGHT * (1 - value / 100)


def _x_ticks(xs, labels):
    """Date labels that do not overlap: the first, the last, and those in between with room around them."""
    ticks = []
    for x, label in zip(xs, labels, strict=True):
        if not ticks or x - ticks[-1]["x"] >= MIN_LABEL_GAP:
            ticks.append({"x": round(x, 1), "label": label})
    last = {"x": round(xs[-1], 1), "label": labels[-1]}
    if ticks[-1] != last:
        if len(ticks) > 1 and last["x"] - ticks[-1]["x"] < MIN_LABEL_GAP:
            ticks.pop()
        ticks.append(last)
    for tick in ticks:
        tick["anchor"] = "start" if tick["x"] <= LEFT + 30 else "end" if tick["x"] >= WIDTH - RIGHT - 30 else "middle"
    return ticks


def progress_chart(rows):
    """None without assessments; else {"width", "height", "grid", "x_ticks", "series", "rows", "first", "last"}."""
    if not rows:
        return None
    times = [row["performed_at"] for row in rows]
    labels = [_label(when) for when in times]
    xs = _x_positions(times)
    names = {"overall": _("Overall"), **CATEGORY_LABELS}
    series = []
    for key in ["overall", *Category.ALL]:
        colour, dash, width = STYLES[key]
        segments, current, points = [], [], []
        for x, row, label in zip(xs, rows, labels, strict=True):
            value = row[key]
            if value is None:
                if current:
                    segments.append(current)
                current = []
                continue
            partial = bool(row.get("partial"))
            point = {"x": round(x, 1), "y": round(_y(value), 1), "value": value, "label": label, "partial": partial}
            current.append(point)
            points.append(point)
        if current:
            segments.append(current)
        series.append(
            {
                "key": key,
                "label": names[key],
                "colour": colour,
                "dash": dash,
                "width": width,
                "lines": [
                    " ".join(f"{p['x']:g},{p['y']:g}" for p in segment) for segment in segments if len(segment) > 1
                ],
                "points": points,
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "grid": [{"value": value, "y": round(_y(value), 1)} for value in Y_TICKS],
        "x_ticks": _x_ticks(xs, labels),
        "x_label_y": HEIGHT - BOTTOM + 22,
        # Drawn in reverse so that the overall line lies on top of the categories.
        "series": series,
        "drawing_order": list(reversed(series)),
        "rows": [
            {
                "id": row["id"],
                "label": label,
                "categories": [row[key] for key in Category.ALL],
                "overall": row["overall"],
                "partial": bool(row.get("partial")),
                "coverage_pct": row.get("coverage_pct"),
            }
            for row, label in zip(rows, labels, strict=True)
        ],
        # Partial assessments are drawn hollow and named under the chart: their overall stands for fewer tests.
        "partial": [
            {"label": label, "coverage_pct": row.get("coverage_pct")}
            for row, label in zip(rows, labels, strict=True)
            if row.get("partial")
        ],
        "columns": [CATEGORY_LABELS[key] for key in Category.ALL],
        "count": len(rows),
        "first": labels[0],
        "last": labels[-1],
    }
