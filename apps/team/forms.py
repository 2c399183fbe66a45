from decimal import Decimal

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.errors import ApplicationError
from apps.core.forms import ServiceForm
from apps.core.money import clean_currency, currency_choices
from apps.trainers.permissions import invitable_role_choices
from tenants import branding
from tenants.models import PackageExpiryPolicy, PaperSize, PricingMode, Role

from .gym_settings import process_logo
from .services import INVITATION_MESSAGE_LIMIT, clean_invitation_fields, clean_transfer_fields


class InvitationForm(ServiceForm):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), initial="trainer")
    message = forms.CharField(
        label=_("Personal message (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": INVITATION_MESSAGE_LIMIT}),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["role"].choices = invitable_role_choices(actor)

    def check_service_fields(self, values):
        clean_invitation_fields(values, actor=self.actor)


class TeamFilterForm(forms.Form):
    # Its own ids: the invitation form on the same page has a "role" field too.
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices])
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Everyone")), ("active", _("Active")), ("inactive", _("Deactivated"))],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)


class RoleForm(ServiceForm):
    role = forms.ChoiceField(label=_("New role"), choices=Role.choices, widget=forms.RadioSelect)


# What each role may do, in the words of the role-change confirmation (ARCHITECTURE.md, "Roles and what they may do").
ROLE_DESCRIPTIONS = {
    Role.OWNER: _("Everything: every trainer's clients and money, the team, roles and the gym's settings."),
    Role.SENIOR: _("Their own clients and money; sees the whole team and invites trainers and assistants."),
    Role.TRAINER: _("Their own clients, assessments, sessions, packages and payments."),
    Role.ASSISTANT: _("Clients and sessions of the trainers they assist; never prices or payments."),
}


def role_choices_described():
    """(value, label, description) of every role, for the role-change confirmation."""
    return [(value, label, ROLE_DESCRIPTIONS[Role(value)]) for value, label in Role.choices]


