"""The audit trail. Every write service calls ``audit_record`` inside its own transaction."""

from decimal import Decimal

from django.db.models import Model

from .models import AuditEntry


def _plain(value):
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def field_changes(instance, before, fields):
    """{field: [old, new]} for the fields of ``instance`` whose value differs from ``before``."""
    changes = {}
    for field in fields:
        old, new = before.get(field), getattr(instance, field)
        if old != new:
            changes[field] = [_plain(old), _plain(new)]
    return changes


def snapshot(instance, fields):
    return {field: getattr(instance, field) for field in fields}


def audit_record(*, actor, action, target, summary="", changes=None):
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
