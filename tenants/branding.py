"""The gym's own settings, as its owner edits them: name, timezone, late-cancellation window, money (currency, default
VAT rate and mode, card fee rate), what happens to packages at their end date, and branding.

The rules of each field live here, one cleaner per field, so that the settings form reports every field's error at
once and the write checks the same rules again. The write (``organization_settings_save``) changes the row of the
gym whose schema is active: the Organization lives in the public schema, which every gym's search path includes.
Saving it clears the host cache (``tenants/signals.py``), so the next request sees the change.

This layer sits below ``apps.audit`` and ``apps.trainers``: the logo arrives already decoded and re-encoded (PNG
bytes, ``apps.team.gym_settings.process_logo``) and the caller records its audit entry through ``record``.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, transaction
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from apps.core.errors import ApplicationError, FieldErrors, clean_name, clean_whole_number, full_clean_or_raise
from apps.core.files import delete_files_on_commit
from apps.core.money import clean_currency, to_decimal

from .models import Organization, PackageExpiryPolicy, PaperSize, PricingMode
from .services import available_timezones

if TYPE_CHECKING:
    from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper

#: The fields the owner edits on the settings page, as the audit entry names them.
SETTINGS_FIELDS = (
    "name",
    "timezone",
    "late_cancellation_hours",
    "currency",
    "default_vat_rate",
    "default_pricing_mode",
    "default_card_fee_rate",
    "package_expiry_policy",
    "package_extension_days",
    "accent_colour",
    "paper_size",
    "logo",
    # Issue 15: client reminders.
    "reminder_hours",
)
#: Rates are fractions with four decimals (0.1000 is 10 %), like the packages' own.
RATE_PLACES = 4
LOGO_EXTENSION = "png"
_HEX_COLOUR = re.compile(r"#?([0-9a-fA-F]{6})")

#: {field: [old, new]}, plain values (the logo by its storage name).
Changes = dict[str, list[Any]]


# --- one cleaner per field -----------------------------------------------------------------------------------------


def clean_gym_name(value: object) -> str:
    return clean_name(value, model=Organization, missing=_("Give the gym a name."))


def clean_timezone_name(value: object) -> str:
    name = str(value or "").strip()
    if name not in available_timezones():
        raise ApplicationError(_("Unknown timezone “%(tz)s”.") % {"tz": name}, {"field": "timezone"})
    return name


def late_cancellation_limit() -> int:
    """The longest window the model accepts (its MaxValueValidator), in hours."""
    field = Organization._meta.get_field("late_cancellation_hours")
    return min(validator.limit_value for validator in field.validators if isinstance(validator, MaxValueValidator))


def clean_late_cancellation_hours(value: object) -> int:
    limit = late_cancellation_limit()
    message = _("Enter a whole number of hours from 0 to %(limit)d.") % {"limit": limit}
    hours = clean_whole_number(value, "late_cancellation_hours", message)
    if not 0 <= hours <= limit:
        raise ApplicationError(message, {"field": "late_cancellation_hours"})
    return hours


def reminder_hours_limit() -> int:
    """The longest lead time of a reminder the model accepts (its MaxValueValidator), in hours."""
    field = Organization._meta.get_field("reminder_hours")
    return min(validator.limit_value for validator in field.validators if isinstance(validator, MaxValueValidator))


def clean_reminder_hours(value: object) -> int:
    limit = reminder_hours_limit()
    message = _("Enter a whole number of hours from 0 (no reminders) to %(limit)d.") % {"limit": limit}
    hours = clean_whole_number(value, "reminder_hours", message)
    if not 0 <= hours <= limit:
        raise ApplicationError(message, {"field": "reminder_hours"})
    return hours


def clean_default_rate(value: object, field: str) -> Decimal:
    """A default VAT or card-fee rate as a fraction: from 0 up to, not including, 1 (100 %), at most four decimals
    (two as a percentage: 8.25 %)."""
    message = _("Enter a percentage from 0 to below 100, with at most two decimals (such as 10 or 2.75).")
    try:
        rate = to_decimal(value)
    except ValueError:
        raise ApplicationError(message, {"field": field}) from None
    if not 0 <= rate < 1 or rate != rate.quantize(Decimal(1).scaleb(-RATE_PLACES)):
        raise ApplicationError(message, {"field": field})
    return rate.quantize(Decimal(1).scaleb(-RATE_PLACES))


def clean_default_vat_rate(value: object) -> Decimal:
    return clean_default_rate(value, "default_vat_rate")


def clean_default_card_fee_rate(value: object) -> Decimal:
    return clean_default_rate(value, "default_card_fee_rate")


def clean_default_pricing_mode(value: object) -> str:
    if value not in PricingMode.values:
        raise ApplicationError(
            _("Choose whether prices include VAT or VAT is added."), {"field": "default_pricing_mode"}
        )
    return str(value)


def clean_package_expiry_policy(value: object) -> str:
    if value not in PackageExpiryPolicy.values:
        raise ApplicationError(
            _("Choose whether unused credits are forfeited or the package is extended."),
            {"field": "package_expiry_policy"},
        )
    return str(value)


def package_extension_limits() -> tuple[int, int]:
    """The shortest and longest extension the model accepts (its validators), in days."""
    field = Organization._meta.get_field("package_extension_days")
    low = max(validator.limit_value for validator in field.validators if isinstance(validator, MinValueValidator))
    high = min(validator.limit_value for validator in field.validators if isinstance(validator, MaxValueValidator))
    return low, high


def package_extension_message() -> str:
    low, high = package_extension_limits()
    return _("Enter a whole number of days from %(low)d to %(high)d.") % {"low": low, "high": high}


def clean_package_extension_days(value: object) -> int:
    low, high = package_extension_limits()
    message = package_extension_message()
    days = clean_whole_number(value, "package_extension_days", message)
    if not low <= days <= high:
        raise ApplicationError(message, {"field": "package_extension_days"})
    return days


def clean_accent_colour(value: object) -> str:
    """``#rrggbb`` in lowercase; ``#RRGGBB`` and ``rrggbb`` are accepted and written that way."""
    match = _HEX_COLOUR.fullmatch(str(value or "").strip())
    if match is None:
        raise ApplicationError(_("Enter a colour as # and six hex digits, like #0f766e."), {"field": "accent_colour"})
    return "#" + match.group(1).lower()


