"""Two runs of the expiry job at once (two beat ticks, a retried task): each package is handled by one of them, with
one audit entry. Real threads on two connections, committed rows (deleted afterwards).

Like the other race tests, they need the test database that another test of the run sets up; run them with their
folder (`pytest tests/training`), not alone.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction

from apps.audit.models import AuditEntry
from apps.core.dates import gym_today
from apps.training.models import PackageStatus, SessionPackage
from apps.training.services.packages import packages_expire_run
from tenants.models import Organization, PackageExpiryPolicy
from tests.factories import ClientFactory, SessionPackageFactory, TrainerFactory
from tests.training.test_concurrency import clean_up


@pytest.fixture
def due_packages(django_db_setup, django_db_blocker):
    """Gym A extends by 10 days; three committed packages whose last day was yesterday: one with credits left (to be
    extended), one never to be extended again (to expire), one with nothing left (to be used up)."""
    with django_db_blocker.unblock():
        organization = Organization.objects.get(slug="alpha")
        saved = (organization.package_expiry_policy, organization.package_extension_days)
        Organization.objects.filter(pk=organization.pk).update(
            package_expiry_policy=PackageExpiryPolicy.EXTEND, package_extension_days=10
        )
        connection.set_tenant(organization)
        yesterday = gym_today() - timedelta(days=1)
        with transaction.atomic():
            coach = TrainerFactory(role="trainer", user__email="racing-expiry@example.com")
            client = ClientFactory(trainer=coach)
            packages = {
                "extend": SessionPackageFactory(client=client, expires_on=yesterday, used_sessions=2),
                "expire": SessionPackageFactory(
                    client=client, expires_on=yesterday, extended_days=10, extended_at=organization.created_at
                ),
                "use_up": SessionPackageFactory(client=client, expires_on=yesterday, total_sessions=3, used_sessions=3),
            }
        connection.set_schema_to_public()
        try:
            yield organization, packages
        finally:
            connection.set_tenant(organization)
            AuditEntry.objects.filter(target_id__in=[str(p.pk) for p in packages.values()]).delete()
            clean_up(organization, coach)
            Organization.objects.filter(pk=organization.pk).update(
                package_expiry_policy=saved[0], package_extension_days=saved[1]
            )


def outcome(organization, packages):
    connection.set_tenant(organization)
    try:
        states = {
            name: SessionPackage.objects.values_list("status", "extended_days").get(pk=package.pk)
            for name, package in packages.items()
        }
        actions = sorted(
            AuditEntry.objects.filter(target_id__in=[str(p.pk) for p in packages.values()])
            .exclude(action="package.sell")
            .values_list("action", flat=True)
        )
        return states, actions
    finally:
        connection.set_schema_to_public()


EXPECTED = (
    {
        "extend": (PackageStatus.ACTIVE, 10),
        "expire": (PackageStatus.EXPIRED, 10),
        "use_up": (PackageStatus.USED_UP, 0),
    },
    ["package.expire", "package.extend", "package.use_up"],
)


def in_thread(organization, work, results, name):
    def run():
        try:
            connection.set_tenant(organization)
            results[name] = work()
        except Exception as error:  # reported by the test's assertion on results
            results[name] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_run_while_another_holds_the_packages_skips_them(due_packages):
    organization, packages = due_packages
    locked, second_done = threading.Event(), threading.Event()
    results = {}

    def first():
        with transaction.atomic():
            run = packages_expire_run()
            locked.set()
            second_done.wait(timeout=20)  # keep the row locks until the second run has finished
        return run

    def second():
        locked.wait(timeout=20)
        try:
            return packages_expire_run()
        finally:
            second_done.set()

    threads = [in_thread(organization, first, results, "first"), in_thread(organization, second, results, "second")]
    for thread in threads:
        thread.join(timeout=40)

    assert (results["first"].extended, results["first"].expired, results["first"].used_up) == (1, 1, 1)
    assert results["second"].changed == 0
    assert outcome(organization, packages) == EXPECTED


def test_two_runs_started_together_handle_each_package_once(due_packages):
    organization, packages = due_packages
    barrier = threading.Barrier(2)
    results = {}

    def work():
        barrier.wait(timeout=10)
        return packages_expire_run()

    threads = [in_thread(organization, work, results, name) for name in ("a", "b")]
    for thread in threads:
        thread.join(timeout=40)

    runs = [results["a"], results["b"]]
    assert sum(run.changed for run in runs) == 3, runs
    assert outcome(organization, packages) == EXPECTED
    # And a third run, later, finds nothing to do.
    connection.set_tenant(organization)
    try:
        assert packages_expire_run().changed == 0
    finally:
        connection.set_schema_to_public()
    assert outcome(organization, packages) == EXPECTED
