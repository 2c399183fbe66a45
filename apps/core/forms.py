from django import forms

from .errors import ApplicationError


class ServiceFormMixin:
    """Turn an ApplicationError from a service into a form error on its field (or the whole form)."""

    def add_application_error(self, error: ApplicationError):
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


class ServiceForm(ServiceFormMixin, forms.Form):
    pass
