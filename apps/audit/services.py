"""The audit trail. Every write service calls ``audit_record`` inside its own transaction."""

import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Protocol

from django.db.models import Model, Q, TextField
from django.db.models.functions import Cast

from . import events
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


def _replaced(entry: AuditEntry, old: str, new: str) -> dict[str, Any]:
    """The entry's parameters with ``new`` for ``old`` in its texts and names (never in a code, amount or date)."""
    kinds = events.REGISTRY[entry.event].params if entry.event in events.REGISTRY else {}
    params = dict(entry.params)
    for name, kind in kinds.items():
        if isinstance(kind, events.Text) and isinstance(params.get(name), str):
            params[name] = params[name].replace(old, new)
        elif isinstance(kind, events.Names) and isinstance(params.get(name), list):
            params[name] = [str(each).replace(old, new) for each in params[name]]
    return params


def audit_replace_name(old: str, new: str) -> int:
    """Write ``new`` for ``old`` (an erased person's name) wherever entries name it: their object's text, their
    summary and the texts among their event's parameters. Returns how many entries changed."""
    # jsonb's text escapes like JSON does, so the name is looked for as JSON would write it
    as_json = json.dumps(old, ensure_ascii=False)[1:-1]
    mentions = AuditEntry.objects.annotate(params_text=Cast("params", TextField())).filter(
        Q(target_repr__contains=old) | Q(summary__contains=old) | Q(params_text__contains=as_json)
    )
    changed = 0
    for entry in mentions.only("pk", "target_repr", "summary", "event", "params"):
        before = (entry.target_repr, entry.summary, entry.params)
        entry.target_repr = entry.target_repr.replace(old, new)[:200]
        entry.summary = entry.summary.replace(old, new)[:500]
        entry.params = _replaced(entry, old, new)
        if (entry.target_repr, entry.summary, entry.params) != before:  # not a mere code or value that contains it
            entry.save(update_fields=["target_repr", "summary", "params"])
            changed += 1
    return changed


def audit_record(
    *,
    actor: Author | None,
    target: Model,
    event: str = "",
    params: Mapping[str, Any] | None = None,
    action: str = "",
    summary: str = "",
    changes: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Write one entry. ``actor`` is the Trainer doing it (None for the platform or the system).

    ``event`` (a code of ``apps.audit.events``) and its ``params`` say what happened; the sentence is made when the
    entry is read, in the reader's language. ``action`` defaults to the event's. Without an event, ``summary`` is
    stored as plain text and shown as written (code not yet converted: see docs/architecture.md, issue 15)."""
    if event:
        if summary:
            raise TypeError("audit_record: give an event with its params, or a summary, not both")
        stored = events.dump_params(event, params)
        expected = events.get(event).entry_action
        if action and action != expected:
            raise ValueError(f"audit event {event!r} belongs to the action {expected!r}, not {action!r}")
        action = expected
    elif params:
        raise TypeError("audit_record: params without an event")
    else:
        stored = {}
    if not action:
        raise TypeError("audit_record: an event or an action is required")
    return AuditEntry.objects.create(
        actor_id=getattr(actor, "pk", None),
        actor_name=actor.display_name if actor is not None else "",
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk or ""),
        target_repr=str(target)[:200],
        event=event,
        params=stored,
        summary=str(summary)[:500],
        changes={key: _plain(value) for key, value in (changes or {}).items()},
    )
