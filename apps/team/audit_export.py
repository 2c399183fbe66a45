"""The audit log as CSV: one line per entry, the sentence rendered like the page's (in the reader's language)."""

from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.models import AuditEntry
from apps.core.csv_export import csv_lines, safe_cell
from apps.core.dates import gym_timezone

CHUNK = 1000


def audit_csv_lines(entries: Iterable[AuditEntry]) -> Iterator[str]:
    """UTF-8 lines with a BOM (spreadsheets then read Korean right); text cells are formula-safe."""
    zone = gym_timezone()
    headers = [_("When"), _("Who"), _("Action"), _("Object"), _("Summary")]
    rows = entries.iterator(chunk_size=CHUNK) if hasattr(entries, "iterator") else entries
    return csv_lines(
        headers,
        (
            [
                timezone.localtime(entry.created_at, zone).isoformat(timespec="seconds"),
                safe_cell(entry.actor_name),
                entry.action,
                safe_cell(entry.target_repr),
                safe_cell(entry.sentence),
            ]
            for entry in rows
        ),
    )
