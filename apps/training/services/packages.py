"""Selling session packages: from a pricing template (its terms copied) or custom.

The terms are frozen on the package at the sale: price, currency, VAT and card-fee rates (the organization's
defaults unless given), inclusive or exclusive pricing, and the amounts from ``pricing_math.breakdown``.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access import Actor, acts_for
from apps.audit.services import audit_record
from apps.clients.models import Client
from apps.core.dates import gym_today, zone_named
from apps.core.errors import (
    ApplicationError,
    FieldErrors,
    clean_given_fields,
    clean_name,
    clean_whole_number,
    full_clean_or_raise,
)
from apps.core.money import to_decimal
from apps.trainers.models import PricingTemplate, Trainer
from tenants.models import PackageExpiryPolicy

from ..models import PackageStatus, PricingMode, SessionPackage
from ..permissions import can_manage_package, can_use_packages
from ..pricing_math import RATE_PLACES, breakdown, clean_rate
from . import credits
from .common import clean_amount, gym, gym_currency

MAX_SESSIONS = 500


def _clean_sessions(value: object) -> int:
    sessions = clean_whole_number(value, "total_sessions", _("Enter the number of sessions as a whole number."))
    if sessions < 1:
        raise ApplicationError(_("A package has at least one session."), {"field": "total_sessions"})
    if sessions > MAX_SESSIONS:
        raise ApplicationError(
            _("A package has at most %(max)d sessions.") % {"max": MAX_SESSIONS}, {"field": "total_sessions"}
        )
    return sessions


def clean_package_rate(value: Any, field: str) -> Decimal:
    """A rate as a fraction (0.1000 is 10%): at least 0, below 1 (100%), at most 4 decimals."""
    try:
        value = to_decimal(value)
    except ValueError:
        raise ApplicationError(_("Enter the rate as a number."), {"field": field}) from None
    if value < 0:
        raise ApplicationError(_("A rate cannot be negative."), {"field": field})
    if value >= 1:
        raise ApplicationError(_("A rate must be below 100%."), {"field": field})
    try:
        return clean_rate(value)
    except ValueError:
        raise ApplicationError(
            _("A rate has at most %(places)d decimal places as a fraction (0.0825 is 8.25%%).")
            % {"places": RATE_PLACES},
            {"field": field},
        ) from None


def _clean_mode(value: str | bool) -> str:
    if value in (True, False):
        return PricingMode.INCLUSIVE if value else PricingMode.EXCLUSIVE
    if value not in PricingMode.values:
        raise ApplicationError(_("Choose inclusive or exclusive pricing."), {"field": "pricing_mode"})
    return value


def _visible_client(actor: Actor | None, client: Client | int) -> Client:
    found = Client.objects.visible_to(actor).select_related("trainer__user").filter(pk=getattr(client, "pk", client))
    found = found.first()
    if found is None:
        raise ApplicationError(_("Choose one of your clients."), {"field": "client"})
    return found


def _sellable_client(actor: Trainer, client: Client | int) -> Client:
    client = _visible_client(actor, client)
    trainer = client.trainer
    if not trainer.is_active:
        raise ApplicationError(
            _("%(name)s is deactivated: transfer the client before selling.") % {"name": trainer.display_name},
            {"field": "client"},
        )
    if not acts_for(actor, trainer.pk):
        raise ApplicationError(_("Choose one of your clients."), {"field": "client"})
    return client


def _template_for(actor: Trainer, pricing_template: PricingTemplate, trainer: Trainer) -> PricingTemplate:
    template = PricingTemplate.objects.visible_to(actor).filter(pk=getattr(pricing_template, "pk", None)).first()
    if template is None or not template.is_active:
        raise ApplicationError(_("Choose a pricing template on sale."), {"field": "pricing_template"})
    if template.trainer_id != trainer.pk:
        raise ApplicationError(
            _("This template belongs to another trainer than the client's (%(name)s).")
            % {"name": trainer.display_name},
            {"field": "pricing_template"},
        )
    return template


def _expires_on(value: date) -> date:
    if value < gym_today():
        raise ApplicationError(_("The expiry date cannot be before the day of sale."), {"field": "expires_on"})
    return value


def clean_package_fields(values: Mapping[str, Any], currency: str | None = None) -> dict[str, Any]:
    """The terms of a sale among ``values`` (name, total_sessions, price, vat_rate, card_fee_rate as fractions,
    pricing_mode, expires_on; None: not given), each cleaned, or one ApplicationError naming every field refused.
    Forms call it on the fields they could parse."""
    currency = currency or gym_currency()
    cleaners: dict[str, Callable[[Any], object]] = {
        "name": lambda value: clean_name(value, model=SessionPackage, missing=_("Give the package a name.")),
        "total_sessions": _clean_sessions,
        "price": lambda value: clean_amount(value, currency, field="price"),
        "vat_rate": lambda value: clean_package_rate(value, "vat_rate"),
        "card_fee_rate": lambda value: clean_package_rate(value, "card_fee_rate"),
        "pricing_mode": _clean_mode,
        "expires_on": _expires_on,
    }
    return clean_given_fields(cleaners, values)


@transaction.atomic
def package_sell(
    *,
    actor: Trainer,
    client: Client | int,
    pricing_template: PricingTemplate | None = None,
    name: str | None = None,
    total_sessions: int | str | None = None,
    price: Decimal | int | str | None = None,
    vat_rate: Decimal | int | str | None = None,
    card_fee_rate: Decimal | int | str | None = None,
    pricing_mode: str | bool | None = None,
    expires_on: date | None = None,
) -> SessionPackage:
    """Sell a package to ``client`` (its trainer's package). From ``pricing_template``: name, sessions and price
    come from it (unless given) and the expiry is today + its validity; custom: name, sessions and price are needed.
    VAT rate, card fee rate and ``pricing_mode`` default to the gym's settings.
    """
    if not can_use_packages(actor):
        raise ApplicationError(_("You cannot sell packages."))
    today = gym_today()
    organization = gym()  # the row as it is now: the owner may have just changed the currency or the rates
    currency = gym_currency(organization)
    errors = FieldErrors()
    buyer = errors.check("client", _sellable_client, actor, client)
    template = None
    if pricing_template is not None and buyer is not None:
        template = errors.check("pricing_template", _template_for, actor, pricing_template, buyer.trainer)
    if template is not None:
        name = template.name if name in (None, "") else name
        total_sessions = template.sessions if total_sessions in (None, "") else total_sessions
        price = template.price if price in (None, "") else price
        if expires_on is None:
            expires_on = today + timedelta(days=template.validity_days)
    elif pricing_template is None and price in (None, ""):
        errors.add("price", _("Enter the price."))
        price = None
    if pricing_mode is None:
        pricing_mode = getattr(organization, "default_pricing_mode", PricingMode.INCLUSIVE)
    # A missing name or number is refused ("" is checked, None is not); unless the template refused above would
    # have filled it, and the price, whose absence is reported above.
    missing = None if pricing_template is not None and template is None else ""
    terms = errors.check(
        None,
        clean_package_fields,
        {
            "name": name or missing,
            "total_sessions": missing if total_sessions in (None, "") else total_sessions,
            "price": price,
            "vat_rate": getattr(organization, "default_vat_rate", Decimal(0)) if vat_rate in (None, "") else vat_rate,
            "card_fee_rate": (
                getattr(organization, "default_card_fee_rate", Decimal(0))
                if card_fee_rate in (None, "")
                else card_fee_rate
            ),
            "pricing_mode": pricing_mode,
            "expires_on": expires_on,
        },
        currency,
    )
    errors.raise_if_any()
    assert buyer is not None and terms is not None  # every check passed
    client, trainer = buyer, buyer.trainer
    name, total_sessions, price = terms["name"], terms["total_sessions"], terms["price"]
    vat_rate, card_fee_rate, pricing_mode = terms["vat_rate"], terms["card_fee_rate"], terms["pricing_mode"]
    parts = breakdown(
        price=price,
        vat_rate=vat_rate,
        card_fee_rate=card_fee_rate,
        inclusive=pricing_mode == PricingMode.INCLUSIVE,
        currency=currency,
    )
    package = SessionPackage(
        client=client,
        trainer=trainer,
        sold_by=trainer,
        pricing_template=template,
        name=name,
        total_sessions=total_sessions,
        used_sessions=0,
        price=price,
        currency=currency,
        vat_rate=vat_rate,
        card_fee_rate=card_fee_rate,
        pricing_mode=pricing_mode,
        net_amount=parts.net,
        vat_amount=parts.vat,
        fee_amount=parts.fee,
        gross_amount=parts.gross,
        sold_at=timezone.now(),
        expires_on=expires_on,
        status=PackageStatus.ACTIVE,
    )
    full_clean_or_raise(package)
    package.save()
    audit_record(
        actor=actor,
        event="package.sell",
        target=package,
        params={"client": str(client), "sessions": package.total_sessions, "gross": (parts.gross, currency)},
        changes={
            "price": [None, str(price)],
            "vat_rate": [None, str(vat_rate)],
            "card_fee_rate": [None, str(card_fee_rate)],
            "gross_amount": [None, str(parts.gross)],
        },
    )
    return package


@transaction.atomic
def package_cancel(*, actor: Trainer, package: SessionPackage) -> SessionPackage:
    """Stop a package: no further sessions use it. Credits already used and payments stay on record; sessions booked
    on it stay booked without a package, and the credits they held are released (``credits.release_package``)."""
    if not can_manage_package(actor, package):
        raise ApplicationError(_("You cannot change this package."))
    package, booked, held = credits.lock_for_cancel(package)
    if package.status == PackageStatus.CANCELLED:
        return package
    before = package.status
    package.status = PackageStatus.CANCELLED
    package.save(update_fields=["status"])
    freed = credits.release_package(package, booked, held)
    changes: dict[str, Any] = {"status": [before, package.status]}
    if freed:
        changes["booked_sessions"] = [held, package.booked_sessions]
    audit_record(
        actor=actor,
        event="package.cancel_freeing" if freed else "package.cancel",
        target=package,
        params={"count": freed} if freed else {},
        changes=changes,
    )
    return package


@dataclass(frozen=True)
class ExpiryRun:
    """What one run of ``packages_expire`` did in one gym, and the gym's day it judged by."""

    day: date
    expired: int = 0
    extended: int = 0
    used_up: int = 0

    @property
    def changed(self) -> int:
        return self.expired + self.extended + self.used_up


def _gym_today(organization: object) -> date:
    # The row's timezone, not the connection's copy of the tenant: a worker may hold a cached, older copy.
    return timezone.localdate(timezone=zone_named(getattr(organization, "timezone", "") or "UTC"))


@transaction.atomic
def packages_expire_run(*, today: date | None = None) -> ExpiryRun:
    """Handle the active packages whose last day has passed (the gym's calendar), by the gym's policy.

    * no credit left: the package is used up (nothing to forfeit or extend);
    * credits left, the gym extends (``PackageExpiryPolicy.EXTEND``) and the package was never extended: its end date
      moves by the gym's ``package_extension_days``, counted from the old end date, once (``extended_days``,
      ``extended_at``); if that new date has already passed too (the job did not run for a while), it expires;
    * otherwise it expires and its unused credits are forfeited.

    A system job (``apps.training.tasks``): no actor, one audit entry per package so its history shows what happened.
    Used credits, sessions and payments are kept; sessions already booked stay booked. Idempotent: a handled package
    is no longer due. Rows another transaction holds (a booking, a concurrent run) are skipped, and the next hourly
    run handles them.
    """
    organization = gym()  # the row as it is now: the owner may have just changed the policy or the timezone
    today = today or _gym_today(organization)
    extend = getattr(organization, "package_expiry_policy", PackageExpiryPolicy.FORFEIT) == PackageExpiryPolicy.EXTEND
    extension = timedelta(days=getattr(organization, "package_extension_days", 0) or 0)
    due = list(
        SessionPackage.objects.select_for_update(skip_locked=True)
        .filter(status=PackageStatus.ACTIVE, expires_on__lt=today)
        .order_by("pk")
    )
    now = timezone.now()
    counts = {"expired": 0, "extended": 0, "used_up": 0}
    for package in due:
        assert package.expires_on is not None  # expires_on__lt excludes packages without an end date
        last_day = package.expires_on
        if package.remaining_sessions <= 0:
            package.status = PackageStatus.USED_UP
            counts["used_up"] += 1
            audit_record(
                actor=None,
                event="package.use_up",
                target=package,
                params={"day": last_day},
                changes={"status": [PackageStatus.ACTIVE, PackageStatus.USED_UP]},
            )
            continue
        if extend and extension and package.extended_at is None:
            package.expires_on = last_day + extension
            package.extended_days = extension.days
            package.extended_at = now
            audit_record(
                actor=None,
                event="package.extend",
                target=package,
                params={"days": extension.days, "day": package.expires_on},
                changes={
                    "expires_on": [last_day.isoformat(), package.expires_on.isoformat()],
                    "extended_days": [0, extension.days],
                },
            )
            if package.expires_on >= today:
                counts["extended"] += 1
                continue
        package.status = PackageStatus.EXPIRED
        counts["expired"] += 1
        audit_record(
            actor=None,
            event="package.expire",
            target=package,
            params={"day": package.expires_on},
            changes={"status": [PackageStatus.ACTIVE, PackageStatus.EXPIRED]},
        )
    SessionPackage.objects.bulk_update(due, ["status", "expires_on", "extended_days", "extended_at"])
    return ExpiryRun(day=today, **counts)


def packages_expire(*, today: date | None = None) -> int:
    """``packages_expire_run``; returns how many packages it changed (expired, extended or used up)."""
    return packages_expire_run(today=today).changed
