"""Forms of the packages, calendar and payment pages. They parse input; the rules and messages are the services'."""

from datetime import datetime
from decimal import Decimal

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from apps.core.dates import gym_timezone
from apps.core.forms import ServiceForm
from apps.core.money import minor_unit, money_quantum

from .expiry import EXPIRING_DEFAULT_DAYS, EXPIRING_WINDOWS
from .models import PaymentMethod, PricingMode
from .services.packages import clean_package_fields
from .services.payments import clean_payment_fields
from .services.sessions import clean_session_times


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return getattr(obj, "display_name", None) or str(obj)


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.trainer.display_name}: {obj.name}"


class PackageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(client)s: %(name)s (%(left)d left to book; %(booked)d booked, %(used)d used)") % {
            "client": obj.client,
            "name": obj.name,
            "left": obj.left_to_book,
            "booked": obj.booked_sessions,
            "used": obj.used_sessions,
        }


def _money_widget(currency):
    step = str(money_quantum(currency)) if minor_unit(currency) else "1"
    return forms.NumberInput(attrs={"min": 0, "step": step, "inputmode": "decimal"})


def percent_to_rate(value):
    """10 (percent, as typed) -> Decimal("0.1"); None stays None (the organization's default applies)."""
    return None if value is None else Decimal(value) / 100


class PackageSellForm(ServiceForm):
    service_fields = {"vat_rate": "vat_percent", "card_fee_rate": "card_fee_percent"}

    client = NamedChoiceField(label=_("Client"), queryset=None)
    pricing_template = TemplateChoiceField(
        label=_("Pricing template"),
        queryset=None,
        required=False,
        empty_label=_("Custom package"),
        help_text=_("A template fills in the name, sessions, price and expiry; leave those empty to use them."),
    )
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    total_sessions = forms.IntegerField(label=_("Sessions"), required=False)
    price = forms.DecimalField(label=_("Price"), required=False)
    pricing_mode = forms.ChoiceField(
        label=_("VAT in the price"), choices=PricingMode.choices, initial=PricingMode.INCLUSIVE
    )
    vat_percent = forms.DecimalField(
        label=_("VAT (%)"), required=False, decimal_places=2, help_text=_("Empty: the organization's rate.")
    )
    card_fee_percent = forms.DecimalField(
        label=_("Card fee (%)"), required=False, decimal_places=2, help_text=_("Empty: the organization's rate.")
    )
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, clients, templates, currency, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["client"].queryset = clients
        self.fields["pricing_template"].queryset = templates
        self.fields["price"].widget = _money_widget(currency)
        if currency:
            self.fields["price"].help_text = _("In %(currency)s.") % {"currency": currency}

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "client": data.get("client"),
            "pricing_template": data.get("pricing_template"),
            "name": data.get("name") or None,
            "total_sessions": data.get("total_sessions"),
            "price": data.get("price"),
            "pricing_mode": data.get("pricing_mode"),
            "vat_rate": percent_to_rate(data.get("vat_percent")),
            "card_fee_rate": percent_to_rate(data.get("card_fee_percent")),
            "expires_on": data.get("expires_on"),
        }

    def check_service_fields(self, values):
        # The client and the template are looked up by the sale itself; empty terms may come from the template.
        clean_package_fields(self.service_kwargs(), self.currency)


