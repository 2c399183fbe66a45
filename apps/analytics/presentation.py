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
from .tables import Table, bucket_label, display

# Bands from low to high scores, then "not assessed" in grey (colour-blind safe: lightness differs too).
BAND_COLOURS = ["#d55e00", "#e69f00", "#56b4e9", "#0072b2", "#c3c9d4"]


def _fmt(kind: str) -> Callable[[Any], str]:
    return partial(display, kind=kind)


def _labels(table: Table, bucket: str) -> list[str]:
    return [bucket_label(row[0], bucket) if isinstance(row[0], date) else str(row[0]) for row in table.rows]


def _about(table: Table) -> dict[str, Any]:
    """What every chart takes from its table: slug, title, description and the name of its first column."""
    return {"slug": table.slug, "title": table.title, "description": table.description, "x_name": table.headers[0]}


def _series(table: Table, keys: list[str], first: int = 1) -> list[charts.Series]:
    """One series per column from ``first`` on, labelled by the column's header."""
    return [charts.Series(key, table.headers[first + i], table.column(first + i)) for i, key in enumerate(keys)]


def page_charts(tables: list[Table], *, bucket: str) -> dict[str, charts.Chart]:
    found: dict[str, charts.Chart] = {}
    by_slug = {table.slug: table for table in tables}
    if table := by_slug.get("sessions-by-week"):
        found[table.slug] = charts.stacked_bars(
            **_about(table), categories=_labels(table, "week"), series=_series(table, OUTCOMES), fmt=_fmt("count")
        )
    if table := by_slug.get("utilisation-heatmap"):
        found[table.slug] = charts.heatmap(
            **_about(table),
            rows=[str(row[0]) for row in table.rows],
            columns=[header[:2] for header in table.headers[1:]],
            values=[row[1:] for row in table.rows],
            fmt=_fmt("rate"),
            scale_max=1.0,
            none_label=_("Nobody available"),
        )
    for slug, keys, kind in (("client-growth", ["active", "new", "churned"], "count"),
                             ("cash-and-earned", ["cash", "earned"], "money")):  # fmt: skip
        if table := by_slug.get(slug):
            found[slug] = charts.lines(
                **_about(table), categories=_labels(table, bucket), series=_series(table, keys), fmt=_fmt(kind)
            )
    if table := by_slug.get("score-bands"):
        found[table.slug] = charts.bars(
            **_about(table),
            categories=[str(row[0]) for row in table.rows],
            values=table.column(1),
            value_name=table.headers[1],
            fmt=_fmt("count"),
            colours=BAND_COLOURS,
        )
    if table := by_slug.get("revenue-by-trainer"):
        trainers = [f"trainer-{i}" for i in range(len(table.headers) - 2)]  # the last column is the total
        found[table.slug] = charts.stacked_bars(
            **_about(table), categories=_labels(table, bucket), series=_series(table, trainers), fmt=_fmt("money")
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
