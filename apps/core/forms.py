from django import forms

from .errors import ApplicationError


class ServiceFormMixin:
    """Turn an ApplicationError from a service into form errors, each on its field (or on the whole form).

    A service may name its fields differently from the form (``starts_at`` for the form's ``start``):
    ``service_fields`` maps the service's names to the form's, and ``form_field`` may be overridden for
    names that need more than a lookup.
    """

    service_fields: dict[str, str] = {}

    def form_field(self, service_field):
        return self.service_fields.get(service_field, service_field)

    def add_application_error(self, error: ApplicationError):
        for service_field, messages in error.field_errors.items():
            field = self.form_field(service_field) if service_field else None
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class ServiceForm(ServiceFormMixin, forms.Form):
    pass
