"""Organization lifecycle: provision, suspend, reactivate. Writes happen here and nowhere else."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.errors import ApplicationError, FieldErrors, clean_whole_number
from apps.core.money import clean_currency

from . import schema_factory
from .invitations import issue_invitation
from .models import Domain, Organization, OrganizationStatus, Role
from .validators import schema_name_for_slug, validate_slug

if TYPE_CHECKING:
    from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper


@lru_cache(maxsize=1)
def available_timezones() -> frozenset[str]:
    # Reading the timezone database costs 7-14 ms: once per process is enough.
    return frozenset(zoneinfo.available_timezones())


def _name(value: object) -> str:
    name = str(value or "").strip()
    if not name:
        raise ApplicationError(_("Give the organization a name."), {"field": "name"})
    return name


def _slug(value: object) -> str:
    slug = str(value or "").strip().lower()
    validate_slug(slug)
    return slug


def _owner_email(value: object) -> str:
    owner_email = str(value or "").strip().lower()
    try:
        validate_email(owner_email)
    except ValidationError:
        raise ApplicationError(_("Enter a valid email address for the owner."), {"field": "owner_email"}) from None
    return owner_email


def _timezone(value: object) -> str:
    if value not in available_timezones():
        raise ApplicationError(_("Unknown timezone “%(tz)s”.") % {"tz": value}, {"field": "timezone"})
    return str(value)


def _vat_rate(value: object) -> Decimal:
    try:
        vat = Decimal(str(value))
    except InvalidOperation:
        raise ApplicationError(_("The VAT rate must be a number."), {"field": "default_vat_rate"}) from None
    if not vat.is_finite() or not Decimal(0) <= vat < Decimal(1) or vat != vat.quantize(Decimal("0.0001")):
        raise ApplicationError(
            _("The VAT rate is a fraction between 0 and 1 with at most 4 decimals (0.1 means 10%)."),
            {"field": "default_vat_rate"},
        )
    return vat


def _seat_limit(value: object) -> int:
    seats = clean_whole_number(value, "seat_limit", _("Enter the number of seats as a whole number."))
    if seats < 1:
        raise ApplicationError(_("An organization needs at least one seat."), {"field": "seat_limit"})
    return seats


PROVISIONING_CLEANERS: dict[str, Callable[[Any], Any]] = {
    "name": _name,
    "slug": _slug,
    "owner_email": _owner_email,
    "timezone": _timezone,
    "currency": clean_currency,
    "default_vat_rate": _vat_rate,
    "seat_limit": _seat_limit,
}


def clean_provisioning_fields(values: Mapping[str, object]) -> dict[str, Any]:
    """The fields of a new organization among ``values`` (PROVISIONING_CLEANERS' names), each cleaned, or one
    ApplicationError naming every field refused. The provisioning form calls it on the fields it could parse."""
    errors = FieldErrors()
    cleaned = {
        name: errors.check(name, PROVISIONING_CLEANERS[name], value)
        for name, value in values.items()
        if name in PROVISIONING_CLEANERS
    }
    errors.raise_if_any()
    return cleaned


def organization_provision(
    *,
    name: str,
    slug: str,
    owner_email: str,
    timezone_name: str = "UTC",
    currency: str = "USD",
    default_vat_rate: Decimal | float | str = Decimal("0"),
    seat_limit: int = 10,
    send_invitation: bool = True,
) -> tuple[Organization, str]:
    """Create a gym: its row, host, schema and the owner's invitation, all or nothing.

    Returns (organization, invitation_token). The token is only ever shown in the email and,
    for the platform operator's convenience, by the management command's output.
    """
    cleaned = clean_provisioning_fields(
        {
            "name": name,
            "slug": slug,
            "owner_email": owner_email,
            "timezone": timezone_name,
            "currency": currency,
            "default_vat_rate": default_vat_rate,
            "seat_limit": seat_limit,
        }
    )
    name, slug, owner_email, currency = cleaned["name"], cleaned["slug"], cleaned["owner_email"], cleaned["currency"]
    vat, seat_limit = cleaned["default_vat_rate"], cleaned["seat_limit"]
    schema_name = schema_name_for_slug(slug)
    host = f"{slug}.{settings.BASE_DOMAIN}"
    cast("TenantDatabaseWrapper", connection).set_schema_to_public()
    if Organization.objects.filter(slug__iexact=slug).exists() or Domain.objects.filter(domain=host).exists():
        raise ApplicationError(_("The slug “%(slug)s” is already taken.") % {"slug": slug}, {"field": "slug"})
    try:
        with transaction.atomic():
            organization = Organization(
                name=name,
                slug=slug,
                schema_name=schema_name,
                owner_email=owner_email,
                timezone=timezone_name,
                currency=currency,
                default_vat_rate=vat,
                seat_limit=seat_limit,
                status=OrganizationStatus.ACTIVE,
            )
            organization.full_clean()
            organization.save()
            Domain.objects.create(domain=host, tenant=organization, is_primary=True)
            schema_factory.build_schema(schema_name)
            # The owner's email is in the site's language (settings.LANGUAGE_CODE), not in whatever language the
            # operator's admin uses. No inviter name is stored: "the platform team" is named when it is shown,
            # in the reader's language (Invitation.inviter).
            with translation.override(settings.LANGUAGE_CODE):
                invitation, token = issue_invitation(
                    organization=organization,
                    email=owner_email,
                    role=Role.OWNER,
                    inviter_id=None,
                    inviter_name="",
                    send=send_invitation,
                )
    except IntegrityError:
        raise ApplicationError(_("The slug “%(slug)s” is already taken.") % {"slug": slug}, {"field": "slug"}) from None
    except ValidationError as error:
        errors = FieldErrors()
        for field, messages in error.message_dict.items():
            for message in messages:
                errors.add(None if field == NON_FIELD_ERRORS else field, message)
        errors.raise_if_any()
        raise  # a ValidationError always carries a message: not reached
    # robust: the gym exists once committed; a failed refill must not turn its creation into an error.
    transaction.on_commit(_refill_pool_later, robust=True)
    return organization, token


def _refill_pool_later() -> None:
    from .tasks import refill_schema_pool

    refill_schema_pool.delay()


def organization_suspend(*, organization: Organization) -> Organization:
    if organization.status == OrganizationStatus.SUSPENDED:
        raise ApplicationError(_("%(name)s is already suspended.") % {"name": organization.name})
    organization.status = OrganizationStatus.SUSPENDED
    organization.suspended_at = timezone.now()
    organization.save(update_fields=["status", "suspended_at"])
    return organization


def organization_reactivate(*, organization: Organization) -> Organization:
    if organization.status != OrganizationStatus.SUSPENDED:
        raise ApplicationError(_("%(name)s is not suspended.") % {"name": organization.name})
    organization.status = OrganizationStatus.ACTIVE
    organization.suspended_at = None
    organization.save(update_fields=["status", "suspended_at"])
    return organization
