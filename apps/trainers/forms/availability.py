from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import ServiceForm

from ..models import Weekday
from ..services.availability import END_OF_DAY, clean_slot_fields, clean_time_off_fields, format_slot_time

STEP_MINUTES = 15


def _quarter_hours():
    return [f"{minutes // 60:02d}:{minutes % 60:02d}" for minutes in range(0, 24 * 60, STEP_MINUTES)]


START_CHOICES = [(value, value) for value in _quarter_hours()]
END_CHOICES = [(value, value) for value in _quarter_hours()[1:] + ["24:00"]]


def parse_slot_time(value):
    """ "HH:MM" to a time; "24:00" is the end of the day."""
    if value == "24:00":
        return END_OF_DAY
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


class SlotForm(ServiceForm):
    """Times in quarter hours; a slot saved at another minute (admin, import) keeps its own times as choices."""

    service_field_check = clean_slot_fields

    weekday = forms.TypedChoiceField(label=_("Day"), choices=Weekday.choices, coerce=int)
    starts_at = forms.TypedChoiceField(label=_("From"), choices=START_CHOICES, coerce=parse_slot_time)
    ends_at = forms.TypedChoiceField(label=_("Until"), choices=END_CHOICES, coerce=parse_slot_time)

    def __init__(self, *args, slot=None, **kwargs):
        if slot is None:
            initial = {"weekday": Weekday.MONDAY, "starts_at": "09:00", "ends_at": "17:00"}
        else:
            initial = {
                "weekday": slot.weekday,
                "starts_at": format_slot_time(slot.starts_at),
                "ends_at": format_slot_time(slot.ends_at),
            }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        if slot is not None:
            for name, value in (("starts_at", slot.starts_at), ("ends_at", slot.ends_at)):
                label = format_slot_time(value)
                choices = list(self.fields[name].choices)
                if label not in dict(choices):
                    self.fields[name].choices = sorted([*choices, (label, label)])


class TimeOffForm(ServiceForm):
    service_field_check = clean_time_off_fields

    starts_on = forms.DateField(label=_("First day"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=200)
