"""Jobs of the reports app. Tasks get ids, rebuild the actor, and run in the gym's schema (tenant-schemas-celery)."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.template.loader import render_to_string
from django.utils import translation

from apps.assessments.models import Assessment
from apps.trainers.middleware import actor_for_user
from apps.trainers.models import Trainer

from .assessment import assessment_report, report_pdf

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
    with translation.override(report.language):
        subject = render_to_string("reports/email/report_subject.txt", context).strip()
        text = render_to_string("reports/email/report.txt", context)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [assessment.client.email], reply_to=[report.trainer.user.email]
    )
    message.attach(filename, content, "application/pdf")
    message.send()
    return filename