def clean_paper_size(value: object) -> str:
    if value not in PaperSize.values:
        raise ApplicationError(_("Choose A4 or US Letter."), {"field": "paper_size"})
    return str(value)


# --- reading and writing the gym's row -----------------------------------------------------------------------------


def _current_organization_id() -> int:
    """The pk of the gym whose schema is active; refused on the platform's own (public) schema."""
    tenant = getattr(connection, "tenant", None)
    schema = cast("TenantDatabaseWrapper", connection).schema_name
    if not isinstance(tenant, Organization) or tenant.pk is None or schema == get_public_schema_name():
        raise ApplicationError(_("Gym settings can only be changed on the gym's own site."))
    return tenant.pk


def current_organization() -> Organization:
    """The active gym's row as it is in the database now (``request.tenant`` may come from the host cache)."""
    return Organization.objects.get(pk=_current_organization_id())


def _plain(organization: Organization, field: str) -> Any:
    value = getattr(organization, field)
    if field == "logo":
        return value.name or ""
    return str(value) if isinstance(value, Decimal) else value  # the audit stores JSON


def _logo_storage() -> Any:
    return Organization._meta.get_field("logo").storage


def _delete_logos(names: Iterable[str]) -> None:
    storage = _logo_storage()
    for name in names:
        if name:
            storage.delete(name)


def _delete_logos_on_commit(names: Iterable[str]) -> None:
    delete_files_on_commit(_logo_storage(), names)