class TransferForm(ServiceForm):
    """The clients to hand over; the rules (an active trainer who may own clients, at least one client) are the
    transfer service's."""

    to_trainer = forms.ModelChoiceField(label=_("Transfer to"), queryset=None, empty_label=None)
    clients = forms.ModelMultipleChoiceField(
        label=_("Clients"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    everyone = forms.BooleanField(label=_("All of this trainer's clients"), required=False)

    def __init__(self, *args, targets, clients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_trainer"].queryset = targets
        self.fields["clients"].queryset = clients
        self.all_clients = clients

    def clean(self):
        # "All of them" stands for every client, before the service's checks (run by the mixin's clean) see them.
        if self.cleaned_data.get("everyone"):
            self.cleaned_data["clients"] = list(self.all_clients)
        return super().clean()

    def check_service_fields(self, values):
        clean_transfer_fields({name: values[name] for name in ("to_trainer", "clients") if name in values})


class AuditFilterForm(forms.Form):
    trainer = forms.TypedChoiceField(label=_("Trainer"), required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, trainers, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].choices = [("", _("Everyone")), *[(t.pk, t.display_name) for t in trainers]]
        self.fields["action"].choices = [("", _("All actions")), *[(a, a) for a in actions]]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end of the range is before its start."))
        return cleaned


class AssistantLinksForm(ServiceForm):
    trainers = forms.ModelMultipleChoiceField(
        label=_("Assists"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainers"].queryset = trainers


def _rule(cleaner, value):
    """A tenants.branding cleaner as a form field's check: its ApplicationError becomes the field's error."""
    try:
        return cleaner(value)
    except ApplicationError as error:
        raise forms.ValidationError(error.message) from None


def _percent(rate):
    """0.1000 (a stored fraction) -> 10 as the page shows it."""
    return f"{(rate * 100).normalize():f}" if rate is not None else None  # "10", never "1E+1"


def _rate(percent):
    """10 (typed on the page) -> Decimal("0.1"), the fraction the service stores."""
    return Decimal(percent) / 100


def timezone_choices():
    """Every timezone the server knows, grouped by region (``Asia/Seoul`` under Asia), shown with spaces."""
    groups = {}
    for name in sorted(branding.available_timezones()):
        region = name.split("/", 1)[0] if "/" in name else _("Other")
        groups.setdefault(region, []).append((name, name.replace("_", " ")))
    return list(groups.items())


def _bounded(field, low, high, message):
    """``field`` (a whole number) shown limited to ``low``..``high`` (the service's cleaner is the rule), with one
    message for every way of missing it (not a number, too small, too large)."""
    field.min_value, field.max_value = low, high
    field.widget.attrs.update({"min": low, "max": high})
    field.error_messages.update({"invalid": message, "min_value": message, "max_value": message})
    return field


class GymSettingsForm(ServiceForm):
    """The owner's settings page. Every field is checked on its own (the rules of ``tenants.branding``; the logo is
    decoded and re-encoded here), so one post reports all its errors; ``cleaned_data["logo"]`` is a ProcessedLogo and
    the two percentages come out as the fractions the service takes (10 -> 0.1)."""

    service_fields = {"default_vat_rate": "default_vat_percent", "default_card_fee_rate": "default_card_fee_percent"}

    name = forms.CharField(label=_("Gym name"), max_length=120)
    timezone = forms.ChoiceField(
        label=_("Timezone"),
        help_text=_("Days, months and session times of the gym are counted in this timezone."),
        error_messages={"invalid_choice": _("Unknown timezone “%(value)s”.")},
    )
    late_cancellation_hours = forms.IntegerField(label=_("Late cancellation window (hours)"))
    currency = forms.ChoiceField(
        label=_("Currency"),
        help_text=_(
            "Prices of new packages and pricing templates are read in this currency. Changing it converts nothing: "
            "packages already sold keep their amounts and their currency, and pricing templates keep their numbers."
        ),
        error_messages={
            "invalid_choice": _("Choose a currency from the list (an ISO 4217 code such as KRW, USD or EUR).")
        },
    )
    default_vat_percent = forms.DecimalField(
        label=_("VAT rate (%)"),
        help_text=_("The rate new packages get unless the seller types another one."),
        widget=forms.NumberInput(attrs={"min": 0, "max": 99.99, "step": "0.01", "inputmode": "decimal"}),
    )
    default_pricing_mode = forms.ChoiceField(
        label=_("Prices of new packages"), choices=PricingMode.choices, widget=forms.RadioSelect
    )
    default_card_fee_percent = forms.DecimalField(
        label=_("Card fee rate (%)"),
        help_text=_("What the card processor keeps of a card payment: revenue figures show it apart."),
        widget=forms.NumberInput(attrs={"min": 0, "max": 99.99, "step": "0.01", "inputmode": "decimal"}),
    )
    package_expiry_policy = forms.ChoiceField(
        label=_("When a package reaches its end date with sessions left"),
        choices=PackageExpiryPolicy.choices,
        widget=forms.RadioSelect,
        required=False,  # not posted: stays as it is (the page always posts it)
        help_text=_(
            "Checked every hour, in the gym's timezone, after the package's last day. A package with no sessions left "
            "is used up either way."
        ),
    )
    package_extension_days = forms.IntegerField(
        label=_("Extension (days)"),
        required=False,
        help_text=_("How many days a package with sessions left gets, once, before it expires."),
    )
    logo = forms.FileField(
        label=_("New logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, up to 5 MB. A PNG keeps its transparent background."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    accent_colour = forms.CharField(
        label=_("Accent colour"),
        max_length=7,
        help_text=_("Headings and charts of the gym's PDF reports use it."),
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    paper_size = forms.ChoiceField(label=_("Report paper size"), choices=PaperSize.choices, widget=forms.RadioSelect)
    # Issue 15: client reminders.
    # Not required: a post without it (an older form) keeps the gym's value.
    reminder_hours = forms.IntegerField(label=_("Reminder before a session (hours)"), required=False)

    def __init__(self, *args, organization, **kwargs):
        initial = {
            "name": organization.name,
            "timezone": organization.timezone,
            "late_cancellation_hours": organization.late_cancellation_hours,
            "accent_colour": organization.accent_colour,
            "paper_size": organization.paper_size,
            "currency": organization.currency,
            "default_vat_percent": _percent(organization.default_vat_rate),
            "default_pricing_mode": organization.default_pricing_mode,
            "default_card_fee_percent": _percent(organization.default_card_fee_rate),
            "reminder_hours": organization.reminder_hours,
            "package_expiry_policy": organization.package_expiry_policy,
            "package_extension_days": organization.package_extension_days,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.organization = organization
        self.fields["timezone"].choices = timezone_choices()
        currencies = currency_choices(get_language())
        if organization.currency not in dict(currencies):
            # A code set before the list was checked ("ZZZ"): the owner must pick a real one, not keep it unseen.
            currencies = [("", _("Choose a currency")), *currencies]
        self.fields["currency"].choices = currencies
        limit = branding.late_cancellation_limit()
        hours = _bounded(
            self.fields["late_cancellation_hours"],
            0,
            limit,
            _("Enter a whole number of hours from 0 to %(limit)d.") % {"limit": limit},
        )
        hours.help_text = _(
            "A session cancelled less than this many hours before it starts still uses a credit (0 to %(limit)d)."
        ) % {"limit": limit}
        low, high = branding.package_extension_limits()
        _bounded(self.fields["package_extension_days"], low, high, branding.package_extension_message())
        if not organization.logo:
            del self.fields["remove_logo"]
        self._limit_reminder_hours()

    def _limit_reminder_hours(self):
        limit = branding.reminder_hours_limit()
        field = _bounded(
            self.fields["reminder_hours"],
            0,
            limit,
            _("Enter a whole number of hours from 0 (no reminders) to %(limit)d.") % {"limit": limit},
        )
        field.help_text = _(
            "Clients who agreed to reminders get an e-mail this many hours before each session; 0 sends none."
        )

    def sections(self):
        """(key, title, bound fields) of the page's parts, in order."""
        parts = [
            ("gym", _("The gym"), ["name", "timezone", "late_cancellation_hours"]),
            (
                "money",
                _("Money"),
                ["currency", "default_vat_percent", "default_pricing_mode", "default_card_fee_percent"],
            ),
            ("packages", _("Packages"), ["package_expiry_policy", "package_extension_days"]),
            ("branding", _("Branding"), ["logo", "remove_logo", "accent_colour"]),
            ("reports", _("Reports"), ["paper_size"]),
            ("reminders", _("Client reminders"), ["reminder_hours"]),
        ]
        return [(key, title, [self[name] for name in names if name in self.fields]) for key, title, names in parts]

    def clean_name(self):
        return _rule(branding.clean_gym_name, self.cleaned_data["name"])

    def clean_timezone(self):
        return _rule(branding.clean_timezone_name, self.cleaned_data["timezone"])

    def clean_reminder_hours(self):
        hours = self.cleaned_data["reminder_hours"]
        return None if hours is None else _rule(branding.clean_reminder_hours, hours)

    def clean_late_cancellation_hours(self):
        return _rule(branding.clean_late_cancellation_hours, self.cleaned_data["late_cancellation_hours"])

    def clean_accent_colour(self):
        return _rule(branding.clean_accent_colour, self.cleaned_data["accent_colour"])

    def clean_currency(self):
        return _rule(clean_currency, self.cleaned_data["currency"])

    def clean_default_vat_percent(self):
        return _rule(branding.clean_default_vat_rate, _rate(self.cleaned_data["default_vat_percent"]))

    def clean_default_card_fee_percent(self):
        return _rule(branding.clean_default_card_fee_rate, _rate(self.cleaned_data["default_card_fee_percent"]))

    def clean_default_pricing_mode(self):
        return _rule(branding.clean_default_pricing_mode, self.cleaned_data["default_pricing_mode"])

    def clean_package_expiry_policy(self):
        policy = self.cleaned_data["package_expiry_policy"]
        return _rule(branding.clean_package_expiry_policy, policy) if policy else None

    def clean_package_extension_days(self):
        days = self.cleaned_data["package_extension_days"]
        return None if days is None else _rule(branding.clean_package_extension_days, days)

    def clean_paper_size(self):
        return _rule(branding.clean_paper_size, self.cleaned_data["paper_size"])

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        return None if upload is None else _rule(process_logo, upload)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("remove_logo") and (cleaned.get("logo") or "logo" in self.errors):
            self.add_error("remove_logo", _("Upload a new logo or remove the current one, not both."))
        extending = cleaned.get("package_expiry_policy") == PackageExpiryPolicy.EXTEND
        if extending and cleaned.get("package_extension_days") is None and "package_extension_days" not in self.errors:
            # Empty is fine while credits are forfeited (the stored number stays); an extension needs its length.
            self.add_error("package_extension_days", branding.package_extension_message())
        return cleaned
