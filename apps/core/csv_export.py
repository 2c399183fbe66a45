"""CSV for spreadsheets: one way to write the lines of every export (clients, analytics tables, the audit log)."""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

# Spreadsheets run a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Makes spreadsheets read the file as UTF-8 (Korean names) rather than the system's code page.
BOM = "\ufeff"


def safe_cell(value: Any) -> str:
    """Text a spreadsheet shows as typed: a formula start gets an apostrophe in front."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_lines(headers: Iterable[Any], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The BOM and the header line (made formula-safe), then one line per row, written as given: callers pass text
    cells through ``safe_cell`` and keep numbers as numbers. Lazy, so a long export streams."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: Iterable[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield BOM + line([safe_cell(header) for header in headers])
    for row in rows:
        yield line(row)
