from django import forms
from django.utils.translation import gettext_lazy as _


class ViewAsForm(forms.Form):
    trainer = forms.ModelChoiceField(label=_("Show"), queryset=None, required=False)

    def __init__(self, *args, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = trainers
