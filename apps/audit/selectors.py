"""Reads of the audit log, through ``visible_to(actor)`` (the owner only, ``apps.access.can_read_audit_log``)."""

from .models import AuditEntry


def audit_entry_list(*, actor, actor_id=None, action=None, since=None, until=None):
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


def audit_actions(*, actor):
    """The distinct actions of the log, for its filter."""
    return AuditEntry.objects.visible_to(actor).order_by("action").values_list("action", flat=True).distinct()


def audit_entries_about(*, actor, target):
    """The entries about one object (its model and id), oldest first."""
    return (
        AuditEntry.objects.visible_to(actor)
        .filter(target_type=target._meta.label_lower, target_id=str(target.pk))
        .order_by("pk")
    )
