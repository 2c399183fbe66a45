"""Shared serializer pieces: refuse unknown fields, name a trainer, money as a decimal string with its currency."""

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.fields import SkipField

from apps.core.errors import ApplicationError


class StrictSerializer(serializers.Serializer):
    """Input serializer that refuses fields it does not know (a typo must not be silently ignored)."""

    # Like the pages' forms (apps.core.forms.ServiceFormMixin): the service's own check of single fields, run on
    # the fields that parsed when another did not, so that one 400 names every field. (A comment, not the
    # docstring: that one is in the API's schema.)
    service_field_check: ClassVar[Callable[[Mapping[str, Any]], object] | None] = None

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            check = type(self).service_field_check
            if check is not None and isinstance(error.detail, dict):
                self._add_service_complaints(check, data, error.detail)
            raise

    def _add_service_complaints(self, check, data, detail):
        parsed = {}
        for field in self._writable_fields:
            if field.field_name in detail:
                continue
            try:
                parsed[field.field_name] = field.run_validation(field.get_value(data))
            except (serializers.ValidationError, SkipField):
                continue
        try:
            check(parsed)
        except ApplicationError as refused:
            for name, messages in refused.field_errors.items():
                key = name or "non_field_errors"
                if key not in detail:  # the serializer's own complaint about that field says enough
                    detail[key] = [ErrorDetail(message, code="invalid") for message in messages]


class TrainerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)
