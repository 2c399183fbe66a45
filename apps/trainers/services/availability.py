"""Writes to a trainer's weekly availability and time off.

Rules (ARCHITECTURE.md "Domain model", issue 3 item 3):

* A slot is a weekday and a start and end wall time in the organization's timezone. A weekday may hold several
  slots; slots of the same weekday must not overlap, but may touch (09:00-12:00 and 12:00-15:00 are fine,
  and ``trainer_is_available`` reads touching slots as one window). The end must be after the start.
  A slot cannot span midnight; a slot that runs until midnight ends at ``END_OF_DAY`` ("24:00", stored as
  23:59:59.999999 because a ``TimeField`` cannot hold 24:00), and the next day may start at 00:00.
* Time off is a range of whole days, first and last day included. Overlapping time off is **refused**, not
  merged: each entry carries its own reason, and merging two would silently rewrite one of them. Ranges may
  touch (one ends on the 5th, the next starts on the 6th).
* Every write locks the trainer's row first (``SELECT ... FOR UPDATE``), so two concurrent writes for the
  same trainer run one after the other and cannot both pass the overlap check.
"""

from collections.abc import Mapping
from datetime import date, time
from typing import Any

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.access import Actor
from apps.audit.services import audit_record, field_changes, snapshot
from apps.core.errors import ApplicationError, FieldErrors, full_clean_or_raise

from ..models import AvailabilitySlot, TimeOff, Trainer, Weekday
from ..models import format_slot_time as format_slot_time  # re-exported: the forms and selectors import it from here
from ..permissions import can_edit_availability

END_OF_DAY = time.max

SLOT_FIELDS = ["weekday", "starts_at", "ends_at"]
TIME_OFF_FIELDS = ["starts_on", "ends_on", "reason"]


def describe_slot(weekday: int, starts_at: time, ends_at: time) -> str:
    return _("%(day)s %(start)s–%(end)s") % {
        "day": Weekday(weekday).label,
        "start": format_slot_time(starts_at),
        "end": format_slot_time(ends_at),
    }


def _lock_trainer(*, actor: Actor | None, trainer: Trainer) -> Trainer:
    if not can_edit_availability(actor, trainer):
        raise ApplicationError(_("You may not change this trainer's availability."))
    # of=("self",): lock the trainer's row only, not the user row joined for the name in the audit summary.
    return Trainer.objects.locked(trainer)


def clean_slot_fields(values: Mapping[str, Any]) -> None:
    """The slot's fields among ``values`` (SLOT_FIELDS), each checked on its own, or one ApplicationError naming
    every field refused. Forms call it on the fields they could parse."""
    errors = FieldErrors()
    if "weekday" in values and values["weekday"] not in Weekday.values:
        errors.add("weekday", _("Choose a weekday."))
    if "starts_at" in values:
        if values["starts_at"] is None:
            errors.add("starts_at", _("Choose a start time."))
        elif values["starts_at"] == END_OF_DAY:
            errors.add("starts_at", _("A slot cannot start at midnight at the end of the day."))
    if "ends_at" in values and values["ends_at"] is None:
        errors.add("ends_at", _("Choose an end time."))
    errors.raise_if_any()


