from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import ServiceForm

from ..permissions import invitable_roles


class InvitationForm(ServiceForm):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), initial="trainer")
    message = forms.CharField(
        label=_("Personal message (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = invitable_roles(actor)
