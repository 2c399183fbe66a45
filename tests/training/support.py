from datetime import UTC, datetime, time, timedelta

from apps.core.dates import gym_today
from apps.trainers.models import AvailabilitySlot
from apps.trainers.services.availability import END_OF_DAY


def all_week(trainer):
    """``trainer`` works around the clock every day."""
    for weekday in range(7):
        AvailabilitySlot.objects.create(trainer=trainer, weekday=weekday, starts_at=time(0), ends_at=END_OF_DAY)


def at(days, hour=10, minute=0):
    """An aware datetime ``days`` from today at ``hour:minute`` (the test gym runs on UTC)."""
    return datetime.combine(gym_today() + timedelta(days=days), time(hour, minute), tzinfo=UTC)
