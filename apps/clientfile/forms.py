"""Forms of the client's page that act on another app's rows from the client's side."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.money import format_money
from apps.training.forms import PaymentForm


class PackageWithBalanceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(name)s (%(balance)s due)") % {
            "name": obj.name,
            "balance": format_money(obj.balance_due, obj.currency),
        }


class ClientPaymentForm(PaymentForm):
    """A payment from the client's page: which of the client's packages it pays, then the package page's fields."""

    field_order = ["package", "amount", "method", "paid_at", "note"]

    package = PackageWithBalanceField(label=_("Package"), queryset=None, empty_label=None)

    def __init__(self, *args, packages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["package"].queryset = packages
        self.order_fields(self.field_order)
