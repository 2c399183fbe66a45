"""Pricing templates: the packages a trainer sells (N sessions for a price, valid for some days).

Templates are never deleted: sold packages will point at them. Taking one off sale is ``pricing_template_set_active``.
Every write locks the trainer's row, so two requests cannot both put on sale a template of the same name.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, cast

from django.db import transaction
from django.db.models import DecimalField, Field, ForeignObjectRel
from django.utils.translation import gettext as _

from apps.access import Actor, can_own_clients
from apps.audit.services import audit_record, field_changes, snapshot
from apps.core.errors import (
    ApplicationError,
    clean_given_fields,
    clean_name,
    clean_whole_number,
    full_clean_or_raise,
)
from apps.core.money import current_currency, format_money, has_more_decimals_than, minor_unit, to_decimal

from ..models import PricingTemplate, Trainer
from ..permissions import can_manage_pricing, can_use_pricing

FIELDS = ["name", "sessions", "price", "validity_days", "is_active"]
MAX_SESSIONS = 500
MAX_VALIDITY_DAYS = 3650


def _field(name: str) -> "Field[Any, Any] | ForeignObjectRel":
    return PricingTemplate._meta.get_field(name)


def _clean_name(name: object) -> str:
    return clean_name(name, model=PricingTemplate, missing=_("Give the template a name."))


def _clean_sessions(value: object) -> int:
    sessions = clean_whole_number(value, "sessions", _("Enter the number of sessions as a whole number."))
    if sessions < 1:
        raise ApplicationError(_("A package has at least one session."), {"field": "sessions"})
    if sessions > MAX_SESSIONS:
        raise ApplicationError(
            _("A package has at most %(max)d sessions.") % {"max": MAX_SESSIONS}, {"field": "sessions"}
        )
    return sessions


def _clean_validity(value: object) -> int:
    days = clean_whole_number(value, "validity_days", _("Enter the validity as a whole number of days."))
    if days < 1 or days > MAX_VALIDITY_DAYS:
        raise ApplicationError(
            _("A package is valid for 1 to %(max)d days (10 years).") % {"max": MAX_VALIDITY_DAYS},
            {"field": "validity_days"},
        )
    return days


def _clean_price(value: object, currency: str | None) -> Decimal:
    try:
        price = to_decimal(value)
    except ValueError:
        raise ApplicationError(_("Enter the price as a number, such as 50000 or 49.90."), {"field": "price"}) from None
    if price < 0:
        raise ApplicationError(_("The price cannot be below zero."), {"field": "price"})
    field = cast("DecimalField[Any, Any]", _field("price"))
    limit = 10 ** (field.max_digits - field.decimal_places)
    if price >= limit:
        raise ApplicationError(
            _("The price must be below %(limit)s.") % {"limit": format_money(limit, currency)}, {"field": "price"}
        )
    # The column holds `decimal_places`; a currency with fewer (KRW, JPY) takes whole amounts only.
    places = min(minor_unit(currency), field.decimal_places)
    if has_more_decimals_than(price, places):
        if places == 0:
            message = _("Prices in %(currency)s are whole amounts, without decimals.") % {"currency": currency}
        else:
            message = _("Use at most %(places)d decimal places.") % {"places": places}
        raise ApplicationError(message, {"field": "price"})
    return price.quantize(Decimal(1).scaleb(-field.decimal_places))


def clean_pricing_fields(values: Mapping[str, object], currency: str | None = None) -> dict[str, Any]:
    """The terms among ``values`` (name, sessions, price, validity_days; None: not given), each cleaned, or one
    ApplicationError naming every field refused. Forms call it on the fields they could parse."""
    currency = currency or current_currency()
    cleaners = {
        "name": _clean_name,
        "sessions": _clean_sessions,
        "price": lambda value: _clean_price(value, currency),
        "validity_days": _clean_validity,
    }
    return clean_given_fields(cleaners, values)


def _check_may_manage(actor: Actor | None, trainer: Trainer) -> None:
    if not can_use_pricing(actor):
        raise ApplicationError(_("You cannot manage pricing."))
    if not can_own_clients(trainer):
        raise ApplicationError(_("Assistants do not sell packages."), {"field": "trainer"})
    if not can_manage_pricing(actor, trainer):
        raise ApplicationError(_("You can only manage your own pricing templates."), {"field": "trainer"})


def _check_can_sell(trainer: Trainer) -> None:
    if not trainer.is_active:
        raise ApplicationError(
            _("%(name)s is deactivated and cannot sell packages.") % {"name": trainer.display_name},
            {"field": "trainer"},
        )


def _check_unique_name(actor: Actor, trainer: Trainer, name: str, exclude_pk: int | None = None) -> None:
    """Two templates on sale with the same name (ignoring case) would be confused when selling a package."""
    clashes = PricingTemplate.objects.filter(trainer=trainer, is_active=True, name__iexact=name)
    if exclude_pk is not None:
        clashes = clashes.exclude(pk=exclude_pk)
    if clashes.exists():
        if actor.pk == trainer.pk:
            message = _("You already have a template on sale named “%(name)s”.") % {"name": name}
        else:
            message = _("%(trainer)s already has a template on sale named “%(name)s”.") % {
                "trainer": trainer.display_name,
                "name": name,
            }
        raise ApplicationError(message, {"field": "name"})


def _terms(trainer: Trainer, template: PricingTemplate, currency: str | None) -> dict[str, Any]:
    """The audit event's parameters of a template's terms."""
    return {
        "trainer": trainer.display_name,
        "sessions": template.sessions,
        "price": (template.price, currency or ""),
        "days": template.validity_days,
    }


@transaction.atomic
def pricing_template_create(
    *,
    actor: Trainer,
    trainer: Trainer,
    name: str,
    sessions: int | str,
    price: Decimal | int | str,
    validity_days: int | str,
    is_active: bool = True,
) -> PricingTemplate:
    _check_may_manage(actor, trainer)
    trainer = Trainer.objects.locked(trainer)
    _check_may_manage(actor, trainer)  # the role may have changed since the caller loaded it
    _check_can_sell(trainer)
    currency = current_currency()
    given = {"name": name, "sessions": sessions, "price": price, "validity_days": validity_days}
    # "" (not None: "not given") for a missing value, which each term refuses: all are required here.
    terms = clean_pricing_fields({field: "" if value is None else value for field, value in given.items()}, currency)
    template = PricingTemplate(trainer=trainer, is_active=bool(is_active), **terms)
    if template.is_active:
        _check_unique_name(actor, trainer, template.name)
    full_clean_or_raise(template)
    template.save()
    audit_record(
        actor=actor,
        event="pricing_template.create",
        target=template,
        params=_terms(trainer, template, currency),
        changes=field_changes(template, {}, FIELDS),
    )
    return template


@transaction.atomic
def pricing_template_update(
    *,
    actor: Trainer,
    template: PricingTemplate,
    name: str | None = None,
    sessions: int | str | None = None,
    price: Decimal | int | str | None = None,
    validity_days: int | str | None = None,
) -> PricingTemplate:
    """Change the terms of a template; an argument left as None keeps its value.

    Packages already sold keep the terms they were sold with; only future sales use the new ones.
    """
    _check_may_manage(actor, template.trainer)
    trainer = Trainer.objects.locked(template.trainer)
    _check_may_manage(actor, trainer)
    template = PricingTemplate.objects.select_for_update().get(pk=template.pk)
    template.trainer = trainer
    currency = current_currency()
    before = snapshot(template, FIELDS)
    terms = {"name": name, "sessions": sessions, "price": price, "validity_days": validity_days}
    for field, value in clean_pricing_fields(terms, currency).items():
        setattr(template, field, value)
    changes = field_changes(template, before, FIELDS)
    if not changes:
        return template
    if template.is_active and "name" in changes:
        _check_unique_name(actor, trainer, template.name, exclude_pk=template.pk)
    full_clean_or_raise(template)
    template.save(update_fields=list(changes))
    audit_record(
        actor=actor,
        event="pricing_template.update",
        target=template,
        params=_terms(trainer, template, currency),
        changes=changes,
    )
    return template


@transaction.atomic
def pricing_template_set_active(*, actor: Trainer, template: PricingTemplate, is_active: bool) -> PricingTemplate:
    """Put a template on sale again or take it off sale. Nothing changes when it already is in that state."""
    _check_may_manage(actor, template.trainer)
    trainer = Trainer.objects.locked(template.trainer)
    _check_may_manage(actor, trainer)
    template = PricingTemplate.objects.select_for_update().get(pk=template.pk)
    template.trainer = trainer
    is_active = bool(is_active)
    if template.is_active == is_active:
        return template
    if is_active:
        _check_can_sell(trainer)
        _check_unique_name(actor, trainer, template.name, exclude_pk=template.pk)
    before = snapshot(template, FIELDS)
    template.is_active = is_active
    full_clean_or_raise(template)
    template.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        event="pricing_template.reactivate" if is_active else "pricing_template.deactivate",
        target=template,
        changes=field_changes(template, before, ["is_active"]),
    )
    return template
