"""Forms of the pricing pages. They only parse input; the rules (and their messages) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import ServiceForm
from apps.core.money import minor_unit, money_quantum

from ..services.pricing import MAX_SESSIONS, MAX_VALIDITY_DAYS, clean_pricing_fields


class TrainerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class PricingTemplateForm(ServiceForm):
    """Create (``trainers`` given: the owner picks whose template it is) or edit a pricing template."""

    service_field_check = clean_pricing_fields

    trainer = TrainerChoiceField(label=_("Trainer"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("For example “10 sessions” or “Starter”."))
    sessions = forms.IntegerField(
        label=_("Sessions"), widget=forms.NumberInput(attrs={"min": 1, "max": MAX_SESSIONS, "step": 1})
    )
    price = forms.DecimalField(label=_("Price"))
    validity_days = forms.IntegerField(
        label=_("Valid for (days)"),
        help_text=_("How long the client has to use the sessions, counted from the sale."),
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_VALIDITY_DAYS, "step": 1}),
    )
    is_active = forms.BooleanField(label=_("On sale"), required=False, initial=True)

    def __init__(self, *args, currency, trainers=None, creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        if trainers is None:
            del self.fields["trainer"]
        else:
            self.fields["trainer"].queryset = trainers
        if not creating:
            # Taking a template off sale and back is its own button on the list.
            del self.fields["is_active"]
        places = min(minor_unit(currency), 2)
        self.fields["price"].widget = forms.NumberInput(
            attrs={"min": 0, "step": str(money_quantum(currency)) if places else "1", "inputmode": "decimal"}
        )
        if currency:
            self.fields["price"].help_text = _("In %(currency)s.") % {"currency": currency}


class PricingFilterForm(forms.Form):
    """The list's filters. Bad values are ignored (the list is shown unfiltered), never an error page."""

    ACTIVE_CHOICES = [("", _("On sale or not")), ("1", _("On sale")), ("0", _("Off sale"))]

    trainer = TrainerChoiceField(label=_("Trainer"), queryset=None, required=False, empty_label=_("All trainers"))
    active = forms.ChoiceField(label=_("Status"), choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args, trainers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if trainers is None:
            del self.fields["trainer"]
        else:
            self.fields["trainer"].queryset = trainers

    def selector_kwargs(self):
        self.is_valid()  # a field with a bad value is left out of cleaned_data; the others still apply
        kwargs = {}
        if self.cleaned_data.get("trainer") is not None:
            kwargs["trainer_id"] = self.cleaned_data["trainer"].pk
        if self.cleaned_data.get("active") in {"0", "1"}:
            kwargs["active"] = self.cleaned_data["active"] == "1"
        return kwargs
