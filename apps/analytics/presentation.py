"""The analytics pages' charts and spreadsheet, drawn from the same :mod:`apps.analytics.tables` the CSV exports.

``page_charts(tables, bucket)`` returns {table slug: Chart}; ``workbook(tables)`` returns the XLSX bytes (one sheet
per table, openpyxl) with numbers as numbers and the page's number formats.
"""

import io
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from django.utils.translation import gettext as _

from apps.core.money import current_currency, minor_unit

from . import charts
from .metrics.sessions import OUTCOMES
from .tables import Table, bucket_label, display, outcome_labels

# Bands from low to high scores, then "not assessed" in grey (colour-blind safe: lightness differs too).
BAND_COLOURS = ["#d55e00", "#e69f00", "#56b4e9", "#0072b2", "#c3c9d4"]


def _fmt(kind: str) -> Callable[[Any], str]:
    return partial(display, kind=kind)


def _labels(table: Table, bucket: str) -> list[str]:
    return [bucket_label(row[0], bucket) if isinstance(row[0], date) else str(row[0]) for row in table.rows]


def page_charts(tables: list[Table], *, bucket: str) -> dict[str, charts.Chart]:
    found: dict[str, charts.Chart] = {}
    by_slug = {table.slug: table for table in tables}
    if table := by_slug.get("sessions-by-week"):
        labels = outcome_labels()
        found[table.slug] = charts.stacked_bars(
            slug=table.slug,
            title=table.title,
            description=table.description,
            categories=_labels(table, "week"),
            series=[
                charts.Series(outcome, labels[outcome], table.column(1 + index))
                for index, outcome in enumerate(OUTCOMES)
            ],
            x_name=table.headers[0],
            fmt=_fmt("count"),
        )
    if table := by_slug.get("utilisation-heatmap"):
        found[table.slug] = charts.heatmap(
            slug=table.slug,
            title=table.title,
            description=table.description,
            rows=[str(row[0]) for row in table.rows],
            columns=[header[:2] for header in table.headers[1:]],
            values=[row[1:] for row in table.rows],
            x_name=table.headers[0],
            fmt=_fmt("rate"),
            scale_max=1.0,
            none_label=_("Nobody available"),
        )
    if table := by_slug.get("client-growth"):
        found[table.slug] = charts.lines(
            slug=table.slug,
            title=table.title,
            description=table.description,
            categories=_labels(table, bucket),
            series=[
                charts.Series(key, table.headers[i], table.column(i))
                for i, key in enumerate(["active", "new", "churned"], start=1)
            ],  # fmt: skip
            x_name=table.headers[0],
            fmt=_fmt("count"),
        )
    if table := by_slug.get("cash-and-earned"):
        found[table.slug] = charts.lines(
            slug=table.slug,
            title=table.title,
            description=table.description,
            categories=_labels(table, bucket),
            series=[
                charts.Series("cash", table.headers[1], table.column(1)),
                charts.Series("earned", table.headers[2], table.column(2)),
            ],  # fmt: skip
            x_name=table.headers[0],
            fmt=_fmt("money"),
        )
    if table := by_slug.get("score-bands"):
        found[table.slug] = charts.bars(
            slug=table.slug,
            title=table.title,
            description=table.description,
            categories=[str(row[0]) for row in table.rows],
            values=table.column(1),
            x_name=table.headers[0],
            value_name=table.headers[1],
            fmt=_fmt("count"),
            colours=BAND_COLOURS,
        )
    if table := by_slug.get("revenue-by-trainer"):
        names = table.headers[1:-1]
        found[table.slug] = charts.stacked_bars(
            slug=table.slug,
            title=table.title,
            description=table.description,
            categories=_labels(table, bucket),
            series=[charts.Series(f"trainer-{i}", name, table.column(1 + i)) for i, name in enumerate(names)],
            x_name=table.headers[0],
            fmt=_fmt("money"),
        )
    return found


def _number_format(kind: str) -> str:
    if kind == "money":
        places = minor_unit(current_currency() or "")
        return "#,##0" + ("." + "0" * places if places else "")
    if kind == "rate":
        return "0.0%"
    if kind in ("hours", "score"):
        return "0.0"
    if kind == "date":
        return "yyyy-mm-dd"
    return "#,##0" if kind == "count" else "General"


def workbook(tables: list[Table], *, title: str) -> bytes:
    """One sheet per table (named after it, at most 31 characters), header row bold and frozen, numbers typed."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.title[:31])
        sheet.append([str(header) for header in table.headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in table.rows:
            kinds = row[-1] if table.slug == "figures" else None
            values = row[: len(table.headers)]
            sheet.append([_xlsx_value(value) for value in values])
            for index, cell in enumerate(sheet[sheet.max_row]):
                kind = table.kinds[index]
                if kind == "value":
                    kind = kinds or "count"
                cell.number_format = _number_format(kind)
        for index, header in enumerate(table.headers, start=1):
            width = max([len(str(header))] + [len(str(row[index - 1] or "")) for row in table.rows[:200]])
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(max(10, width + 2), 60)
    book.properties.title = title
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any) -> Any:
    """openpyxl stores Decimal exactly; only a text starting with "=" would become a formula."""
    if isinstance(value, str) and value.startswith("="):
        return "'" + value
    return value
