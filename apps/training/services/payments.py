"""Payments against a package and refunds (negative payments, never more than was paid).

A card payment carries its fee at the package's card-fee rate (``pricing_math.payment_fee``); other methods none.
Every write locks the package row, so two payments or refunds at once cannot take the balance past its limits.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access import Actor
from apps.audit.services import audit_record
from apps.core.errors import ApplicationError, FieldErrors, full_clean_or_raise
from apps.core.money import format_money
from apps.trainers.models import Trainer

from ..models import Payment, PaymentMethod, SessionPackage
from ..permissions import can_manage_package
from ..pricing_math import payment_fee
from .common import clean_amount

NOTE_LIMIT = 200


def paid_total(package: SessionPackage) -> Decimal | int:
    """Sum of payments and refunds of ``package`` (a Decimal, 0 when none)."""
    return Payment.objects.filter(package=package).aggregate(total=Sum("amount"))["total"] or 0


def _lock(actor: Actor | None, package: SessionPackage | None) -> SessionPackage:
    if package is None or not can_manage_package(actor, package):
        raise ApplicationError(_("You cannot take payments for this package."), {"field": "package"})
    return SessionPackage.objects.select_for_update(of=("self",)).select_related("client").get(pk=package.pk)


def _clean_method(method: str) -> str:
    if method not in PaymentMethod.values:
        raise ApplicationError(_("Choose how the client paid."), {"field": "method"})
    return method


def _clean_paid_at(paid_at: datetime | None, now: datetime) -> datetime:
    if paid_at is None:
        return now
    if timezone.is_naive(paid_at):
        raise ApplicationError(_("Enter the date and time of the payment."), {"field": "paid_at"})
    if paid_at > now + timedelta(minutes=5):
        raise ApplicationError(_("A payment cannot be in the future."), {"field": "paid_at"})
    if paid_at < now - timedelta(days=10 * 366):
        raise ApplicationError(_("A payment can be recorded at most ten years back."), {"field": "paid_at"})
    return paid_at


def clean_payment_fields(values: Mapping[str, Any], currency: str) -> dict[str, Any]:
    """The amount (positive), method and time of a payment or refund among ``values``, each cleaned (an absent or
    None time: now), or one ApplicationError naming every field refused. Forms call it on the fields they parsed."""
    now = timezone.now()
    errors = FieldErrors()
    cleaned: dict[str, Any] = {}
    if "amount" in values:
        cleaned["amount"] = errors.check(
            "amount", clean_amount, values["amount"], currency, field="amount", allow_zero=False
        )
    if "method" in values:
        cleaned["method"] = errors.check("method", _clean_method, values["method"])
    cleaned["paid_at"] = errors.check("paid_at", _clean_paid_at, values.get("paid_at"), now)
    errors.raise_if_any()
    return cleaned


def _record(
    actor: Trainer,
    package: SessionPackage,
    amount: Decimal,
    method: str,
    paid_at: datetime,
    note: str | None,
    event: str,
    shown_amount: Decimal,
) -> Payment:
    currency = package.currency
    payment = Payment(
        client=package.client,
        package=package,
        trainer_id=package.trainer_id,
        amount=amount,
        fee_amount=payment_fee(
            amount=amount, card_fee_rate=package.card_fee_rate, is_card=method == PaymentMethod.CARD, currency=currency
        ),
        method=method,
        paid_at=paid_at,
        note=" ".join(str(note or "").split())[:NOTE_LIMIT],
    )
    full_clean_or_raise(payment)
    payment.save()
    audit_record(
        actor=actor,
        event=event,
        target=payment,
        params={"amount": (shown_amount, currency), "package": package.name},
        changes={"amount": [None, str(amount)], "method": [None, method], "package": [None, package.name]},
    )
    return payment


@transaction.atomic
def payment_record(
    *,
    actor: Trainer,
    package: SessionPackage,
    amount: Decimal | int | str,
    method: str = PaymentMethod.CARD,
    paid_at: datetime | None = None,
    note: str | None = "",
) -> Payment:
    """Money received against ``package``. A partial payment leaves a balance; more than the balance is refused."""
    package = _lock(actor, package)
    currency = package.currency
    cleaned = clean_payment_fields({"amount": amount, "method": method, "paid_at": paid_at}, currency)
    cleaned_amount: Decimal = cleaned["amount"]
    method, paid_at = cleaned["method"], cleaned["paid_at"]
    balance = package.gross_amount - paid_total(package)
    if cleaned_amount > balance:
        raise ApplicationError(
            _("This is more than the balance due (%(balance)s).") % {"balance": format_money(balance, currency)},
            {"field": "amount"},
        )
    return _record(
        actor,
        package,
        cleaned_amount,
        method,
        paid_at,
        note,
        "payment.record",
        cleaned_amount,
    )


@transaction.atomic
def payment_refund(
    *,
    actor: Trainer,
    package: SessionPackage,
    amount: Decimal | int | str,
    method: str = PaymentMethod.CARD,
    paid_at: datetime | None = None,
    note: str | None = "",
) -> Payment:
    """Return ``amount`` (positive) to the client: stored as a negative payment; never more than was paid."""
    package = _lock(actor, package)
    currency = package.currency
    cleaned = clean_payment_fields({"amount": amount, "method": method, "paid_at": paid_at}, currency)
    cleaned_amount: Decimal = cleaned["amount"]
    method, paid_at = cleaned["method"], cleaned["paid_at"]
    paid = paid_total(package)
    if cleaned_amount > paid:
        raise ApplicationError(
            _("A refund cannot be more than was paid (%(paid)s).") % {"paid": format_money(paid, currency)},
            {"field": "amount"},
        )
    return _record(
        actor,
        package,
        -cleaned_amount,
        method,
        paid_at,
        note,
        "payment.refund",
        cleaned_amount,
    )
