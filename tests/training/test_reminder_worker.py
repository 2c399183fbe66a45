"""Session reminders through real Celery workers on Redis and a real SMTP server (aiosmtpd): one mail per session
even when the beat job's fan-out runs twice at once in two worker processes.

The fan-out (``send_reminders_everywhere``) is published twice; each publishes one task per gym onto the same queue,
and two prefork processes run them side by side, so two runs for gym A race over the same sessions. The row lock
(``SKIP LOCKED``) and the sent-marker committed with the send must let exactly one mail per session reach the SMTP
server. Rows are committed for real (the workers have their own connections) and removed at the end.
"""

import re
import uuid
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from allauth.account.models import EmailAddress
from django.db import connection
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.models import AuditEntry
from apps.clients.models import Client
from apps.trainers.models import Trainer
from apps.training.models import Session
from apps.training.tasks import send_reminders_everywhere
from tenants.models import Organization, Role
from tests.conftest import GYM_A
from tests.e2e.mail import Mailbox
from tests.factories import ClientFactory, SessionFactory, TrainerFactory, UserFactory
from tests.support import free_port, wait_for
from tests.tenants.test_worker import celery_worker, db, redis_url  # noqa: F401 (the fixtures)

pytestmark = pytest.mark.worker

WORKER_POOL = ("prefork", 2)  # two processes, so the two fan-outs really race (read by the celery_worker fixture)
SESSIONS = 4
TASK = "apps.training.tasks.send_reminders_in_gym"


def succeeded(worker, task):
    return len(re.findall(rf"Task {re.escape(task)}\[[^\]]+\] succeeded", worker.log()))


@pytest.fixture
def smtp(monkeypatch):
    """An SMTP server in this process; the worker mails to it (the E2E_SMTP_PORT hook of config/settings/test.py).
    Requested before ``celery_worker`` so that the worker's environment carries the port."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port(), ready_timeout=10)
    controller.start()
    mailbox.port = controller.port
    monkeypatch.setenv("E2E_SMTP_PORT", str(controller.port))
    try:
        yield mailbox
    finally:
        controller.stop()


def test_two_racing_fan_outs_send_one_reminder_per_session(db, smtp, celery_worker):  # noqa: F811
    gym = Organization.objects.get(slug=GYM_A)
    tag = uuid.uuid4().hex[:6]
    coach_email = f"remind-coach-{tag}@alpha.example"
    addresses = [f"client-{n}-{tag}@example.com" for n in range(SESSIONS)]
    connection.set_tenant(gym)
    try:
        Organization.objects.filter(pk=gym.pk).update(reminder_hours=24)
        coach = TrainerFactory(user=UserFactory(email=coach_email), role=Role.TRAINER)
        start = timezone.now() + timedelta(hours=3)
        sessions = [
            SessionFactory(
                client=ClientFactory(trainer=coach, email=address, reminders_consent_at=timezone.now()),
                starts_at=start + timedelta(hours=n),
            )
            for n, address in enumerate(addresses)
        ]
        # Not reminded: no consent.
        SessionFactory(client=ClientFactory(trainer=coach, email=f"no-{tag}@example.com"), starts_at=start)
        connection.set_schema_to_public()

        fan_outs = [send_reminders_everywhere.delay(), send_reminders_everywhere.delay()]
        gyms = Organization.objects.filter(status="active").count()
        assert [result.get(timeout=60) for result in fan_outs] == [gyms, gyms]
        wait_for(lambda: succeeded(celery_worker, TASK) == 2 * gyms, 90, "every per-gym run to finish")
        received = [smtp.next_message() for _address in addresses]
        smtp.assert_empty()
        assert sorted(recipients[0] for recipients, _message in received) == sorted(addresses)
        message_ids = {message["Message-ID"] for _recipients, message in received}
        assert message_ids == {f"<reminder.{session.pk}.gym_alpha@alpha.localhost>" for session in sessions}
        for _recipients, message in received:
            assert message["Subject"].startswith("Reminder: your session at Alpha Gym on ")
            assert any(part.get_content_type() == "text/calendar" for part in message.iter_attachments())

        connection.set_tenant(gym)
        assert Session.objects.filter(pk__in=[s.pk for s in sessions], reminder_sent_at__isnull=True).count() == 0
        connection.set_schema_to_public()
        # And a third run later finds nothing to send.
        assert send_reminders_everywhere.delay().get(timeout=60) == gyms
        wait_for(lambda: succeeded(celery_worker, TASK) == 3 * gyms, 60, "the third run to finish")
        smtp.assert_empty()
    finally:
        connection.set_tenant(gym)
        try:
            trainers = Trainer.objects.filter(user__email=coach_email)
            Session.objects.filter(trainer__in=trainers).delete()
            Client.objects.filter(trainer__in=trainers).delete()
            AuditEntry.objects.filter(actor_id__in=trainers).delete()
            trainers.delete()
            EmailAddress.objects.filter(user__email=coach_email).delete()
            User.objects.filter(email=coach_email).delete()
        finally:
            connection.set_schema_to_public()
