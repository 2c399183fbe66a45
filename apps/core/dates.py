"""Dates and times as the gym sees them: in the organization's timezone, not the server's."""

import zoneinfo
from datetime import datetime, time

from django.db import connection
from django.utils import timezone


def gym_timezone():
    """The timezone of the gym whose schema is active (UTC on the platform or for an unknown name)."""
    try:
        return zoneinfo.ZoneInfo(getattr(connection.tenant, "timezone", "") or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def gym_today():
    """Today in the gym's timezone (a certification earned "today" in Seoul is not in the future)."""
    return timezone.localdate(timezone=gym_timezone())


def gym_month_start():
    """Midnight of the 1st of the current month in the gym's timezone, as an aware datetime."""
    zone = gym_timezone()
    return datetime.combine(gym_today().replace(day=1), time.min, tzinfo=zone)
