"""Organization lifecycle: provision, suspend, reactivate. Writes happen here and nowhere else."""

from __future__ import annotations

import zoneinfo
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.errors import ApplicationError

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


def _clean_provisioning_input(
    *,
    name: str | None,
    slug: str | None,
    owner_email: str | None,
    timezone_name: str,
    currency: str | None,
    default_vat_rate: Decimal | float | str,
    seat_limit: int | str,
) -> tuple[str, str, str, str, Decimal]:
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the organization a name."), {"field": "name"})
    slug = (slug or "").strip().lower()
    validate_slug(slug)
    owner_email = (owner_email or "").strip().lower()
    try:
        validate_email(owner_email)
    except ValidationError:
        raise ApplicationError(_("Enter a valid email address for the owner."), {"field": "owner_email"}) from None
    if timezone_name not in available_timezones():
        raise ApplicationError(_("Unknown timezone “%(tz)s”.") % {"tz": timezone_name}, {"field": "timezone"})
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ApplicationError(_("Currency is a three-letter ISO code such as USD or KRW."), {"field": "currency"})
    try:
        vat = Decimal(str(default_vat_rate))
    except InvalidOperation:
        raise ApplicationError(_("The VAT rate must be a number."), {"field": "default_vat_rate"}) from None
    if not Decimal(0) <= vat < Decimal(1) or vat != vat.quantize(Decimal("0.0001")):
        raise ApplicationError(
            _("The VAT rate is a fraction between 0 and 1 with at most 4 decimals (0.1 means 10%)."),
            {"field": "default_vat_rate"},
        )
    if int(seat_limit) < 1:
        raise ApplicationError(_("An organization needs at least one seat."), {"field": "seat_limit"})
    return name, slug, owner_email, currency, vat


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
    name, slug, owner_email, currency, vat = _clean_provisioning_input(
        name=name,
        slug=slug,
        owner_email=owner_email,
        timezone_name=timezone_name,
        currency=currency,
        default_vat_rate=default_vat_rate,
        seat_limit=seat_limit,
    )
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
            # The owner's email and the stored snapshot that starts its first sentence are in the site's
            # language (settings.LANGUAGE_CODE), not in whatever language the operator's admin uses.
            with translation.override(settings.LANGUAGE_CODE):
                invitation, token = issue_invitation(
                    organization=organization,
                    email=owner_email,
                    role=Role.OWNER,
                    inviter_id=None,
                    inviter_name=_("The platform team"),
                    send=send_invitation,
                )
    except IntegrityError:
        raise ApplicationError(_("The slug “%(slug)s” is already taken.") % {"slug": slug}, {"field": "slug"}) from None
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(" ".join(messages), {"field": field}) from None
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
