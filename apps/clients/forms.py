"""Forms of the client pages. They only parse input; the rules (and their messages) are the services'."""

from functools import partial

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import ServiceForm

from .models import SCREENING_QUESTIONS, ClientStatus, Sex
from .services import clean_client_fields, clean_screening


class TrainerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ClientForm(ServiceForm):
    """Create or edit a client. ``trainers`` given: the owner picks whose client it is."""

    service_field_check = clean_client_fields

    trainer = TrainerChoiceField(label=_("Trainer"), queryset=None, empty_label=None)
    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=80, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    sex = forms.ChoiceField(
        label=_("Sex"), choices=Sex.choices, initial=Sex.NOT_STATED, help_text=_("Used to pick fitness norms.")
    )
    height_cm = forms.DecimalField(
        label=_("Height (cm)"), required=False, widget=forms.NumberInput(attrs={"min": 50, "max": 272, "step": "0.1"})
    )
    weight_kg = forms.DecimalField(
        label=_("Weight (kg)"), required=False, widget=forms.NumberInput(attrs={"min": 2, "max": 500, "step": "0.1"})
    )
    email = forms.CharField(label=_("Email"), required=False, widget=forms.EmailInput)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    goals = forms.CharField(label=_("Goals"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reminders_consent = forms.BooleanField(
        label=_("The client agrees to session reminders by e-mail"),
        required=False,
        help_text=_("Reminders before each session, and a message when a session moves or is cancelled."),
    )

    def __init__(self, *args, trainers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if trainers is None:
            del self.fields["trainer"]
        else:
            self.fields["trainer"].queryset = trainers


class ScreeningForm(ServiceForm):
    service_field_check = partial(clean_screening, partial=True)
    consent = forms.BooleanField(
        label=_("The client agrees to these answers being recorded and used to plan their training safely."),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for key, question in SCREENING_QUESTIONS:
            fields[key] = forms.TypedChoiceField(
                label=question,
                choices=[("yes", _("Yes")), ("no", _("No"))],
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
            )
        fields["consent"] = self.fields.pop("consent")
        self.fields = {**fields, **self.fields}

    def answers(self):
        return {key: self.cleaned_data[key] for key, _question in SCREENING_QUESTIONS}


class ClientFilterForm(forms.Form):
    """The list's filters. Bad values are ignored (that filter is left out), never an error page."""

    SORT_CHOICES = [("name", _("Name")), ("newest", _("Newest")), ("age", _("Youngest")), ("-age", _("Oldest"))]
    SCORE_CHOICES = [
        ("", _("Any")),
        ("80-100", "80-100"),
        ("60-79", "60-79"),
        ("40-59", "40-59"),
        ("0-39", "0-39"),
        ("none", _("Not assessed")),
    ]
    PACKAGE_CHOICES = [("", _("Any")), ("1", _("Has an active package")), ("0", _("No active package"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Active or archived")), *ClientStatus.choices]
    )
    trainer = TrainerChoiceField(label=_("Trainer"), queryset=None, required=False, empty_label=_("All trainers"))
    age_min = forms.IntegerField(label=_("Age from"), required=False, min_value=0, max_value=120)
    age_max = forms.IntegerField(label=_("Age to"), required=False, min_value=0, max_value=120)
    package = forms.ChoiceField(label=_("Package"), required=False, choices=PACKAGE_CHOICES)
    score = forms.ChoiceField(label=_("Latest score"), required=False, choices=SCORE_CHOICES)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)

    def __init__(self, data=None, *, trainers=None, **kwargs):
        if data is not None and "status" not in data:
            data = data.copy()
            data["status"] = ClientStatus.ACTIVE  # the list opens on active clients
        super().__init__(data, **kwargs)
        for name in ("age_min", "age_max"):
            self.fields[name].widget.attrs["class"] = "short"
        if trainers is None:
            del self.fields["trainer"]
        else:
            self.fields["trainer"].queryset = trainers

    def selector_kwargs(self):
        self.is_valid()
        data = self.cleaned_data
        kwargs = {}
        if data.get("q"):
            kwargs["query"] = data["q"]
        if data.get("status"):
            kwargs["status"] = data["status"]
        if data.get("trainer") is not None:
            kwargs["trainer_id"] = data["trainer"].pk
        for name in ("age_min", "age_max"):
            if data.get(name) is not None:
                kwargs[name] = data[name]
        if data.get("package") in {"0", "1"}:
            kwargs["has_active_package"] = data["package"] == "1"
        if data.get("score"):
            kwargs["score_band"] = data["score"]
        if data.get("sort"):
            kwargs["sort"] = data["sort"]
        return kwargs


class ImportForm(ServiceForm):
    trainer = TrainerChoiceField(label=_("Trainer"), queryset=None, empty_label=None)
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, comma-separated, with a header row."))

    def __init__(self, *args, trainers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if trainers is None:
            del self.fields["trainer"]
        else:
            self.fields["trainer"].queryset = trainers


class EraseForm(forms.Form):
    confirm = forms.CharField(label=_("Type ERASE to confirm"), max_length=10)

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip().upper() != "ERASE":
            raise forms.ValidationError(_("Type ERASE to confirm."))
        return "ERASE"
