"""The gym's own settings, as its owner edits them: name, timezone, late-cancellation window and branding.

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
from typing import TYPE_CHECKING, Any, cast

from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from apps.core.errors import ApplicationError, clean_name, clean_whole_number, full_clean_or_raise
from apps.core.files import delete_files_on_commit

from .models import Organization, PaperSize
from .services import available_timezones

if TYPE_CHECKING:
    from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper

#: The fields the owner edits on the settings page, as the audit entry names them.
SETTINGS_FIELDS = ("name", "timezone", "late_cancellation_hours", "accent_colour", "paper_size", "logo")
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
    return (value.name or "") if field == "logo" else value


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
    logo_png: bytes | None = None,
    remove_logo: bool = False,
    record: Callable[[Organization, Changes], object] | None = None,
) -> tuple[Organization, Changes]:
    """Write the active gym's settings; return its fresh row and ``{field: [old, new]}`` of what changed.

    ``logo_png`` replaces the logo with these (already validated) PNG bytes, stored as ``branding/logo-<hex>.png``;
    ``remove_logo`` (without ``logo_png``) removes it. Replaced files are deleted after commit. ``record(organization,
    changes)`` runs in the transaction when something changed (the caller's audit entry). A call that changes nothing
    writes nothing. Refusals raise ApplicationError at the field.
    """
    values = {
        "name": clean_gym_name(name),
        "timezone": clean_timezone_name(timezone_name),
        "late_cancellation_hours": clean_late_cancellation_hours(late_cancellation_hours),
        "accent_colour": clean_accent_colour(accent_colour),
        "paper_size": clean_paper_size(paper_size),
    }
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
