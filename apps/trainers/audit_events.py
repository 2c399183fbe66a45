"""What the audit log says about trainers' profiles, availability, pricing, specialties, assistants and API keys
(see apps/audit/events.py)."""

import re
from datetime import time
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext_lazy

from apps.audit.events import COUNT, MONEY, NAMES, RANGE_OF_DAYS, TEXT, Choice, Event, Fields, Kind, Legacy, register
from apps.audit.events import compile_template as compile_words

from .models import Trainer, Weekday, format_slot_time

SLOT_WORDS = _("%(day)s %(start)s–%(end)s")
WEEKDAY = Choice(Weekday)


class Time(Kind):
    """A time of day as the slot's words show it ("09:00", the end of the day "24:00"), stored as that text."""

    pattern = r"\d{2}:\d{2}"

    def dump(self, value: Any) -> str:
        return format_slot_time(value)

    def parse(self, text: str, language: str) -> str:
        if not re.fullmatch(self.pattern, text):
            raise ValueError(f"not a time: {text!r}")
        return text

    def example(self) -> time:
        return time(9)


class Slot(Kind):
    """A weekly slot, given as ``(weekday, starts_at, ends_at)``: "Monday 09:00–12:00" (the end of the day "24:00")."""

    pattern = r".+?"

    def dump(self, value: Any) -> dict[str, Any]:
        weekday, starts_at, ends_at = value
        if not isinstance(starts_at, time) or not isinstance(ends_at, time):
            raise TypeError(f"a slot is (weekday, time, time), got {value!r}")
        return {
            "weekday": WEEKDAY.dump(weekday),
            "start": format_slot_time(starts_at),
            "end": format_slot_time(ends_at),
        }

    def show(self, stored: Any) -> str:
        return SLOT_WORDS % {"day": WEEKDAY.show(stored["weekday"]), "start": stored["start"], "end": stored["end"]}

    def parse(self, text: str, language: str) -> dict[str, Any]:
        with translation.override(language):
            match = compile_words(str(SLOT_WORDS), {"day": WEEKDAY, "start": Time(), "end": Time()}).fullmatch(text)
        if match is None or not all(re.fullmatch(r"\d{2}:\d{2}", match[part]) for part in ("start", "end")):
            raise ValueError(f"not a slot: {text!r}")
        return {"weekday": WEEKDAY.parse(match["day"], language), "start": match["start"], "end": match["end"]}

    def example(self) -> tuple[int, time, time]:
        return Weekday.MONDAY, time(9), time.max


SLOT = Slot()
TERMS = {"trainer": TEXT, "sessions": COUNT, "price": MONEY, "days": COUNT}
OLD_TERMS = {"terms": gettext_noop("%(sessions)d sessions for %(price)s, valid %(days)d days.")}
SPECIALTY = {"name": TEXT}
CERTIFICATION = {"certification": TEXT, "name": TEXT}

register(
    Event("specialty.create", _("Specialty “%(name)s” added."), SPECIALTY),
    Event("specialty.rename", _("Specialty “%(old)s” renamed to “%(new)s”."), {"old": TEXT, "new": TEXT}),
    Event("specialty.reactivate", _("Specialty “%(name)s” is offered again."), SPECIALTY),
    Event(
        "specialty.deactivate",
        _("Specialty “%(name)s” is no longer offered; trainers who have it keep it."),
        SPECIALTY,
    ),
    Event("specialty.delete", _("Specialty “%(name)s” deleted."), SPECIALTY),
    Event("trainer.assists", _("%(assistant)s now assists: %(trainers)s."), {"assistant": TEXT, "trainers": NAMES}),
    Event(
        "pricing_template.create",
        ngettext_lazy(
            "Pricing template for %(trainer)s created: %(sessions)d session for %(price)s, valid %(days)d days.",
            "Pricing template for %(trainer)s created: %(sessions)d sessions for %(price)s, valid %(days)d days.",
            "sessions",
        ),
        TERMS,
        legacy=[Legacy(gettext_noop("Pricing template for %(trainer)s created: %(terms)s"), OLD_TERMS)],
    ),
    Event(
        "pricing_template.update",
        ngettext_lazy(
            "Pricing template of %(trainer)s changed: %(sessions)d session for %(price)s, valid %(days)d days.",
            "Pricing template of %(trainer)s changed: %(sessions)d sessions for %(price)s, valid %(days)d days.",
            "sessions",
        ),
        TERMS,
        legacy=[Legacy(gettext_noop("Pricing template of %(trainer)s changed: %(terms)s"), OLD_TERMS)],
    ),
    Event("pricing_template.reactivate", _("Put on sale again.")),
    Event("pricing_template.deactivate", _("Taken off sale.")),
    Event("api_key.create_read_write", _("Read-write key created."), action="api_key.create"),
    Event("api_key.create_read_only", _("Read-only key created."), action="api_key.create"),
    Event("api_key.revoke", _("Revoked.")),
    Event(
        "availability.slot_add",
        _("Availability of %(trainer)s: added %(slot)s."),
        {"trainer": TEXT, "slot": SLOT},
    ),
    Event(
        "availability.slot_update",
        _("Availability of %(trainer)s: %(old)s changed to %(new)s."),
        {"trainer": TEXT, "old": SLOT, "new": SLOT},
    ),
    Event(
        "availability.slot_remove",
        _("Availability of %(trainer)s: removed %(slot)s."),
        {"trainer": TEXT, "slot": SLOT},
    ),
    Event(
        "availability.time_off_add",
        _("Time off of %(trainer)s: added %(days)s."),
        {"trainer": TEXT, "days": RANGE_OF_DAYS},
    ),
    Event(
        "availability.time_off_update",
        _("Time off of %(trainer)s: %(old)s changed to %(new)s."),
        {"trainer": TEXT, "old": RANGE_OF_DAYS, "new": RANGE_OF_DAYS},
    ),
    Event(
        "availability.time_off_remove",
        _("Time off of %(trainer)s: removed %(days)s."),
        {"trainer": TEXT, "days": RANGE_OF_DAYS},
    ),
    Event(
        "trainer.profile_update",
        _("Profile of %(name)s updated: %(fields)s."),
        {"name": TEXT, "fields": Fields(Trainer)},
    ),
    Event(
        "certification.create",
        _("Certification “%(certification)s” added to the profile of %(name)s."),
        CERTIFICATION,
    ),
    Event("certification.update", _("Certification “%(certification)s” of %(name)s updated."), CERTIFICATION),
    Event(
        "certification.delete",
        _("Certification “%(certification)s” removed from the profile of %(name)s."),
        CERTIFICATION,
    ),
    Event("trainer.photo_set", _("Photo of %(name)s updated."), {"name": TEXT}),
    Event("trainer.photo_remove", _("Photo of %(name)s removed."), {"name": TEXT}),
)
