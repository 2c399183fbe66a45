from django import forms
from django.utils.translation import gettext_lazy as _

from apps.assessments.services import REPORT_NOTE_LIMIT, clean_report_details
from apps.core.forms import ServiceForm


class ReportDetailsForm(ServiceForm):
    reassess_on = forms.DateField(
        label=_("Next assessment"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("Note for the client"),
        required=False,
        # The limit is the service's rule and message; the browser is only told of it.
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REPORT_NOTE_LIMIT}),
    )

    def __init__(self, *args, assessment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment

    def check_service_fields(self, values):
        if self.assessment is not None:
            clean_report_details(self.assessment, values)


class ReportLanguageForm(ServiceForm):
    language = forms.ChoiceField(label=_("Report language"), choices=[("en", "English"), ("ko", "한국어")])


class ReportExportForm(ServiceForm):
    first_day = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    last_day = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    trainer = forms.ModelChoiceField(label=_("Trainer"), queryset=None, required=False, empty_label=_("Every trainer"))

    def __init__(self, *args, trainers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = trainers
