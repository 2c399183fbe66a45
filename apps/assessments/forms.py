from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import ServiceForm

from .services import MAX_REASON


class OverrideForm(ServiceForm):
    score = forms.IntegerField(label=_("Score (0-100)"), min_value=0, max_value=100)
    reason = forms.CharField(label=_("Reason"), max_length=MAX_REASON, widget=forms.TextInput)
