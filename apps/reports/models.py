from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.access import is_active_member
from apps.core.scoping import ScopedQuerySet

EXPORT_KEPT = timedelta(days=7)


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Drawing the reports")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportExportQuerySet(ScopedQuerySet):
    def visible_to(self, actor):
        """An export is its requester's alone (it holds many clients' reports): nobody else sees it."""
        if not is_active_member(actor):
            return self.none()
        return self.filter(requested_by_id=actor.pk)


class ReportExport(models.Model):
    """A ZIP of the assessment reports of every client assessed in a period (or one trainer's), built by a Celery
    task, kept in the gym's storage for ``EXPORT_KEPT`` and then deleted by a beat job."""

    requested_by = models.ForeignKey("trainers.Trainer", on_delete=models.PROTECT, related_name="+")
    trainer = models.ForeignKey("trainers.Trainer", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True, max_length=200)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = ReportExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def percent(self) -> int:
        return 100 if self.status == ExportStatus.DONE else int(100 * self.done / self.total) if self.total else 0
