from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from django import forms

from .errors import ApplicationError


class ServiceFormMixin:
    """Turn an ApplicationError from a service into form errors, each on its field (or on the whole form).

    A service may name its fields differently from the form (``starts_at`` for the form's ``start``):
    ``service_fields`` maps the service's names to the form's, and ``form_field`` may be overridden for
    names that need more than a lookup.

    The rules stay in the service. When Django cannot parse one field (a word in a number field), the view never
    reaches the service; ``service_field_check`` (the service's own check of single fields, given
    ``{service name: value}`` for the fields that did parse) then still reports the other fields' complaints in the
    same response. Cross-field rules wait until every field is valid.
    """

    service_fields: ClassVar[dict[str, str]] = {}
    service_field_check: ClassVar[Callable[[Mapping[str, Any]], object] | None] = None

    def form_field(self, service_field):
        return self.service_fields.get(service_field, service_field)

    def service_field(self, form_field):
        for service_name, form_name in self.service_fields.items():
            if form_name == form_field:
                return service_name
        return form_field

    def add_application_error(self, error: ApplicationError):
        for service_field, messages in error.field_errors.items():
            field = self.form_field(service_field) if service_field else None
            for message in messages:
                self.add_error(field if field in self.fields else None, message)

    def service_values(self) -> dict[str, Any]:
        """The parsed values under the service's names."""
        return {self.service_field(name): value for name, value in self.cleaned_data.items()}

    def check_service_fields(self, values: dict[str, Any]) -> None:
        """Run the service's check of single fields on ``values``; override when it needs more (the form's client)."""
        check = type(self).service_field_check
        if check is not None:
            check(values)

    def clean(self):
        cleaned = super().clean()  # type: ignore[misc]
        if self._errors:  # type: ignore[attr-defined]  # Django refused a field: the service never runs
            try:
                self.check_service_fields(self.service_values())
            except ApplicationError as error:
                refused = set(self._errors)  # type: ignore[attr-defined]
                for service_field, messages in error.field_errors.items():
                    field = self.form_field(service_field) if service_field else None
                    if field in refused:
                        continue  # Django's own complaint about that field says enough
                    for message in messages:
                        self.add_error(field if field in self.fields else None, message)
        return cleaned


class ServiceForm(ServiceFormMixin, forms.Form):
    pass
