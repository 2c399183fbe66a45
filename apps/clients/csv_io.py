"""CSV import (each row through ``client_create``; a report lists rejected rows) and export (formula-safe)."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.csv_export import csv_lines, safe_cell
from apps.core.errors import ApplicationError

from .models import Client
from .services import PROFILE_FIELDS, client_creator

MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024
COLUMNS = PROFILE_FIELDS  # first_name, last_name, date_of_birth, sex, height_cm, weight_kg, email, phone, goals, notes
EXPORT_COLUMNS = [*COLUMNS, "trainer", "status", "created_at"]
# Spellings of ``sex`` that spreadsheets commonly hold (English and Korean); anything else is refused by the service.
SEX_ALIASES = {
    "f": "female",
    "w": "female",
    "woman": "female",
    "여": "female",
    "여성": "female",
    "m": "male",
    "man": "male",
    "남": "male",
    "남성": "male",
    "": "not_stated",
    "-": "not_stated",
    "not stated": "not_stated",
}


@dataclass
class ImportReport:
    created: int = 0
    rejected: list = field(default_factory=list)  # [(line number, reason)]


def _field_label(name):
    try:
        return str(Client._meta.get_field(name).verbose_name).capitalize()
    except FieldDoesNotExist:
        return name


def read_rows(upload):
    """The file's rows as dicts, or ApplicationError with a clear message (size, encoding, header, row count)."""
    if upload.size > MAX_BYTES:
        raise ApplicationError(_("The file is larger than 2 MB. Split it into smaller files."), {"field": "file"})
    raw = upload.read(MAX_BYTES + 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."), {"field": "file"}
        ) from None
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    except csv.Error:
        raise ApplicationError(_("The file is not a readable CSV file."), {"field": "file"}) from None
    if "first_name" not in header:
        raise ApplicationError(
            _("The first row must be a header with at least first_name. Columns: %(columns)s.")
            % {"columns": ", ".join(COLUMNS)},
            {"field": "file"},
        )
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        raise ApplicationError(
            _("Unknown columns: %(unknown)s. Columns: %(columns)s.")
            % {"unknown": ", ".join(unknown), "columns": ", ".join(COLUMNS)},
            {"field": "file"},
        )
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise ApplicationError(
                    _("The file has more than %(max)d rows. Split it into smaller files.") % {"max": MAX_ROWS},
                    {"field": "file"},
                )
            rows.append((reader.line_num, row))
    except csv.Error as error:
        raise ApplicationError(
            _("The file is not a readable CSV file (line %(line)d).") % {"line": reader.line_num}, {"field": "file"}
        ) from error
    return rows


@transaction.atomic
def import_clients(*, actor, upload, trainer=None):
    """Create one client per valid row; every rejected row is reported with its reason. Valid rows are kept.

    Each row passes the same rules as ``client_create``; the actor and trainer are checked once for the file.

    One transaction for the file (a commit per row would cost a disk flush each: 5,000 rows took 20 s), and a
    savepoint per row (``client_create`` is atomic), so a rejected row undoes only itself.
    """
    create = client_creator(actor=actor, trainer=trainer)
    rows = read_rows(upload)
    report = ImportReport()
    for line, row in rows:
        if None in row:  # more cells than header columns
            report.rejected.append((line, _("This row has more cells than the header.")))
            continue
        values = {name: (value or "").strip() for name, value in row.items() if name in COLUMNS}
        if not any(values.values()):
            continue  # blank line
        if "sex" in values:
            sex = values["sex"].casefold()
            values["sex"] = SEX_ALIASES.get(sex, sex)
        try:
            create(**values)
        except ApplicationError as error:
            reasons = [
                f"{_field_label(field)}: {message}" if field else message
                for field, messages in error.field_errors.items()
                for message in messages
            ]
            report.rejected.append((line, "; ".join(reasons)))
        else:
            report.created += 1
    return report


def export_rows(clients):
    """The CSV lines (header first) of ``clients``, formula-safe."""
    rows = (
        [
            safe_cell(value)
            for value in (
                client.first_name,
                client.last_name,
                client.date_of_birth.isoformat() if client.date_of_birth else "",
                client.sex,
                client.height_cm,
                client.weight_kg,
                client.email,
                client.phone,
                client.goals,
                client.notes,
                client.trainer.display_name,
                client.status,
                client.created_at.isoformat(),
            )
        ]
        for client in clients.iterator(chunk_size=500)
    )
    return csv_lines(EXPORT_COLUMNS, rows)
