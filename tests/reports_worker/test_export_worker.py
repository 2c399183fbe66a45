"""The batch export through a real Celery worker on Redis (the production path): the request commits, the worker
builds the ZIP in the gym's schema, the page's status goes from waiting to ready, the ZIP holds every report, and the
expiry job removes it. Rows are committed for real (the worker has its own connection) and removed at the end."""

import io
import uuid
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.assessments.models import Assessment, TestResult
from apps.assessments.services import assessment_create
from apps.audit.models import AuditEntry
from apps.clients.models import Client
from apps.core.dates import gym_today
from apps.demo.seed import demo_results
from apps.reports.models import ExportStatus, ReportExport
from apps.reports.services import report_export_request, report_exports_expire
from apps.trainers.models import Trainer
from tenants.models import Organization, Role
from tests.conftest import GYM_A
from tests.factories import ClientFactory, TrainerFactory, UserFactory
from tests.support import wait_for
from tests.tenants.test_worker import celery_worker, db, redis_url  # noqa: F401 (the fixtures)

pytestmark = pytest.mark.worker


def test_a_real_worker_builds_the_export_and_the_expiry_job_removes_it(db, celery_worker):  # noqa: F811
    gym = Organization.objects.get(slug=GYM_A)
    connection.set_tenant(gym)
    tag = uuid.uuid4().hex[:6]
    emails = [f"zip-owner-{tag}@alpha.example", f"zip-coach-{tag}@alpha.example"]
    try:
        owner = TrainerFactory(user=UserFactory(email=emails[0]), role=Role.OWNER)
        coach = TrainerFactory(user=UserFactory(email=emails[1]), role=Role.TRAINER)
        for name in ("Ivy", "Jo"):
            client = ClientFactory(trainer=coach, first_name=name, last_name=tag, weight_kg=Decimal("65"))
            assessment_create(actor=coach, client=client, performed_at=timezone.now() - timedelta(days=2),
                              results=demo_results(1, 65), age=30, sex="female")  # fmt: skip
        with transaction.atomic():
            export = report_export_request(
                actor=owner, first_day=gym_today() - timedelta(days=7), last_day=gym_today(), trainer=coach
            )
            assert ReportExport.objects.get(pk=export.pk).status == ExportStatus.QUEUED
        # The worker's connection commits each step: wait until it says the file is ready.
        done = wait_for(
            lambda: ReportExport.objects.filter(pk=export.pk, status__in=["done", "failed"]).first(),
            90,
            "the worker to build the export",
        )
        assert done.status == ExportStatus.DONE, (done.error, celery_worker.log())
        assert (done.total, done.done) == (2, 2)
        with default_storage.open(done.file.name, "rb") as handle:
            names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
        assert sorted(name.split("-")[0] for name in names) == ["ivy", "jo"]
        ReportExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
        assert report_exports_expire() == 1
        assert not default_storage.exists(done.file.name)
    finally:
        connection.set_tenant(gym)
        try:
            ReportExport.objects.filter(requested_by__user__email__in=emails).delete()
            clients = Client.objects.filter(trainer__user__email__in=emails)
            TestResult.objects.filter(assessment__client__in=clients).delete()
            Assessment.objects.filter(client__in=clients).delete()
            clients.delete()
            AuditEntry.objects.filter(actor_id__in=Trainer.objects.filter(user__email__in=emails)).delete()
            Trainer.objects.filter(user__email__in=emails).delete()
            EmailAddress.objects.filter(user__email__in=emails).delete()
            User.objects.filter(email__in=emails).delete()
        finally:
            connection.set_schema_to_public()
