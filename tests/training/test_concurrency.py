"""Real races: two threads, two connections, committed rows (cleaned up afterwards).

Like the other race tests, they need the test database that another test of the run sets up; run them with
their folder (`pytest tests/training`), not alone.
"""

import threading
from datetime import timedelta

from django.db import connection, connections, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.models import AuditEntry
from apps.clients.models import Client
from apps.core.errors import ApplicationError
from apps.core.money import format_money
from apps.trainers.models import Trainer
from apps.training.models import Session, SessionPackage
from apps.training.services import packages as package_services
from apps.training.services import sessions as services
from tests.factories import ClientFactory, SessionFactory, TrainerFactory


def race(organization, work, count=2):
    barrier = threading.Barrier(count)
    outcomes = []

    def run(index):
        try:
            connection.set_tenant(organization)
            barrier.wait(timeout=10)
            work(index)
            outcomes.append("ok")
        except ApplicationError as error:
            outcomes.append(error.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def clean_up(organization, trainer):
    connection.set_tenant(organization)
    Session.objects.filter(trainer=trainer).delete()
    SessionPackage.objects.filter(trainer=trainer).delete()
    Client.objects.filter(trainer=trainer).delete()
    AuditEntry.objects.filter(actor_id=trainer.pk).delete()
    user = trainer.user
    Trainer.objects.filter(pk=trainer.pk).delete()
    user.emailaddress_set.all().delete()
    User.objects.filter(pk=user.pk).delete()
    connection.set_schema_to_public()


def test_two_requests_completing_the_last_credit_make_one_success(django_db_setup, django_db_blocker):
    from tenants.models import Organization

    with django_db_blocker.unblock():
        organization = Organization.objects.get(slug="alpha")
        connection.set_tenant(organization)
        with transaction.atomic():
            coach = TrainerFactory(role="trainer", user__email="racing-coach@example.com")
            client = ClientFactory(trainer=coach)
            package = package_services.package_sell(actor=coach, client=client, name="Last", total_sessions=1, price=10)
            start = timezone.now() - timedelta(hours=3)
            # Booking stops at the credits left, so the second session on the package is an older row.
            sessions = [
                services.session_schedule(
                    actor=coach, client=client, starts_at=start, package=package, confirm_unavailable=True
                ),
                SessionFactory(trainer=coach, client=client, package=package, starts_at=start + timedelta(hours=1)),
            ]
        try:
            outcomes = race(organization, lambda index: services.session_complete(actor=coach, session=sessions[index]))
            connection.set_tenant(organization)
            assert sorted(outcomes) == sorted(["ok", "The package “Last” has no sessions left."])
            package.refresh_from_db()
            assert (package.used_sessions, package.remaining_sessions) == (1, 0)
            assert Session.objects.filter(package=package, status="completed").count() == 1
        finally:
            clean_up(organization, coach)


def test_two_requests_booking_the_same_slot_make_one_session(django_db_setup, django_db_blocker):
    from tenants.models import Organization

    with django_db_blocker.unblock():
        organization = Organization.objects.get(slug="alpha")
        connection.set_tenant(organization)
        with transaction.atomic():
            coach = TrainerFactory(role="trainer", user__email="racing-booker@example.com")
            clients = [ClientFactory(trainer=coach, first_name=f"Racer{n}") for n in range(2)]
        starts_at = (timezone.now() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
        try:
            outcomes = race(
                organization,
                lambda index: services.session_schedule(
                    actor=coach,
                    client=clients[index],
                    starts_at=starts_at + timedelta(minutes=15 * index),
                    confirm_unavailable=True,
                ),
            )
            connection.set_tenant(organization)
            assert outcomes.count("ok") == 1
            assert len(outcomes) == 2
            assert [o for o in outcomes if o != "ok"][0].startswith(f"{coach.display_name} already has a session")
            assert Session.objects.filter(trainer=coach).count() == 1
        finally:
            clean_up(organization, coach)


def test_two_bookings_racing_for_the_last_credit_make_one(django_db_setup, django_db_blocker):
    """The owner books one client with two different trainers at once: the trainers' locks do not meet, the
    package's row lock does."""
    from tenants.models import Organization

    with django_db_blocker.unblock():
        organization = Organization.objects.get(slug="alpha")
        connection.set_tenant(organization)
        with transaction.atomic():
            owner = TrainerFactory(role="owner", user__email="racing-owner@example.com")
            coaches = [TrainerFactory(role="trainer", user__email=f"racing-credit{n}@example.com") for n in range(2)]
            client = ClientFactory(trainer=coaches[0])
            package = package_services.package_sell(
                actor=owner, client=client, name="Single", total_sessions=1, price=10
            )
        starts_at = (timezone.now() + timedelta(days=4)).replace(minute=0, second=0, microsecond=0)
        try:
            outcomes = race(
                organization,
                lambda index: services.session_schedule(
                    actor=owner,
                    client=client,
                    trainer=coaches[index],
                    starts_at=starts_at + timedelta(hours=index),
                    package=package,
                    confirm_unavailable=True,
                ),
            )
            connection.set_tenant(organization)
            assert sorted(outcomes) == sorted(
                ["ok", "The 1 session left on this package is already booked (0 of 1 used)."]
            )
            assert Session.objects.filter(package=package).count() == 1
            package.refresh_from_db()
            assert (package.booked_sessions, package.used_sessions, package.left_to_book) == (1, 0, 0)
            assert Session.objects.get(package=package).holds_credit is True
        finally:
            clean_up(organization, coaches[1])
            clean_up(organization, coaches[0])
            clean_up(organization, owner)


def test_two_payments_racing_past_the_balance_make_one(django_db_setup, django_db_blocker):
    from apps.training.models import Payment
    from apps.training.services import payments as payment_services
    from tenants.models import Organization

    with django_db_blocker.unblock():
        organization = Organization.objects.get(slug="alpha")
        connection.set_tenant(organization)
        with transaction.atomic():
            coach = TrainerFactory(role="trainer", user__email="racing-payee@example.com")
            client = ClientFactory(trainer=coach)
            package = package_services.package_sell(
                actor=coach, client=client, name="Pay", total_sessions=1, price=100, vat_rate=0
            )
        try:
            outcomes = race(
                organization,
                lambda index: payment_services.payment_record(actor=coach, package=package, amount="60"),
            )
            connection.set_tenant(organization)
            due = format_money(40, package.currency)
            assert sorted(outcomes) == sorted(["ok", f"This is more than the balance due ({due})."])
            assert Payment.objects.filter(package=package).count() == 1
        finally:
            connection.set_tenant(organization)
            Payment.objects.filter(package__trainer=coach).delete()
            clean_up(organization, coach)


def test_two_api_bookings_racing_for_the_last_credit_one_gets_409(django_db_setup, django_db_blocker):
    """The same race through the API: the loser is answered 409 with the code "conflict" and the message."""
    import json

    from apps.trainers.models import ApiKey
    from apps.trainers.services.api_keys import api_key_create
    from tenants.models import Organization
    from tests.conftest import GymClient

    with django_db_blocker.unblock():
        organization = Organization.objects.get(slug="alpha")
        connection.set_tenant(organization)
        with transaction.atomic():
            owner = TrainerFactory(role="owner", user__email="racing-api-owner@example.com")
            coaches = [TrainerFactory(role="trainer", user__email=f"racing-api{n}@example.com") for n in range(2)]
            client = ClientFactory(trainer=coaches[0])
            package = package_services.package_sell(actor=owner, client=client, name="Solo", total_sessions=1, price=10)
            _key, secret = api_key_create(actor=owner, name="race", writable=True)
        starts_at = (timezone.now() + timedelta(days=5)).replace(minute=0, second=0, microsecond=0)
        answers = []

        def post(index):
            body = {
                "client": client.pk,
                "trainer": coaches[index].pk,
                "starts_at": (starts_at + timedelta(hours=index)).isoformat(),
                "package": package.pk,
                "confirm_unavailable": True,
            }
            response = GymClient(organization).post(
                "/api/v1/sessions/",
                json.dumps(body),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {secret}",
            )
            answers.append((response.status_code, response.json()))

        try:
            race(organization, post)
            connection.set_tenant(organization)
            statuses = sorted(status for status, _body in answers)
            assert statuses == [201, 409], answers
            refused = next(body for status, body in answers if status == 409)
            assert refused["code"] == "conflict"
            assert refused["fields"] == {
                "package": ["The 1 session left on this package is already booked (0 of 1 used)."]
            }
            package.refresh_from_db()
            assert (package.booked_sessions, package.left_to_book) == (1, 0)
        finally:
            connection.set_tenant(organization)
            ApiKey.objects.filter(trainer=owner).delete()
            clean_up(organization, coaches[1])
            clean_up(organization, coaches[0])
            clean_up(organization, owner)