def _check_slot(slot: AvailabilitySlot) -> None:
    clean_slot_fields({name: getattr(slot, name) for name in SLOT_FIELDS})
    if slot.ends_at <= slot.starts_at:
        raise ApplicationError(_("The end must be after the start."), {"field": "ends_at"})
    full_clean_or_raise(slot, exclude=["trainer"])
    clash = (
        AvailabilitySlot.objects.filter(
            trainer_id=slot.trainer_id,
            weekday=slot.weekday,
            starts_at__lt=slot.ends_at,
            ends_at__gt=slot.starts_at,
        )
        .exclude(pk=slot.pk)
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        raise ApplicationError(
            _("This overlaps %(slot)s. Slots on the same day may touch but not overlap.")
            % {"slot": describe_slot(clash.weekday, clash.starts_at, clash.ends_at)},
            {"field": "starts_at"},
        )


def _slot_for_update(slot: AvailabilitySlot, trainer: Trainer) -> AvailabilitySlot:
    locked: AvailabilitySlot | None = (
        AvailabilitySlot.objects.select_for_update().filter(pk=slot.pk, trainer=trainer).first()
    )
    if locked is None:
        raise ApplicationError(_("This slot no longer exists."))
    return locked


@transaction.atomic
def availability_slot_add(
    *, actor: Trainer, trainer: Trainer, weekday: int, starts_at: time, ends_at: time
) -> AvailabilitySlot:
    trainer = _lock_trainer(actor=actor, trainer=trainer)
    slot = AvailabilitySlot(trainer=trainer, weekday=weekday, starts_at=starts_at, ends_at=ends_at)
    _check_slot(slot)
    slot.save()
    audit_record(
        actor=actor,
        event="availability.slot_add",
        target=slot,
        params={"trainer": trainer.display_name, "slot": (weekday, starts_at, ends_at)},
        changes={field: [None, getattr(slot, field)] for field in SLOT_FIELDS},
    )
    return slot


@transaction.atomic
def availability_slot_update(
    *, actor: Trainer, slot: AvailabilitySlot, weekday: int, starts_at: time, ends_at: time
) -> AvailabilitySlot:
    trainer = _lock_trainer(actor=actor, trainer=slot.trainer)
    slot = _slot_for_update(slot, trainer)
    before = snapshot(slot, SLOT_FIELDS)
    slot.weekday, slot.starts_at, slot.ends_at = weekday, starts_at, ends_at
    changes = field_changes(slot, before, SLOT_FIELDS)
    if not changes:
        return slot
    _check_slot(slot)
    slot.save(update_fields=SLOT_FIELDS)
    audit_record(
        actor=actor,
        event="availability.slot_update",
        target=slot,
        params={
            "trainer": trainer.display_name,
            "old": (before["weekday"], before["starts_at"], before["ends_at"]),
            "new": (weekday, starts_at, ends_at),
        },
        changes=changes,
    )
    return slot


@transaction.atomic
def availability_slot_remove(*, actor: Trainer, slot: AvailabilitySlot) -> None:
    trainer = _lock_trainer(actor=actor, trainer=slot.trainer)
    slot = _slot_for_update(slot, trainer)
    audit_record(
        actor=actor,
        event="availability.slot_remove",
        target=slot,
        params={"trainer": trainer.display_name, "slot": (slot.weekday, slot.starts_at, slot.ends_at)},
        changes={field: [getattr(slot, field), None] for field in SLOT_FIELDS},
    )
    slot.delete()


def _describe_days(starts_on: date, ends_on: date) -> str:
    if starts_on == ends_on:
        return date_format(starts_on)
    return _("%(first)s to %(last)s") % {"first": date_format(starts_on), "last": date_format(ends_on)}


def clean_time_off_fields(values: Mapping[str, Any]) -> None:
    """The time off's fields among ``values`` (TIME_OFF_FIELDS), each checked on its own (the model's rules
    included), or one ApplicationError naming every field refused. Forms call it on the fields they could parse."""
    errors = FieldErrors()
    if "starts_on" in values and values["starts_on"] is None:
        errors.add("starts_on", _("Choose the first day."))
    if "ends_on" in values and values["ends_on"] is None:
        errors.add("ends_on", _("Choose the last day."))
    given = {name: values[name] for name in TIME_OFF_FIELDS if name in values and name not in errors.errors}
    others = [field.name for field in TimeOff._meta.fields if field.name not in given]
    errors.check(None, full_clean_or_raise, TimeOff(**given), exclude=others, fields_only=True)
    errors.raise_if_any()


def _check_time_off(time_off: TimeOff) -> None:
    clean_time_off_fields({name: getattr(time_off, name) for name in TIME_OFF_FIELDS})
    if time_off.ends_on < time_off.starts_on:
        raise ApplicationError(_("The last day cannot be before the first day."), {"field": "ends_on"})
    full_clean_or_raise(time_off, exclude=["trainer"])
    clash = (
        TimeOff.objects.filter(
            trainer_id=time_off.trainer_id, starts_on__lte=time_off.ends_on, ends_on__gte=time_off.starts_on
        )
        .exclude(pk=time_off.pk)
        .order_by("starts_on")
        .first()
    )
    if clash is not None:
        raise ApplicationError(
            _("This overlaps the time off of %(days)s. Change or remove that one instead.")
            % {"days": _describe_days(clash.starts_on, clash.ends_on)},
            {"field": "starts_on"},
        )


def _time_off_for_update(time_off: TimeOff, trainer: Trainer) -> TimeOff:
    locked: TimeOff | None = TimeOff.objects.select_for_update().filter(pk=time_off.pk, trainer=trainer).first()
    if locked is None:
        raise ApplicationError(_("This time off no longer exists."))
    return locked


@transaction.atomic
def time_off_add(*, actor: Trainer, trainer: Trainer, starts_on: date, ends_on: date, reason: str = "") -> TimeOff:
    """Days off from ``starts_on`` to ``ends_on``, both included. Overlapping time off is refused."""
    trainer = _lock_trainer(actor=actor, trainer=trainer)
    time_off = TimeOff(trainer=trainer, starts_on=starts_on, ends_on=ends_on, reason=(reason or "").strip())
    _check_time_off(time_off)
    time_off.save()
    audit_record(
        actor=actor,
        event="availability.time_off_add",
        target=time_off,
        params={"trainer": trainer.display_name, "days": (starts_on, ends_on)},
        changes={field: [None, getattr(time_off, field)] for field in TIME_OFF_FIELDS},
    )
    return time_off


@transaction.atomic
def time_off_update(*, actor: Trainer, time_off: TimeOff, starts_on: date, ends_on: date, reason: str = "") -> TimeOff:
    """Change the days or the reason. Overlapping another entry of the same trainer is refused."""
    trainer = _lock_trainer(actor=actor, trainer=time_off.trainer)
    time_off = _time_off_for_update(time_off, trainer)
    before = snapshot(time_off, TIME_OFF_FIELDS)
    time_off.starts_on, time_off.ends_on, time_off.reason = starts_on, ends_on, (reason or "").strip()
    changes = field_changes(time_off, before, TIME_OFF_FIELDS)
    if not changes:
        return time_off
    _check_time_off(time_off)
    time_off.save(update_fields=TIME_OFF_FIELDS)
    audit_record(
        actor=actor,
        event="availability.time_off_update",
        target=time_off,
        params={
            "trainer": trainer.display_name,
            "old": (before["starts_on"], before["ends_on"]),
            "new": (starts_on, ends_on),
        },
        changes=changes,
    )
    return time_off


@transaction.atomic
def time_off_remove(*, actor: Trainer, time_off: TimeOff) -> None:
    trainer = _lock_trainer(actor=actor, trainer=time_off.trainer)
    time_off = _time_off_for_update(time_off, trainer)
    audit_record(
        actor=actor,
        event="availability.time_off_remove",
        target=time_off,
        params={"trainer": trainer.display_name, "days": (time_off.starts_on, time_off.ends_on)},
        changes={field: [getattr(time_off, field), None] for field in TIME_OFF_FIELDS},
    )
    time_off.delete()