class PaymentForm(ServiceForm):
    amount = forms.DecimalField(label=_("Amount"))
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices, initial=PaymentMethod.CARD)
    paid_at = forms.DateTimeField(
        label=_("Paid at"),
        required=False,
        help_text=_("Empty: now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, currency, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["amount"].widget = _money_widget(currency)

    def check_service_fields(self, values):
        clean_payment_fields(values, self.currency)

    def clean_paid_at(self):
        value = self.cleaned_data.get("paid_at")
        if value is not None:
            # Typed in the gym's clock, whatever the server's timezone is.
            value = value.replace(tzinfo=None).replace(tzinfo=gym_timezone())
        return value


class SessionTimeChecks:
    """Booking and moving share the time's rules: when Django refuses a field, the service's checks of the
    duration and (when the day and the time both parsed) the start still report their complaints."""

    def check_service_fields(self, values):
        day, start = values.get("day"), values.get("starts_at")
        starts_at = datetime.combine(day, start, tzinfo=gym_timezone()) if day and start else None
        clean_session_times(duration_minutes=values.get("duration_minutes"), starts_at=starts_at)


class SessionScheduleForm(SessionTimeChecks, ServiceForm):
    service_fields = {"starts_at": "start"}

    client = NamedChoiceField(label=_("Client"), queryset=None)
    trainer = NamedChoiceField(label=_("Trainer"), queryset=None, required=False, empty_label=_("The client's trainer"))
    package = PackageChoiceField(label=_("Package"), queryset=None, required=False, empty_label=_("No package"))
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), initial=60, widget=forms.NumberInput(attrs={"min": 15, "max": 480, "step": 5})
    )
    confirm_unavailable = forms.BooleanField(label=_("Book anyway, outside the trainer's availability"), required=False)

    def __init__(self, *args, clients, trainers, packages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients
        self.fields["package"].queryset = packages
        if trainers is None:
            del self.fields["trainer"]
        else:
            self.fields["trainer"].queryset = trainers


class SessionEditForm(SessionTimeChecks, ServiceForm):
    """Move or edit a scheduled session: the same time fields as booking, its package and notes."""

    service_fields = {"starts_at": "start"}

    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), widget=forms.NumberInput(attrs={"min": 15, "max": 480, "step": 5})
    )
    package = PackageChoiceField(label=_("Package"), queryset=None, required=False, empty_label=_("No package"))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    confirm_unavailable = forms.BooleanField(label=_("Book anyway, outside the trainer's availability"), required=False)

    def __init__(self, *args, packages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["package"].queryset = packages


class SessionCompleteForm(ServiceForm):
    notes = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        help_text=_("What you worked on; shown on the client's timeline."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SessionCancelForm(ServiceForm):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("For example: the client is ill")}),
    )
    by = forms.ChoiceField(
        label=_("Who cancels"),
        choices=[("client", _("The client cancels")), ("trainer", _("The trainer calls it off"))],
        required=False,
    )


class SessionNoShowForm(ServiceForm):
    pass


class CalendarFilterForm(forms.Form):
    VIEW_CHOICES = [("week", _("Week")), ("day", pgettext_lazy("calendar view", "Day")), ("month", _("Month"))]

    trainer = NamedChoiceField(label=_("Trainer"), queryset=None, required=False, empty_label=_("All trainers"))
    view = forms.ChoiceField(label=_("View"), choices=VIEW_CHOICES, required=False)
    day = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, trainers=None, all_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if trainers is None:
            del self.fields["trainer"]
        else:
            self.fields["trainer"].queryset = trainers
            if all_label:
                self.fields["trainer"].empty_label = all_label


class PackageFilterForm(forms.Form):
    trainer = NamedChoiceField(label=_("Trainer"), queryset=None, required=False, empty_label=_("All trainers"))
    status = forms.ChoiceField(label=_("Status"), choices=(), required=False)

    def __init__(self, *args, trainers=None, status_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *status_choices]
        if trainers is None:
            del self.fields["trainer"]
        else:
            self.fields["trainer"].queryset = trainers

    def selector_kwargs(self):
        self.is_valid()
        kwargs = {}
        if self.cleaned_data.get("trainer") is not None:
            kwargs["trainer_id"] = self.cleaned_data["trainer"].pk
        if self.cleaned_data.get("status"):
            kwargs["status"] = self.cleaned_data["status"]
        return kwargs


def _days(days: int) -> str:
    return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}


# Translated when shown, in the reader's language (a formatted ngettext_lazy would be fixed at import, in English).
_days_label = lazy(_days, str)


class PackageExpiringFilterForm(forms.Form):
    """The "expiring soon" list's filters: the window (7, 14 or 30 days; anything else is the default) and, for the
    owner, the trainer."""

    within = forms.TypedChoiceField(
        label=_("Expiring within"),
        coerce=int,
        required=False,
        choices=[(days, _days_label(days)) for days in EXPIRING_WINDOWS],
    )
    trainer = NamedChoiceField(label=_("Trainer"), queryset=None, required=False, empty_label=_("All trainers"))

    def __init__(self, data=None, *args, trainers=None, **kwargs):
        if data is not None and not data.get("within"):
            data = data.copy()
            data["within"] = str(EXPIRING_DEFAULT_DAYS)  # the select shows the window the list uses
        super().__init__(data, *args, **kwargs)
        if trainers is None:
            del self.fields["trainer"]
        else:
            self.fields["trainer"].queryset = trainers

    def selector_kwargs(self):
        self.is_valid()
        data = self.cleaned_data
        kwargs = {"within_days": data.get("within") or EXPIRING_DEFAULT_DAYS}
        if data.get("trainer") is not None:
            kwargs["trainer_id"] = data["trainer"].pk
        return kwargs
