import zoneinfo

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from apps.core.forms import ServiceFormMixin
from apps.core.money import currency_choices

from .models import Organization
from .services import clean_provisioning_fields


class AcceptInvitationForm(ServiceFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("Password (again)"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            from apps.accounts.models import User

            probe = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


TIMEZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class OrganizationProvisionForm(ServiceFormMixin, forms.ModelForm):
    """The platform admin's "add organization" form. Saving goes through organization_provision, whose field checks
    also run here when Django refuses a field, so that one submit shows every error."""

    service_field_check = clean_provisioning_fields

    timezone = forms.ChoiceField(label=_("Timezone"), choices=TIMEZONE_CHOICES, initial="UTC")
    # ISO 4217 currencies in use, named in the admin's language.
    currency = forms.ChoiceField(label=_("Currency"), choices=currency_choices, initial="USD")
    required_css_class = "required"  # the admin's bold labels for required fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.TextInput | forms.EmailInput):
                field.widget.attrs.setdefault("class", "vTextField")

    class Meta:
        model = Organization
        fields = ["name", "slug", "owner_email", "timezone", "currency", "default_vat_rate", "seat_limit"]

    def validate_unique(self):
        # Uniqueness and schema checks belong to the provisioning service.
        pass

    def _post_clean(self):
        # The instance is built by the service, not by the form.
        pass


class OrganizationChangeForm(forms.ModelForm):
    """The platform admin's form of an existing organization: the currency from the ISO 4217 list too."""

    currency = forms.ChoiceField(label=_("Currency"), choices=currency_choices)

    class Meta:
        model = Organization
        fields = ["currency"]  # the admin adds its own list of fields
