from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.access import can_read_audit_log
from apps.core.dates import format_datetime
from apps.core.scoping import ScopedQuerySet

from . import events


class AuditQuerySet(ScopedQuerySet):
    def visible_to(self, actor):
        return self.all() if can_read_audit_log(actor) else self.none()


class AuditEntry(models.Model):
    """Who did what to which object, when. Written by services; never edited or deleted."""

    # Ids and a name snapshot instead of foreign keys: entries outlive renames and must never block a delete.
    actor_id = models.BigIntegerField(_("trainer id"), null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("object type"), max_length=64)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    # What happened, as an event code and its parameters (apps/audit/events.py), put into words when read, in the
    # reader's language. ``summary`` is plain text for entries without an event (rows older than issue 15 that
    # could not be read back, and code not yet converted): shown as written.
    event = models.CharField(_("event"), max_length=64, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{format_datetime(self.created_at)} {self.actor_name} {self.action} {self.target_repr}"

    @property
    def sentence(self) -> str:
        """What happened, in the active language (the reader's): the event's message, or the stored summary."""
        if not self.event:
            return self.summary
        return events.render(self.event, self.params, fallback=self.summary)
