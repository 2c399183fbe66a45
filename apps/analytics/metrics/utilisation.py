"""Utilisation: how much of the time trainers said they are available is taken by sessions.

Definitions (docs/guide/analytics.md, "Utilisation"):

* **available hours**: for each day of the period, the trainer's weekly availability for that weekday, unless the day
  falls in a time off or after the trainer was deactivated. Slots are in the gym's timezone and counted in real
  hours (a slot across a daylight-saving change is an hour shorter or longer);
* **occupied hours**: the booked durations of sessions that start in the period and were not cancelled (delivered,
  no-shows and those still booked);
* **utilisation**: occupied hours / available hours; none without availability. Sessions booked outside the
  availability count too, so it can pass 100 %;
* **heatmap**: the same per weekday and hour of the day (wall-clock hours), over the period; a cell without any
  availability has no value.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, ExtractMinute

from apps.core.dates import gym_timezone
from apps.trainers.models import AvailabilitySlot, TimeOff
from apps.training.models import Session, SessionStatus

from ..periods import Period
from .scope import Scope, ratio

Cell = tuple[int, int]  # (weekday 0 = Monday, hour 0..23)


@dataclass
class Availability:
    """Available hours per trainer in the period and the previous one, and per heatmap cell in the period."""

    hours: dict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    hours_previous: dict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    cells: dict[Cell, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    @property
    def total(self) -> Decimal:
        return sum(self.hours.values(), Decimal(0))

    @property
    def total_previous(self) -> Decimal:
        return sum(self.hours_previous.values(), Decimal(0))


def _real_hours(day: date, starts: time, ends: time, zone) -> Decimal:  # type: ignore[no-untyped-def]
    start = datetime.combine(day, starts, tzinfo=zone).astimezone(UTC)
    if ends == time.max:  # "24:00"
        end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)
    else:
        end = datetime.combine(day, ends, tzinfo=zone).astimezone(UTC)
    return Decimal((end - start).total_seconds()) / 3600


def _wall_minutes(starts: time, ends: time) -> dict[int, int]:
    """Minutes of a slot in each wall-clock hour of its day: 09:30-11:00 -> {9: 30, 10: 60}."""
    first = starts.hour * 60 + starts.minute
    last = 24 * 60 if ends == time.max else ends.hour * 60 + ends.minute
    minutes: dict[int, int] = defaultdict(int)
    for hour in range(first // 60, (last + 59) // 60):
        overlap = min(last, (hour + 1) * 60) - max(first, hour * 60)
        if overlap > 0:
            minutes[hour] += overlap
    return minutes


def availability(scope: Scope, period: Period) -> Availability:
    """Two queries: the weekly slots (with their trainer's deactivation) and the time off touching the periods."""
    zone = gym_timezone()
    earlier = period.previous
    slots = list(
        scope.rows(AvailabilitySlot).values_list(
            "trainer_id", "weekday", "starts_at", "ends_at", "trainer__deactivated_at"
        )
    )
    away: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for trainer_id, first, last in (
        scope.rows(TimeOff)
        .filter(ends_on__gte=earlier.first, starts_on__lte=period.last)
        .values_list("trainer_id", "starts_on", "ends_on")
    ):
        away[trainer_id].append((first, last))
    # Per trainer and weekday: the slots, their wall-clock hours and their minutes per hour of the day. A day's real
    # hours differ from the wall clock's only on the days the clocks change; those are worked out slot by slot.
    by_weekday: dict[int, dict[int, list[tuple[time, time]]]] = defaultdict(lambda: defaultdict(list))
    until: dict[int, date] = {}
    for trainer_id, weekday, starts, ends, deactivated_at in slots:
        by_weekday[weekday][trainer_id].append((starts, ends))
        if deactivated_at:
            until[trainer_id] = deactivated_at.astimezone(zone).date()
    wall = {
        (weekday, trainer_id): sum((_wall_hours(starts, ends) for starts, ends in spans), Decimal(0))
        for weekday, trainers in by_weekday.items()
        for trainer_id, spans in trainers.items()
    }
    off = {
        trainer_id: {a + timedelta(days=n) for a, b in spans for n in range((b - a).days + 1)}
        for trainer_id, spans in away.items()
    }
    found = Availability()
    counted: dict[tuple[int, int], int] = defaultdict(int)  # (weekday, trainer) -> days counted in the period
    for target, current in ((found.hours_previous, False), (found.hours, True)):
        for day in (period if current else earlier).dates():
            weekday = day.weekday()
            changes = _clock_changes(day, zone)
            for trainer_id, spans in by_weekday.get(weekday, {}).items():
                if (trainer_id in until and day >= until[trainer_id]) or day in off.get(trainer_id, ()):
                    continue
                if changes:
                    target[trainer_id] += sum((_real_hours(day, s, e, zone) for s, e in spans), Decimal(0))
                else:
                    target[trainer_id] += wall[(weekday, trainer_id)]
                if current:
                    counted[(weekday, trainer_id)] += 1
    for (weekday, trainer_id), days in counted.items():
        for starts, ends in by_weekday[weekday][trainer_id]:
            for hour, minutes in _wall_minutes(starts, ends).items():
                found.cells[(weekday, hour)] += Decimal(minutes * days) / 60
    return found


def _wall_hours(starts: time, ends: time) -> Decimal:
    return Decimal(sum(_wall_minutes(starts, ends).values())) / 60


def _clock_changes(day: date, zone) -> bool:  # type: ignore[no-untyped-def]
    """Does the gym's UTC offset change during ``day`` (a daylight-saving day)?"""
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return start.utcoffset() != end.utcoffset()


def occupied_cells(scope: Scope, period: Period) -> dict[Cell, Decimal]:
    """Occupied hours per (weekday, wall-clock hour) of the sessions in the period that were not cancelled: one
    query grouped by start weekday, hour, minute and duration (few distinct rows), split into hours here."""
    zone = gym_timezone()
    rows = (
        scope.rows(Session)
        .filter(~Q(status=SessionStatus.CANCELLED), starts_at__gte=period.start(zone), starts_at__lt=period.end(zone))
        .annotate(
            weekday=ExtractIsoWeekDay("starts_at", tzinfo=zone),
            hour=ExtractHour("starts_at", tzinfo=zone),
            minute=ExtractMinute("starts_at", tzinfo=zone),
        )
        .values("weekday", "hour", "minute", "duration_minutes")
        .annotate(count=Count("pk"))
        .order_by()
    )
    cells: dict[Cell, Decimal] = defaultdict(Decimal)
    for row in rows:
        weekday = row["weekday"] - 1
        start = row["hour"] * 60 + row["minute"]
        end = start + row["duration_minutes"]
        minute = start
        while minute < end:  # a session past midnight continues on the next weekday
            day_offset, in_day = divmod(minute, 24 * 60)
            hour = in_day // 60
            step = min(end, (minute // 60 + 1) * 60) - minute
            cells[((weekday + day_offset) % 7, hour)] += Decimal(step * row["count"]) / 60
            minute += step
    return cells


@dataclass
class Heatmap:
    hours: list[int]
    # values[weekday][index of hour]: utilisation 0..n, or None where nobody is available at that hour
    values: list[list[float | None]]
    available: dict[Cell, Decimal]
    occupied: dict[Cell, Decimal]


def heatmap(available: dict[Cell, Decimal], occupied: dict[Cell, Decimal]) -> Heatmap:
    """Rows Monday..Sunday, columns the hours from the earliest to the latest hour with availability or sessions."""
    used = [hour for (_day, hour), value in {**available, **occupied}.items() if value]
    hours = list(range(min(used), max(used) + 1)) if used else list(range(6, 22))
    values = [
        [ratio(occupied.get((day, hour), 0), available.get((day, hour), 0)) for hour in hours] for day in range(7)
    ]
    return Heatmap(hours, values, dict(available), dict(occupied))