@transaction.atomic
def organization_settings_save(
    *,
    name: object,
    timezone_name: object,
    late_cancellation_hours: object,
    accent_colour: object,
    paper_size: object,
    currency: object = None,
    default_vat_rate: object = None,
    default_pricing_mode: object = None,
    default_card_fee_rate: object = None,
    reminder_hours: object = None,
    package_expiry_policy: object = None,
    package_extension_days: object = None,
    logo_png: bytes | None = None,
    remove_logo: bool = False,
    record: Callable[[Organization, Changes], object] | None = None,
    errors: FieldErrors | None = None,
) -> tuple[Organization, Changes]:
    """Write the active gym's settings; return its fresh row and ``{field: [old, new]}`` of what changed.

    The money settings (``currency``, ``default_vat_rate`` and ``default_card_fee_rate`` as fractions,
    ``default_pricing_mode``) stay as they are when None. They are defaults for what is sold from now on: packages
    already sold keep their own currency, rates and amounts. So do the packages' expiry policy
    (``package_expiry_policy``, ``package_extension_days``), which applies to every active package from the next run
    of the expiry job. Every field is checked before any is refused, so one
    ApplicationError names them all (``field_errors``), with those the caller already found (``errors``).

    ``logo_png`` replaces the logo with these (already validated) PNG bytes, stored as ``branding/logo-<hex>.png``;
    ``remove_logo`` (without ``logo_png``) removes it. Replaced files are deleted after commit. ``record(organization,
    changes)`` runs in the transaction when something changed (the caller's audit entry). A call that changes nothing
    writes nothing. Refusals raise ApplicationError at the field.
    """
    errors = errors if errors is not None else FieldErrors()
    values = {
        "name": errors.check("name", clean_gym_name, name),
        "timezone": errors.check("timezone", clean_timezone_name, timezone_name),
        "late_cancellation_hours": errors.check(
            "late_cancellation_hours", clean_late_cancellation_hours, late_cancellation_hours
        ),
        "accent_colour": errors.check("accent_colour", clean_accent_colour, accent_colour),
        "paper_size": errors.check("paper_size", clean_paper_size, paper_size),
    }
    money: dict[str, tuple[object, Callable[[object], object]]] = {
        "currency": (currency, clean_currency),
        "default_vat_rate": (default_vat_rate, clean_default_vat_rate),
        "default_pricing_mode": (default_pricing_mode, clean_default_pricing_mode),
        "default_card_fee_rate": (default_card_fee_rate, clean_default_card_fee_rate),
        "reminder_hours": (reminder_hours, clean_reminder_hours),  # issue 15; None: unchanged
    }
    # What the expiry job does with a package that reaches its end date with credits left.
    packages: dict[str, tuple[object, Callable[[object], object]]] = {
        "package_expiry_policy": (package_expiry_policy, clean_package_expiry_policy),
        "package_extension_days": (package_extension_days, clean_package_extension_days),
    }
    for field, (value, cleaner) in (money | packages).items():
        if value is not None:
            values[field] = errors.check(field, cleaner, value)
    errors.raise_if_any()
    organization = Organization.objects.select_for_update().get(pk=_current_organization_id())
    before = {field: _plain(organization, field) for field in SETTINGS_FIELDS}
    for field, value in values.items():
        setattr(organization, field, value)
    stored = ""
    if logo_png is not None:
        # A new name each time: unguessable, and browsers and report caches never show a stale logo.
        organization.logo.save(f"logo-{secrets.token_hex(8)}.{LOGO_EXTENSION}", ContentFile(logo_png), save=False)
        stored = organization.logo.name or ""
    elif remove_logo:
        organization.logo = ""
    changes = {
        field: [before[field], _plain(organization, field)]
        for field in SETTINGS_FIELDS
        if before[field] != _plain(organization, field)
    }
    if not changes:
        return organization, changes
    try:
        full_clean_or_raise(organization)
        organization.save(update_fields=list(changes))  # post_save clears the host cache for its hosts
        if record is not None:
            record(organization, changes)
    except BaseException:
        _delete_logos([stored])
        raise
    if "logo" in changes:
        _delete_logos_on_commit([changes["logo"][0]])
    return organization, changes


@transaction.atomic
def organization_setup_checklist_dismiss(
    *, record: Callable[[Organization], object] | None = None
) -> tuple[Organization, bool]:
    """Put away the active gym's set-up checklist; return its row and whether this call changed it (a second call
    changes nothing and records nothing)."""
    organization = Organization.objects.select_for_update().get(pk=_current_organization_id())
    if organization.setup_checklist_dismissed_at is not None:
        return organization, False
    organization.setup_checklist_dismissed_at = dj_timezone.now()
    organization.save(update_fields=["setup_checklist_dismissed_at"])  # post_save clears the host cache
    if record is not None:
        record(organization)
    return organization, True
