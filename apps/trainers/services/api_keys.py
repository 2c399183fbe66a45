"""Personal API keys: create (the secret is shown once), revoke, and find the key behind a request.

A key is ``gk_<prefix>_<secret>``: 8 hex characters that name it in lists and logs, and 256 random bits of which only
the SHA-256 is stored. A key acts as its trainer with the trainer's role; read-only keys may only read. Deactivating a
trainer revokes their keys in the same transaction (``apps.team.services.trainer_deactivate``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps import access
from apps.audit.services import audit_record
from apps.core.errors import ApplicationError, FieldErrors, clean_name

from ..models import ApiKey, Trainer

KEY_PREFIX = "gk_"
PREFIX_SHAPE = re.compile(r"[0-9a-f]{8}")
SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{40,100}")
# A key's last use is written at most this often: every request would otherwise write a row.
LAST_USED_EVERY = timedelta(minutes=1)
MAX_LIFETIME = timedelta(days=3 * 366)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _split(raw_key: str) -> tuple[str, str] | None:
    if not raw_key.startswith(KEY_PREFIX):
        return None
    prefix, _sep, secret = raw_key.removeprefix(KEY_PREFIX).partition("_")
    if not PREFIX_SHAPE.fullmatch(prefix) or not SECRET_SHAPE.fullmatch(secret):
        return None
    return prefix, secret


def _expires_at(expires_at: datetime | None) -> datetime | None:
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise ApplicationError(_("The expiry must be in the future."), {"field": "expires_at"})
    if expires_at is not None and expires_at > now + MAX_LIFETIME:
        raise ApplicationError(_("A key can live at most three years."), {"field": "expires_at"})
    return expires_at


def clean_api_key_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """The key's name and expiry among ``values``, cleaned, or one ApplicationError naming each refused."""
    errors = FieldErrors()
    cleaned: dict[str, Any] = {}
    if "name" in values:
        missing = _("Give the key a name, such as the program that uses it.")
        cleaned["name"] = errors.check("name", clean_name, values["name"], model=ApiKey, missing=missing)
    if "expires_at" in values:
        cleaned["expires_at"] = errors.check("expires_at", _expires_at, values["expires_at"])
    errors.raise_if_any()
    return cleaned


@transaction.atomic
def api_key_create(
    *, actor: Trainer, name: str, writable: bool = False, expires_at: datetime | None = None
) -> tuple[ApiKey, str]:
    """A new key of the actor. Returns the key row and the whole key, which is never shown again."""
    if not access.is_active_member(actor):
        raise ApplicationError(_("You cannot create API keys."))
    name = clean_api_key_fields({"name": name, "expires_at": expires_at})["name"]
    prefix, secret = secrets.token_hex(4), secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        trainer=actor,
        name=name,
        prefix=prefix,
        secret_hash=_hash(secret),
        writable=bool(writable),
        expires_at=expires_at,
    )
    audit_record(
        actor=actor,
        event="api_key.create_read_write" if key.writable else "api_key.create_read_only",
        target=key,
    )
    return key, f"{KEY_PREFIX}{prefix}_{secret}"


@transaction.atomic
def api_key_revoke(*, actor: Trainer, key: ApiKey) -> ApiKey:
    """Its creator revokes their own key; the owner any key of the gym."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if not ApiKey.objects.visible_to(actor).filter(pk=key.pk).exists():
        raise ApplicationError(_("You cannot revoke this key."))
    if key.revoked_at is not None:
        raise ApplicationError(_("This key was already revoked."))
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    audit_record(actor=actor, event="api_key.revoke", target=key)
    return key


def api_keys_revoke_all(*, trainer: Trainer) -> int:
    """Revoke every usable key of ``trainer`` (on deactivation, inside its transaction). Returns how many."""
    return ApiKey.objects.filter(trainer=trainer).usable().update(revoked_at=timezone.now())


def api_key_authenticate(raw_key: str) -> ApiKey | None:
    """The usable key ``raw_key`` names in this gym's schema, with its trainer and user, or None (unknown, malformed,
    revoked, expired, or a key of another gym, which this schema does not hold). Notes its use, at most once a
    minute."""
    parts = _split(raw_key or "")
    if parts is None:
        return None
    prefix, secret = parts
    key = ApiKey.objects.usable().select_related("trainer__user").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.secret_hash, _hash(secret)):
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_EVERY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key
