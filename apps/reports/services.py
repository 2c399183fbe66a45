"""Writes of the reports app: e-mailing an assessment's report to its client."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access import is_owner
from apps.assessments.models import Assessment
from apps.audit.services import audit_record
from apps.clients.permissions import can_edit_client
from apps.core.errors import ApplicationError
from apps.trainers.models import Trainer

from .assessment import LANGUAGES
from .models import ReportExport


@transaction.atomic
def report_email(*, actor: Trainer, assessment: Assessment, language: str) -> None:
    """Send the report to the client as a PDF attachment, by a Celery task once this transaction commits.

    Refused when the client has no e-mail address or has not given consent (the consent recorded with the health
    screening, ``Client.consent_at``). Audited here, when it is asked for; the task renders and sends.
    """
    client = assessment.client
    if not can_edit_client(actor, client):
        raise ApplicationError(_("You cannot send this client's report."))
    if not client.email:
        raise ApplicationError(_("This client has no e-mail address: add one on the client's page first."))
    if client.consent_at is None:
        raise ApplicationError(_("This client has not given consent yet: record it with the health screening."))
    language = language if language in LANGUAGES else "en"
    audit_record(
        actor=actor,
        event="assessment.report_email",
        target=assessment,
        params={"email": client.email},
        changes={"email": [None, client.email], "language": [None, language]},
    )
    from .tasks import send_assessment_report

    transaction.on_commit(lambda: send_assessment_report.delay(assessment.pk, int(actor.pk), language), robust=True)


EXPORT_MAX_DAYS = 366


@transaction.atomic
def report_export_request(
    *, actor: Trainer, first_day: date, last_day: date, trainer: Trainer | None = None
) -> ReportExport:
    """Queue a ZIP of the reports of every client assessed from ``first_day`` to ``last_day`` (the latest
    assessment of each in the period), of the whole gym or of one ``trainer``. The owner only."""
    if not is_owner(actor):
        raise ApplicationError(_("Only the owner exports the gym's reports."))
    if last_day < first_day:
        raise ApplicationError(_("The last day cannot be before the first."), {"field": "last_day"})
    if (last_day - first_day).days + 1 > EXPORT_MAX_DAYS:
        raise ApplicationError(
            _("An export can cover at most %(days)d days.") % {"days": EXPORT_MAX_DAYS}, {"field": "last_day"}
        )
    export = ReportExport.objects.create(requested_by=actor, trainer=trainer, first_day=first_day, last_day=last_day)
    audit_record(
        actor=actor,
        event="reports.export",
        target=export,
        params={"first": first_day, "last": last_day},
        changes={"trainer": [None, trainer.display_name if trainer else ""]},
    )
    from .tasks import build_report_export

    transaction.on_commit(lambda: build_report_export.delay(export.pk), robust=True)
    return export


def report_exports_expire() -> int:
    """Delete the exports (files and rows) of the active gym past their expiry. Returns how many."""
    expired = list(ReportExport.objects.filter(expires_at__lt=timezone.now()))
    for export in expired:
        if export.file:
            export.file.delete(save=False)
    ReportExport.objects.filter(pk__in=[export.pk for export in expired]).delete()
    return len(expired)
