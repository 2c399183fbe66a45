"""Old summaries read back into events (issue 15), for the data migration ``audit.0003``.

Before issue 15 each entry's ``summary`` was a sentence in the language of whoever acted. ``read_old_summaries``
matches each one against every wording, English and Korean, of the events of its action (``events.parse_summary``:
each message compiled into a regex with a named group per parameter, each parameter read back by its kind) and
stores the event and its parameters; the summary is then cleared. A summary no wording matches (written before the
date formats of issue 12, edited by hand, garbled) keeps its text, which is shown as written.

Dates and times in old summaries were written in the gym's timezone: the gym's row says which. It uses the live
registry and catalogue on purpose (the messages are what it must recognise); the older wordings an event had are
its ``legacy`` ones, kept in the catalogue by ``gettext_noop``.
"""

from typing import Any

from django.db import models
from django.utils import translation

from apps.core.dates import zone_named

from . import events

BATCH = 500


def _gym_timezone(connection: Any) -> str:
    """The timezone of the gym whose schema the connection is in ("" for the template and pooled schemas)."""
    schema = getattr(connection, "schema_name", "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT timezone FROM public.tenants_organization WHERE schema_name = %s", [schema])
        row = cursor.fetchone()
    return row[0] if row else ""


def read_old_summaries(
    entries: type[models.Model], connection: Any, *, zone_name: str | None = None
) -> tuple[int, int]:
    """Turn the summaries of ``entries`` (the model, historical or not) without an event into events where their words
    allow. Returns (read, kept as written)."""
    zone = zone_named(zone_name if zone_name is not None else _gym_timezone(connection))
    token = events.GYM_ZONE.set(zone)
    read = kept = 0
    try:
        pending: list[Any] = []
        rows = entries.objects.filter(event="").exclude(summary="")  # type: ignore[attr-defined]
        for entry in rows.only("pk", "action", "summary").order_by("pk").iterator(chunk_size=BATCH):
            found = events.parse_summary(entry.action, entry.summary)
            if found is None:
                kept += 1
                continue
            entry.event, entry.params = found
            entry.summary = ""
            pending.append(entry)
            read += 1
            if len(pending) >= BATCH:
                entries.objects.bulk_update(pending, ["event", "params", "summary"])  # type: ignore[attr-defined]
                pending = []
        if pending:
            entries.objects.bulk_update(pending, ["event", "params", "summary"])  # type: ignore[attr-defined]
    finally:
        events.GYM_ZONE.reset(token)
    return read, kept


def write_summaries_back(entries: type[models.Model], connection: Any) -> int:
    """The way back: entries with an event get their English sentence as summary (what the code before issue 15
    shows). Returns how many."""
    token = events.GYM_ZONE.set(zone_named(_gym_timezone(connection)))
    written: list[Any] = []
    try:
        rows = entries.objects.exclude(event="").filter(summary="")  # type: ignore[attr-defined]
        with translation.override("en"):
            for entry in rows.only("pk", "event", "params", "summary").iterator(chunk_size=BATCH):
                entry.summary = events.render(entry.event, entry.params)[:500]
                written.append(entry)
    finally:
        events.GYM_ZONE.reset(token)
    entries.objects.bulk_update(written, ["summary"], batch_size=BATCH)  # type: ignore[attr-defined]
    return len(written)
