"""The gym's expiry policy (issue 15): a package that reaches its end date with credits left expires (the credits are
forfeited) or, if the gym says so, is extended once by the gym's number of days; with nothing left it is used up.
Each change is audited once; a second run changes nothing; the day is the gym's, in the eager path and per gym."""

from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from apps.audit.models import AuditEntry
from apps.training import tasks
from apps.training.expiry import days_until_expiry, expiry_phrase
from apps.training.models import PackageStatus, SessionPackage
from apps.training.services.packages import packages_expire, packages_expire_run
from tenants.models import Organization, PackageExpiryPolicy
from tests.factories import SessionPackageFactory

DAY = date(2026, 3, 10)
LAST_DAY = DAY - timedelta(days=1)  # a package whose last day was yesterday is due today


def set_policy(organization, policy, days=30):
    organization.package_expiry_policy, organization.package_extension_days = policy, days
    Organization.objects.filter(pk=organization.pk).update(package_expiry_policy=policy, package_extension_days=days)


def entries(package=None):
    found = AuditEntry.objects.filter(action__startswith="package.").exclude(action="package.sell")
    if package is not None:
        found = found.filter(target_id=str(package.pk))
    return list(found.order_by("pk").values_list("action", "changes"))


@pytest.fixture
def extending(gym):
    set_policy(gym, PackageExpiryPolicy.EXTEND, 30)
    return gym


def test_by_default_unused_credits_are_forfeited(gym):
    assert gym.package_expiry_policy == PackageExpiryPolicy.FORFEIT
    package = SessionPackageFactory(expires_on=LAST_DAY, used_sessions=4)

    run = packages_expire_run(today=DAY)

    assert (run.day, run.expired, run.extended, run.used_up) == (DAY, 1, 0, 0)
    package.refresh_from_db()
    assert (package.status, package.expires_on, package.extended_days, package.extended_at) == (
        PackageStatus.EXPIRED,
        LAST_DAY,
        0,
        None,
    )
    assert entries() == [("package.expire", {"status": ["active", "expired"]})]


def test_the_extension_moves_the_end_date_once_then_the_package_expires(extending):
    package = SessionPackageFactory(expires_on=LAST_DAY, used_sessions=4)
    now = datetime(2026, 3, 10, 0, 15, tzinfo=UTC)

    with mock.patch("django.utils.timezone.now", return_value=now):
        assert packages_expire_run(today=DAY).extended == 1
    package.refresh_from_db()
    assert (package.status, package.expires_on, package.extended_days, package.extended_at) == (
        PackageStatus.ACTIVE,
        LAST_DAY + timedelta(days=30),
        30,
        now,
    )
    assert package.expires_on_before_extension == LAST_DAY
    [(action, changes)] = entries()
    assert action == "package.extend"
    assert changes == {"expires_on": ["2026-03-09", "2026-04-08"], "extended_days": [0, 30]}
    entry = AuditEntry.objects.get(action="package.extend")
    assert entry.actor_id is None
    assert entry.sentence == "Package extended by the gym's 30-day extension: it now ends on 8 Apr 2026."

    # A second run the same day, and any run through the new last day, change nothing.
    assert packages_expire(today=DAY) == 0
    assert packages_expire(today=date(2026, 4, 8)) == 0
    assert len(entries()) == 1

    # After the extension has run out, it expires: never a second extension.
    run = packages_expire_run(today=date(2026, 4, 9))
    assert (run.expired, run.extended) == (1, 0)
    package.refresh_from_db()
    assert (package.status, package.expires_on, package.extended_days) == (PackageStatus.EXPIRED, date(2026, 4, 8), 30)
    assert [action for action, _changes in entries()] == ["package.extend", "package.expire"]
    assert packages_expire(today=date(2026, 5, 1)) == 0


def test_a_package_with_no_credit_left_is_used_up_not_extended(extending):
    empty = SessionPackageFactory(expires_on=LAST_DAY, total_sessions=5, used_sessions=5)

    run = packages_expire_run(today=DAY)

    assert (run.used_up, run.extended, run.expired) == (1, 0, 0)
    empty.refresh_from_db()
    assert (empty.status, empty.expires_on, empty.extended_at) == (PackageStatus.USED_UP, LAST_DAY, None)
    assert entries() == [("package.use_up", {"status": ["active", "used_up"]})]
    assert packages_expire(today=DAY) == 0


def test_the_policy_is_read_at_each_run(gym):
    first = SessionPackageFactory(expires_on=LAST_DAY)
    packages_expire(today=DAY)
    set_policy(gym, PackageExpiryPolicy.EXTEND, 7)
    second = SessionPackageFactory(expires_on=LAST_DAY)

    packages_expire(today=DAY)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == PackageStatus.EXPIRED  # an expired package stays expired when the policy changes
    assert (second.status, second.expires_on, second.extended_days) == (PackageStatus.ACTIVE, date(2026, 3, 16), 7)


def test_an_extension_already_over_expires_at_once(extending):
    """The job did not run for longer than the extension (a suspended gym): the extension counts from the old end
    date, so the outcome does not depend on when the job runs."""
    late = SessionPackageFactory(expires_on=LAST_DAY - timedelta(days=40))

    run = packages_expire_run(today=DAY)

    assert (run.expired, run.extended) == (1, 0)
    late.refresh_from_db()
    assert (late.status, late.expires_on, late.extended_days) == (
        PackageStatus.EXPIRED,
        LAST_DAY - timedelta(days=10),
        30,
    )
    assert [action for action, _changes in entries()] == ["package.extend", "package.expire"]
    assert packages_expire(today=DAY) == 0


