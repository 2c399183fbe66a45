"""The audit trail. Every write service calls ``audit_record`` inside its own transaction."""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Protocol

from django.db.models import Model

from .models import AuditEntry


class Author(Protocol):
    """Who does a change, as the log names them: a ``Trainer`` (which this layer cannot import)."""

    @property
    def pk(self) -> Any: ...

    @property
    def display_name(self) -> str: ...


def _plain(value: Any) -> Any:
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def field_changes(instance: Model, before: Mapping[str, Any], fields: Iterable[str]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields of ``instance`` whose value differs from ``before``."""
    changes: dict[str, list[Any]] = {}
    for field in fields:
        old, new = before.get(field), getattr(instance, field)
        if old != new:
            changes[field] = [_plain(old), _plain(new)]
    return changes


def snapshot(instance: Model, fields: Iterable[str]) -> dict[str, Any]:
    return {field: getattr(instance, field) for field in fields}


def audit_record(
    *,
    actor: Author | None,
    action: str,
    target: Model,
    summary: str = "",
    changes: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Write one entry. ``actor`` is the Trainer doing it (None for the platform or the system)."""
    return AuditEntry.objects.create(
        actor_id=getattr(actor, "pk", None),
        actor_name=actor.display_name if actor is not None else "",
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk or ""),
        target_repr=str(target)[:200],
        summary=summary[:500],
        changes={key: _plain(value) for key, value in (changes or {}).items()},
    )
