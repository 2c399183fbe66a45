from datetime import datetime, time

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.dates import gym_timezone
from apps.core.forms import ServiceForm

from ..services.api_keys import clean_api_key_fields


class ApiKeyForm(ServiceForm):
    service_fields = {"expires_at": "expires_on"}

    name = forms.CharField(
        label=_("Name"), max_length=80, help_text=_("The program that will use it, such as “Website”.")
    )
    writable = forms.TypedChoiceField(
        label=_("Access"),
        choices=[("", _("Read only")), ("1", _("Read and write"))],
        coerce=bool,
        empty_value=False,
        required=False,
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a key that lasts until you revoke it."),
    )

    def service_kwargs(self):
        """The fields that parsed, as ``api_key_create`` takes them."""
        kwargs = dict(self.cleaned_data)
        if "expires_on" in kwargs:
            expires_on = kwargs.pop("expires_on")
            # The key works through the whole of its last day, in the gym's timezone.
            kwargs["expires_at"] = (
                None if expires_on is None else datetime.combine(expires_on, time.max, tzinfo=gym_timezone())
            )
        return kwargs

    def check_service_fields(self, values):
        clean_api_key_fields(self.service_kwargs())
