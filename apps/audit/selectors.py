"""Reads of the audit log, through ``visible_to(actor)`` (the owner only, ``apps.access.can_read_audit_log``)."""

from datetime import date

from django.db.models import Model, QuerySet

from apps.access import Actor

from .models import AuditEntry


def audit_entry_list(
    *,
    actor: Actor | None,
    actor_id: int | None = None,
    action: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """The log, newest first, filtered by who did it, the action and a range of days."""
    entries = AuditEntry.objects.visible_to(actor)
    if actor_id:
        entries = entries.filter(actor_id=actor_id)
    if action:
        entries = entries.filter(action=action)
    if since:
        entries = entries.filter(created_at__date__gte=since)
    if until:
        entries = entries.filter(created_at__date__lte=until)
    return entries


def audit_actions(*, actor: Actor | None) -> QuerySet[AuditEntry, str]:
    """The distinct actions of the log, for its filter."""
    return AuditEntry.objects.visible_to(actor).order_by("action").values_list("action", flat=True).distinct()


def audit_entries_about(*, actor: Actor | None, target: Model) -> QuerySet[AuditEntry]:
    """The entries about one object (its model and id), oldest first."""
    return (
        AuditEntry.objects.visible_to(actor)
        .filter(target_type=target._meta.label_lower, target_id=str(target.pk))
        .order_by("pk")
    )
