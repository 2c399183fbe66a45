"""Dates and times as the gym sees them: in the organization's timezone, not the server's, and written the one way
each language writes them (config/formats: "3 Dec 2026, 15:48", "2026년 12월 3일 15:48").

Templates use Django's named formats (``|date:"DATETIME_FORMAT"``, ``|date`` alone for a day); the tenant middleware
activates the gym's timezone for pages. Python code (audit labels, messages, mails and PDFs drawn in tasks) uses the
functions below, which do not depend on a request having activated anything.
"""

import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, tzinfo

from django.db import connection
from django.utils import formats, timezone, translation


def gym_timezone() -> zoneinfo.ZoneInfo:
    """The timezone of the gym whose schema is active (UTC on the platform or for an unknown name)."""
    return zone_named(getattr(connection.tenant, "timezone", "") or "UTC")


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    """The timezone called ``name``, or UTC for an unknown name (a bad setting must not break a page)."""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def gym_today():
    """Today in the gym's timezone (a certification earned "today" in Seoul is not in the future)."""
    return timezone.localdate(timezone=gym_timezone())


def gym_month_start():
    """Midnight of the 1st of the current month in the gym's timezone, as an aware datetime."""
    zone = gym_timezone()
    return datetime.combine(gym_today().replace(day=1), time.min, tzinfo=zone)


def _local(value: datetime, zone: tzinfo | None) -> datetime:
    if timezone.is_naive(value):
        return value
    return timezone.localtime(value, zone or gym_timezone())


def format_datetime(value: datetime, *, zone: tzinfo | None = None) -> str:
    """A moment in the gym's timezone (or ``zone``), in the active language: "3 Dec 2026, 15:48"."""
    return formats.date_format(_local(value, zone), "DATETIME_FORMAT")


def format_date(value: date | datetime, *, zone: tzinfo | None = None) -> str:
    """A day in the active language ("3 Dec 2026"); a moment is first turned into the gym's day."""
    if isinstance(value, datetime):
        value = _local(value, zone).date()
    return formats.date_format(value, "DATE_FORMAT")


def format_time(value: datetime | time, *, zone: tzinfo | None = None) -> str:
    """A time of day, 24-hour and zero-padded ("07:05"), of a moment in the gym's timezone (or ``zone``)."""
    if isinstance(value, datetime):
        value = _local(value, zone)
    return formats.time_format(value, "TIME_FORMAT")


@contextmanager
def gym_locale(language: str | None = None, *, zone: tzinfo | None = None) -> Iterator[None]:
    """Render in ``language`` (the active one if None) and the gym's timezone (or ``zone``): what a task needs before
    it renders a mail or a PDF, where no request has activated either."""
    with translation.override(language or translation.get_language()), timezone.override(zone or gym_timezone()):
        yield
