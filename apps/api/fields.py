"""Input fields that refuse what PostgreSQL would refuse later: times with an offset beyond ±14:00 (no place on
Earth has one; PostgreSQL's own limit is ±15:59 and a larger one would be a server error, not an answer)."""

from datetime import UTC, timedelta

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

MAX_OFFSET = timedelta(hours=14)
OFFSET_MESSAGE = _("Give the time with an offset between -14:00 and +14:00.")


def _in_utc(value):
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_OFFSET:
        return None
    return value.astimezone(UTC) if offset is not None else value


class AwareDateTimeField(serializers.DateTimeField):
    def enforce_timezone(self, value):
        # Checked before REST framework moves the value to the current timezone, which hides the offset sent.
        if _in_utc(value) is None:
            raise serializers.ValidationError(str(OFFSET_MESSAGE))
        return super().enforce_timezone(value)


class _IsoDateTimeFormField(django_filters.fields.IsoDateTimeField):
    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None:
            return None
        parsed = _in_utc(parsed)
        if parsed is None:
            raise forms.ValidationError(OFFSET_MESSAGE)
        return parsed


class AwareDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = _IsoDateTimeFormField
