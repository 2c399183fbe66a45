from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import ServiceForm
from apps.trainers.permissions import invitable_role_choices
from tenants.models import Role


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
        self.fields["role"].choices = invitable_role_choices(actor)


class TeamFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices])
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Everyone")), ("active", _("Active")), ("inactive", _("Deactivated"))],
    )


class RoleForm(ServiceForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class TransferForm(ServiceForm):
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
        cleaned = super().clean()
        if cleaned.get("everyone"):
            cleaned["clients"] = list(self.all_clients)
        if not cleaned.get("clients"):
            self.add_error("clients", _("Choose at least one client, or all of them."))
        return cleaned


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
