"""Packages expire on their own: the hourly beat job marks active packages past their expiry day (gym's calendar)."""

from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from django.db import connection
from django_tenants.utils import tenant_context

from apps.audit.models import AuditEntry
from apps.training import tasks
from apps.training.models import PackageStatus, SessionPackage
from apps.training.services.packages import packages_expire
from tests.factories import SessionPackageFactory

DAY = date(2026, 3, 10)


def test_only_active_packages_past_their_day_expire(gym):
    due = SessionPackageFactory(expires_on=DAY - timedelta(days=1), used_sessions=3)
    last_day = SessionPackageFactory(expires_on=DAY)
    open_ended = SessionPackageFactory(expires_on=None)
    used_up = SessionPackageFactory(expires_on=DAY - timedelta(days=5), status=PackageStatus.USED_UP)
    cancelled = SessionPackageFactory(expires_on=DAY - timedelta(days=5), status=PackageStatus.CANCELLED)

    assert packages_expire(today=DAY) == 1

    statuses = dict(SessionPackage.objects.values_list("pk", "status"))
    assert statuses[due.pk] == PackageStatus.EXPIRED
    assert statuses[last_day.pk] == PackageStatus.ACTIVE  # usable through its last day
    assert statuses[open_ended.pk] == PackageStatus.ACTIVE
    assert statuses[used_up.pk] == PackageStatus.USED_UP
    assert statuses[cancelled.pk] == PackageStatus.CANCELLED
    due.refresh_from_db()
    assert due.used_sessions == 3  # nothing but the status changes
    entry = AuditEntry.objects.get(action="package.expire")
    assert (entry.target_id, entry.actor_id, entry.changes) == (str(due.pk), None, {"status": ["active", "expired"]})

    assert packages_expire(today=DAY) == 0  # a second run finds nothing to do


def test_the_day_is_the_gyms(gym):
    package = SessionPackageFactory(expires_on=DAY)
    gym.timezone = "Asia/Seoul"
    type(gym).objects.filter(pk=gym.pk).update(timezone="Asia/Seoul")  # the job reads the row
    # 16:00 UTC on the expiry day is already 01:00 the next day in Seoul.
    late_utc = datetime(2026, 3, 10, 16, 0, tzinfo=ZoneInfo("UTC"))
    with mock.patch("django.utils.timezone.now", return_value=late_utc):
        assert packages_expire() == 1
    package.refresh_from_db()
    assert package.status == PackageStatus.EXPIRED


def test_the_hourly_job_reaches_every_active_gym(gym_a, gym_b):
    yesterday = date.today() - timedelta(days=3)
    with tenant_context(gym_a):
        in_a = SessionPackageFactory(expires_on=yesterday)
    with tenant_context(gym_b):
        in_b = SessionPackageFactory(expires_on=yesterday)

    assert tasks.expire_packages_everywhere.delay().get() == 2  # tasks run eagerly in tests

    with tenant_context(gym_a):
        assert SessionPackage.objects.get(pk=in_a.pk).status == PackageStatus.EXPIRED
    with tenant_context(gym_b):
        assert SessionPackage.objects.get(pk=in_b.pk).status == PackageStatus.EXPIRED
    assert connection.schema_name == "public"


def test_a_suspended_gym_is_left_alone(gym_a, gym_b):
    gym_b.status = "suspended"
    gym_b.save(update_fields=["status"])
    with tenant_context(gym_b):
        waiting = SessionPackageFactory(expires_on=date.today() - timedelta(days=3))

    assert tasks.expire_packages_everywhere.delay().get() == 1

    with tenant_context(gym_b):
        assert SessionPackage.objects.get(pk=waiting.pk).status == PackageStatus.ACTIVE


def test_the_beat_schedule_runs_the_job_hourly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["expire-packages"]
    assert entry["task"] == tasks.expire_packages_everywhere.name
    assert entry["schedule"].minute == {15} and len(entry["schedule"].hour) == 24
