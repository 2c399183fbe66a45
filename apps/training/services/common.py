"""Helpers shared by the training services: parsing money into ApplicationErrors at a field."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.db import connection
from django.utils.translation import gettext as _

from apps.core.errors import ApplicationError
from apps.core.money import (
    current_currency,
    format_money,
    has_more_decimals_than,
    minor_unit,
    normalize_currency,
    to_decimal,
)

if TYPE_CHECKING:
    from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper
    from django_tenants.postgresql_backend.base import FakeTenant

    from tenants.models import Organization

MONEY_LIMIT = Decimal(10**12)


def gym() -> Organization | FakeTenant:
    """The gym whose schema is active, as its row is now. Its settings decide sales and late cancellations, and the
    request's copy may come from the host cache of a process that has not seen the owner's last change yet (up to
    TENANT_HOST_CACHE_SECONDS): one query for the truth."""
    from tenants.models import Organization

    tenant = cast("TenantDatabaseWrapper", connection).tenant
    if isinstance(tenant, Organization) and tenant.pk is not None:
        return Organization.objects.filter(pk=tenant.pk).first() or tenant
    return tenant


def gym_currency(organization: Organization | FakeTenant | None = None) -> str:
    """The currency of ``organization`` (the active gym's by default), USD where none is set."""
    if organization is None:
        return current_currency() or "USD"
    return normalize_currency(getattr(organization, "currency", None)) or "USD"


def clean_amount(value: object, currency: str, *, field: str, allow_zero: bool = True) -> Decimal:
    """A non-negative amount with no more decimals than the currency has."""
    try:
        amount = to_decimal(value)
    except ValueError:
        raise ApplicationError(_("Enter the amount as a number, such as 50000 or 49.90."), {"field": field}) from None
    if amount < 0:
        raise ApplicationError(_("The amount cannot be below zero."), {"field": field})
    if amount == 0 and not allow_zero:
        raise ApplicationError(_("The amount must be more than zero."), {"field": field})
    if amount >= MONEY_LIMIT:
        raise ApplicationError(
            _("The amount must be below %(limit)s.") % {"limit": format_money(MONEY_LIMIT, currency)}, {"field": field}
        )
    places = minor_unit(currency)
    if has_more_decimals_than(amount, places):
        if places == 0:
            message = _("Amounts in %(currency)s are whole, without decimals.") % {"currency": currency}
        else:
            message = _("Use at most %(places)d decimal places.") % {"places": places}
        raise ApplicationError(message, {"field": field})
    return amount.quantize(Decimal(1).scaleb(-places))