def test_untouched_packages(extending):
    kept = {
        "last day today": SessionPackageFactory(expires_on=DAY),
        "open ended": SessionPackageFactory(expires_on=None),
        "cancelled": SessionPackageFactory(expires_on=LAST_DAY, status=PackageStatus.CANCELLED),
        "used up": SessionPackageFactory(expires_on=LAST_DAY, status=PackageStatus.USED_UP, used_sessions=10),
        "expired": SessionPackageFactory(expires_on=LAST_DAY, status=PackageStatus.EXPIRED),
    }
    before = {name: (p.status, p.expires_on) for name, p in kept.items()}

    assert packages_expire(today=DAY) == 0

    after = {
        name: tuple(SessionPackage.objects.values_list("status", "expires_on").get(pk=p.pk)) for name, p in kept.items()
    }
    assert after == before
    assert entries() == []


# --- the gym's day ------------------------------------------------------------------------------------------------


def test_at_one_utc_instant_only_the_gym_past_its_midnight_expires(gym_a, gym_b):
    """16:00 UTC on 10 March 2026 is 01:00 on the 11th in Seoul and 09:00 on the 10th in Los Angeles: a package whose
    last day is the 10th expires in Seoul only. Through the hourly fan-out, eagerly (the tests' Celery)."""
    Organization.objects.filter(pk=gym_a.pk).update(timezone="Asia/Seoul")
    Organization.objects.filter(pk=gym_b.pk).update(timezone="America/Los_Angeles")
    with tenant_context(gym_a):
        in_seoul = SessionPackageFactory(expires_on=DAY)
    with tenant_context(gym_b):
        in_la = SessionPackageFactory(expires_on=DAY)
    instant = datetime(2026, 3, 10, 16, 0, tzinfo=UTC)
    results = []
    original = tasks.expire_packages_in_gym.run

    def recorded():
        results.append((connection.schema_name, original()))
        return results[-1][1]

    with (
        mock.patch("django.utils.timezone.now", return_value=instant),
        mock.patch.object(tasks.expire_packages_in_gym, "run", side_effect=recorded),
    ):
        assert tasks.expire_packages_everywhere.delay().get() == 2

    by_schema = dict(results)
    assert by_schema[gym_a.schema_name]["day"] == "2026-03-11"
    assert by_schema[gym_b.schema_name]["day"] == "2026-03-10"
    with tenant_context(gym_a):
        assert SessionPackage.objects.get(pk=in_seoul.pk).status == PackageStatus.EXPIRED
    with tenant_context(gym_b):
        assert SessionPackage.objects.get(pk=in_la.pk).status == PackageStatus.ACTIVE
    # Sixteen hours later (08:00 UTC, 01:00 in Los Angeles) it is past midnight there too.
    with mock.patch("django.utils.timezone.now", return_value=instant + timedelta(hours=16)):
        tasks.expire_packages_everywhere.delay().get()
    with tenant_context(gym_b):
        assert SessionPackage.objects.get(pk=in_la.pk).status == PackageStatus.EXPIRED


def test_the_job_reads_the_gyms_row_not_a_stale_copy_of_it(gym):
    """A worker may hold an older copy of the tenant (the owner just changed the timezone or the policy)."""
    package = SessionPackageFactory(expires_on=DAY)
    Organization.objects.filter(pk=gym.pk).update(
        timezone="Asia/Seoul", package_expiry_policy=PackageExpiryPolicy.EXTEND, package_extension_days=5
    )
    assert (gym.timezone, gym.package_expiry_policy) == ("UTC", PackageExpiryPolicy.FORFEIT)  # the stale copy
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 3, 10, 16, 0, tzinfo=UTC)):
        run = packages_expire_run()
    assert (run.day, run.extended) == (date(2026, 3, 11), 1)
    package.refresh_from_db()
    assert package.expires_on == date(2026, 3, 15)


# --- how the end date reads ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expires_on", "status", "phrase", "days"),
    [
        (DAY + timedelta(days=3), PackageStatus.ACTIVE, "Expires in 3 days", 3),
        (DAY + timedelta(days=1), PackageStatus.ACTIVE, "Expires in 1 day", 1),
        (DAY, PackageStatus.ACTIVE, "Expires today", 0),
        (LAST_DAY, PackageStatus.ACTIVE, "Expired on 9 Mar 2026", -1),  # before the hourly job has run
        (LAST_DAY, PackageStatus.EXPIRED, "Expired on 9 Mar 2026", -1),
        (DAY, PackageStatus.USED_UP, "", 0),
        (DAY, PackageStatus.CANCELLED, "", 0),
        (None, PackageStatus.ACTIVE, "", None),
    ],
)
def test_the_expiry_phrase(gym, expires_on, status, phrase, days):
    package = SessionPackage(expires_on=expires_on, status=status)
    assert expiry_phrase(package, today=DAY) == phrase
    assert days_until_expiry(package, today=DAY) == days
