"""Reads of availability and time off: the "is the trainer available?" answer and the week grid.

Slots hold wall times of the organization's timezone (``connection.tenant.timezone``). A slot of Monday
09:00-17:00 means 09:00-17:00 on every Monday as the gym's clock shows it, so on the days daylight saving time
starts or ends the slot is an hour shorter or longer in absolute time. Wall times that do not exist on such a
day (02:30 in Berlin on the last Sunday of March) are read as PEP 495 reads them with ``fold=0``: with the
offset in force before the change.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import cast

from django.db.models import QuerySet
from django.utils import timezone

from apps.access import Actor
from apps.core.dates import gym_timezone, gym_today

from ..models import AvailabilitySlot, TimeOff, Trainer
from ..permissions import can_edit_availability
from ..services.availability import END_OF_DAY, format_slot_time

# The grid shows at least these hours, more when a slot starts earlier or ends later.
GRID_FIRST_HOUR = 6
GRID_LAST_HOUR = 22


def _instant(day: date, wall_time: time, zone: tzinfo) -> datetime:
    """The UTC instant at which ``wall_time`` of ``day`` happens in ``zone`` (24:00 is the next midnight)."""
    if wall_time == END_OF_DAY:
        day, wall_time = day + timedelta(days=1), time(0)
    return datetime.combine(day, wall_time, tzinfo=zone).astimezone(UTC)


def trainer_is_available(*, trainer: Trainer, starts_at: datetime, ends_at: datetime) -> bool:
    """Whether ``trainer`` works the whole of ``[starts_at, ends_at)`` and has no time off on any day of it.

    ``starts_at`` and ``ends_at`` are aware datetimes in any timezone; they are read in the organization's
    timezone. The interval must lie inside one window of the weekly schedule, where slots that touch are one
    window: 09:00-12:00 and 12:00-15:00 cover 11:00-13:00, and Monday until 24:00 with Tuesday from 00:00
    covers a session from 23:30 to 00:30. A gap of even a minute between two slots breaks the window. Any day
    of the interval (in the organization's timezone) falling inside time off makes the answer False; an
    interval that ends exactly at midnight does not touch the next day. An empty or reversed interval is
    never available.

    The answer does not depend on who asks (the sessions code asks it for the trainer of a booking), so it
    takes no actor; callers decide whether the asker may see ``trainer`` at all. Two queries.
    """
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("trainer_is_available needs aware datetimes")
    if ends_at <= starts_at:
        return False
    zone = gym_timezone()
    start, end = starts_at.astimezone(UTC), ends_at.astimezone(UTC)
    first_day = start.astimezone(zone).date()
    last_day = (end - timedelta(microseconds=1)).astimezone(zone).date()
    if TimeOff.objects.filter(trainer=trainer, starts_on__lte=last_day, ends_on__gte=first_day).exists():
        return False

    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    slots_by_weekday: dict[int, list[AvailabilitySlot]] = {}
    for slot in AvailabilitySlot.objects.filter(trainer=trainer, weekday__in={day.weekday() for day in days}):
        slots_by_weekday.setdefault(slot.weekday, []).append(slot)
    windows = sorted(
        (_instant(day, slot.starts_at, zone), _instant(day, slot.ends_at, zone))
        for day in days
        for slot in slots_by_weekday.get(day.weekday(), [])
    )
    window_start = window_end = None
    for slot_start, slot_end in windows:
        if window_end is not None and slot_start <= window_end:
            window_end = max(window_end, slot_end)  # touches (or, from older data, overlaps) the window
        else:
            window_start, window_end = slot_start, slot_end
        # window_start is set whenever window_end is
        if cast(datetime, window_start) <= start and end <= window_end:
            return True
    return False


# The week grid ------------------------------------------------------------------------------------------


@dataclass
class SlotBlock:
    slot: AvailabilitySlot
    top: float  # percent of the day column's height
    height: float

    @property
    def start_label(self) -> str:
        return format_slot_time(self.slot.starts_at)

    @property
    def end_label(self) -> str:
        return format_slot_time(self.slot.ends_at)


@dataclass
class GridDay:
    date: date
    is_today: bool
    slots: list[SlotBlock] = field(default_factory=list)
    time_off: list[TimeOff] = field(default_factory=list)

    @property
    def weekday(self) -> int:
        return self.date.weekday()


@dataclass
class WeekGrid:
    trainer: Trainer
    week_start: date
    today: date
    timezone_name: str
    first_hour: int
    last_hour: int
    days: list[GridDay]
    time_off: list[TimeOff]  # overlapping this week

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def previous_week(self) -> date:
        return self.week_start - timedelta(days=7)

    @property
    def next_week(self) -> date:
        return self.week_start + timedelta(days=7)

    @property
    def this_week(self) -> date:
        return week_start_of(self.today)

    @property
    def hours(self) -> list[str]:
        return [f"{hour:02d}:00" for hour in range(self.first_hour, self.last_hour)]

    @property
    def hour_count(self) -> int:
        return self.last_hour - self.first_hour

    @property
    def slot_count(self) -> int:
        return sum(len(day.slots) for day in self.days)


def week_start_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def organization_today() -> date:
    return gym_today()


def parse_week(value: str | None) -> date:
    """The Monday of the week holding the ISO date ``value``; this week (in the gym's timezone) otherwise."""
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        day = None
    if day is None or not 1900 <= day.year <= 2999:
        day = organization_today()
    return week_start_of(day)


def _minutes(value: time) -> int:
    return 24 * 60 if value == END_OF_DAY else value.hour * 60 + value.minute


def availability_slot_get(*, actor: Actor | None, trainer: Trainer, pk: int) -> AvailabilitySlot | None:
    """A slot of ``trainer`` that ``actor`` may change, or None."""
    if not can_edit_availability(actor, trainer):
        return None
    slot = AvailabilitySlot.objects.visible_to(actor).filter(trainer=trainer, pk=pk).first()
    if slot is not None:
        slot.trainer = trainer
    return slot


def time_off_get(*, actor: Actor | None, trainer: Trainer, pk: int) -> TimeOff | None:
    """Time off of ``trainer`` that ``actor`` may change, or None."""
    if not can_edit_availability(actor, trainer):
        return None
    time_off = TimeOff.objects.visible_to(actor).filter(trainer=trainer, pk=pk).first()
    if time_off is not None:
        time_off.trainer = trainer
    return time_off


def time_off_list(*, actor: Actor | None, trainer: Trainer, since: date) -> list[TimeOff]:
    """Time off of ``trainer`` that has not ended before ``since``, soonest first."""
    return list(
        TimeOff.objects.visible_to(actor).filter(trainer=trainer, ends_on__gte=since).order_by("starts_on")[:100]
    )


def availability_week(*, actor: Actor | None, trainer: Trainer, week_start: date) -> WeekGrid:
    """The weekly slots of ``trainer`` laid out on the week starting ``week_start`` (a Monday), with the time
    off overlapping that week. Two queries, whatever the number of slots."""
    zone = gym_timezone()
    today = timezone.localdate(timezone=zone)
    week_end = week_start + timedelta(days=6)
    slots = list(AvailabilitySlot.objects.visible_to(actor).filter(trainer=trainer).order_by("weekday", "starts_at"))
    time_off = list(
        TimeOff.objects.visible_to(actor)
        .filter(trainer=trainer, starts_on__lte=week_end, ends_on__gte=week_start)
        .order_by("starts_on")
    )
    first_hour = min([GRID_FIRST_HOUR] + [slot.starts_at.hour for slot in slots])
    last_hour = max([GRID_LAST_HOUR] + [-(-_minutes(slot.ends_at) // 60) for slot in slots])
    span = (last_hour - first_hour) * 60
    days = [GridDay(date=week_start + timedelta(days=n), is_today=False) for n in range(7)]
    for day in days:
        day.is_today = day.date == today
        day.time_off = [entry for entry in time_off if entry.starts_on <= day.date <= entry.ends_on]
    for slot in slots:
        slot.trainer = trainer
        start = _minutes(slot.starts_at) - first_hour * 60
        length = _minutes(slot.ends_at) - _minutes(slot.starts_at)
        days[slot.weekday].slots.append(
            SlotBlock(slot=slot, top=round(100 * start / span, 3), height=round(100 * length / span, 3))
        )
    return WeekGrid(
        trainer=trainer,
        week_start=week_start,
        today=today,
        timezone_name=zone.key,
        first_hour=first_hour,
        last_hour=last_hour,
        days=days,
        time_off=time_off,
    )


def weekly_slots(*, actor: Actor | None, trainer: Trainer) -> QuerySet[AvailabilitySlot]:
    """The trainer's weekly hours, by weekday and start (empty when the actor may not see them)."""
    return AvailabilitySlot.objects.visible_to(actor).filter(trainer=trainer).order_by("weekday", "starts_at", "pk")


@dataclass
class WorkingHours:
    """The weekly slots and the time off of several trainers over some days, read once for a calendar."""

    slots: dict[int, list[AvailabilitySlot]]  # by trainer id
    time_off: dict[int, list[TimeOff]]  # by trainer id

    def windows(self, trainer_id: int, day: date) -> list[tuple[int, int]]:
        """The working windows of ``trainer_id`` on ``day`` in minutes of the gym's wall clock (0-1440), touching
        slots merged into one; none on a day of time off."""
        if self.is_off(trainer_id, day):
            return []
        spans = sorted(
            (_minutes(slot.starts_at), _minutes(slot.ends_at))
            for slot in self.slots.get(trainer_id, [])
            if slot.weekday == day.weekday()
        )
        merged: list[tuple[int, int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged

    def time_off_on(self, trainer_id: int, day: date) -> TimeOff | None:
        return next(
            (entry for entry in self.time_off.get(trainer_id, []) if entry.starts_on <= day <= entry.ends_on), None
        )

    def is_off(self, trainer_id: int, day: date) -> bool:
        return self.time_off_on(trainer_id, day) is not None

    def covers(self, trainer_id: int, day: date, start_minute: int, end_minute: int) -> bool:
        """Whether one window of that day holds ``[start_minute, end_minute)`` (minutes of the day)."""
        return any(start <= start_minute and end_minute <= end for start, end in self.windows(trainer_id, day))


def working_hours(*, actor: Actor | None, trainer_ids: list[int], first_day: date, last_day: date) -> WorkingHours:
    """Slots and time off of ``trainer_ids`` (those the actor may see) from ``first_day`` to ``last_day``, for the
    calendar's background. Two queries, whatever the number of trainers."""
    slots: dict[int, list[AvailabilitySlot]] = {}
    for slot in AvailabilitySlot.objects.visible_to(actor).filter(trainer_id__in=trainer_ids).order_by("starts_at"):
        slots.setdefault(slot.trainer_id, []).append(slot)
    time_off: dict[int, list[TimeOff]] = {}
    for entry in TimeOff.objects.visible_to(actor).filter(
        trainer_id__in=trainer_ids, starts_on__lte=last_day, ends_on__gte=first_day
    ):
        time_off.setdefault(entry.trainer_id, []).append(entry)
    return WorkingHours(slots=slots, time_off=time_off)


def minutes_of_day(value: time) -> int:
    """Minutes since midnight of a wall time (24:00, the end of the day, is 1440)."""
    return _minutes(value)
