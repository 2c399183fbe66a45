"""Jobs of the reports app. Tasks get ids, rebuild the actor, and run in the gym's schema (tenant-schemas-celery)."""

import logging
import secrets
import tempfile
import zipfile
from datetime import datetime, time, timedelta

from celery import shared_task
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django_tenants.utils import tenant_context

from apps.assessments.models import Assessment
from apps.core.dates import gym_locale, gym_timezone
from apps.trainers.middleware import actor_for_user
from apps.trainers.models import Trainer
from tenants.models import Organization, OrganizationStatus

from .assessment import assessment_report, report_pdf
from .models import EXPORT_KEPT, ExportStatus, ReportExport
from .services import report_exports_expire

logger = logging.getLogger(__name__)


# One report renders in well under a second (docs/benchmarks.md); a minute means something is wrong with it.
REPORT_SOFT_TIME_LIMIT = 60
REPORT_TIME_LIMIT = 90


@shared_task(
    bind=True,
    autoretry_for=(ConnectionError, OSError),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
    soft_time_limit=REPORT_SOFT_TIME_LIMIT,
    time_limit=REPORT_TIME_LIMIT,
)
def send_assessment_report(self, assessment_id, actor_id, language):
    """Render (or read back) the report and mail it to the client. Nothing is sent when the assessment, the
    client's address or the sender's right to it is gone since the request."""
    trainer = Trainer.objects.select_related("user").filter(pk=actor_id, is_active=True).first()
    actor = actor_for_user(trainer.user) if trainer else None
    assessment = (
        Assessment.objects.visible_to(actor)
        .select_related("client", "trainer__user")
        .prefetch_related("results", "trainer__certifications", "trainer__specialties")
        .filter(pk=assessment_id)
        .first()
    )
    if actor is None or assessment is None or not assessment.client.email:
        logger.info("report of assessment %s: nothing to send", assessment_id)
        return None
    report = assessment_report(actor=actor, assessment=assessment, language=language)
    content, filename = report_pdf(report)
    context = {"report": report, "gym": getattr(connection.tenant, "name", "")}
    with gym_locale(report.language):
        subject = render_to_string("reports/email/report_subject.txt", context).strip()
        text = render_to_string("reports/email/report.txt", context)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [assessment.client.email], reply_to=[report.trainer.user.email]
    )
    message.attach(filename, content, "application/pdf")
    message.send()
    return filename


@shared_task(bind=True, acks_late=True, soft_time_limit=30 * 60, time_limit=35 * 60)
def build_report_export(self, export_id):
    """Draw (or read back) each report into a ZIP, counting progress as it goes; the file is stored only once
    whole. Idempotent: a finished export is left alone."""
    export = ReportExport.objects.select_related("requested_by__user").filter(pk=export_id).first()
    if export is None or export.finished:
        return None
    try:
        name = _build(export)
    except Exception as error:
        logger.exception("report export %s failed", export_id)
        ReportExport.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED, error=str(error)[:300], finished_at=timezone.now()
        )
        return None
    return name


def _build(export: ReportExport) -> str:
    actor = actor_for_user(export.requested_by.user)
    if actor is None:
        raise PermissionError("the requester is no longer an active member")
    zone = gym_timezone()
    start = datetime.combine(export.first_day, time.min, tzinfo=zone)
    end = datetime.combine(export.last_day + timedelta(days=1), time.min, tzinfo=zone)
    latest = Assessment.objects.visible_to(actor).filter(performed_at__gte=start, performed_at__lt=end)
    if export.trainer_id:
        latest = latest.filter(client__trainer_id=export.trainer_id)
    ids = list(latest.order_by("client_id", "-performed_at", "-pk").distinct("client_id").values_list("pk", flat=True))
    assessments = (
        Assessment.objects.filter(pk__in=ids)
        .select_related("client", "trainer__user")
        .prefetch_related("results", "trainer__certifications", "trainer__specialties")
        .order_by("client__last_name", "client__first_name", "pk")
    )
    ReportExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, total=len(ids), done=0)
    with tempfile.TemporaryFile() as buffer:
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
            for number, assessment in enumerate(assessments, start=1):
                report = assessment_report(
                    actor=actor, assessment=assessment, language=assessment.client.report_language or "en"
                )
                content, filename = report_pdf(report)
                client = slugify(f"{assessment.client.first_name} {assessment.client.last_name}") or "client"
                archive.writestr(f"{client}-{filename}", content)
                ReportExport.objects.filter(pk=export.pk).update(done=number)
        buffer.seek(0)
        stored = default_storage.save(f"exports/reports-{secrets.token_hex(16)}.zip", File(buffer))
    now = timezone.now()
    ReportExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.DONE, file=stored, finished_at=now, expires_at=now + EXPORT_KEPT
    )
    return stored


@shared_task(acks_late=True)
def expire_report_exports_in_gym():
    return report_exports_expire()


@shared_task
def expire_report_exports_everywhere():
    """One small task per active gym (hourly beat)."""
    sent = 0
    for organization in Organization.objects.filter(status=OrganizationStatus.ACTIVE).order_by("pk").iterator():
        with tenant_context(organization):
            expire_report_exports_in_gym.delay()
        sent += 1
    return sent
