"""Writes of the reports app: e-mailing an assessment's report to its client."""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.assessments.models import Assessment
from apps.audit.services import audit_record
from apps.clients.permissions import can_edit_client
from apps.core.errors import ApplicationError
from apps.trainers.models import Trainer

from .assessment import LANGUAGES


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
        action="assessment.report_email",
        target=assessment,
        summary=_("Report e-mailed to %(email)s.") % {"email": client.email},
        changes={"email": [None, client.email], "language": [None, language]},
    )
    from .tasks import send_assessment_report

    transaction.on_commit(lambda: send_assessment_report.delay(assessment.pk, int(actor.pk), language), robust=True)
