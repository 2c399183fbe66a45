from .models import AuditEntry


def audit_entry_list(*, actor, actor_id=None, action=None, since=None, until=None):
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
