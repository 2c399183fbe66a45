"""Credits held at booking: every transition keeps ``booked_sessions`` equal to the sessions holding a credit and
``booked + used <= total`` (issue 15)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.clientfile.services import client_erase
from apps.core.errors import ApplicationError
from apps.team.services import clients_transfer
from apps.training.models import Cancellation, PackageStatus, Session, SessionPackage, SessionStatus
from apps.training.services import packages as package_services
from apps.training.services import sessions as services
from tests.factories import SessionFactory, TrainerFactory

from .support import all_week, at


@pytest.fixture
def working(coach):
    all_week(coach)
    return coach


@pytest.fixture
def package(working, client_of_coach):
    return package_services.package_sell(
        actor=working, client=client_of_coach, name="Three", total_sessions=3, price=90
    )


def book(actor, client, starts_at, **kwargs):
    return services.session_schedule(actor=actor, client=client, starts_at=starts_at, **kwargs)


def past(actor, client, package, hours_ago=2):
    return book(actor, client, timezone.now() - timedelta(hours=hours_ago), package=package)


def counts(package):
    """(booked, used, left to book) of ``package`` now, after checking that ``booked`` is what its sessions hold."""
    package.refresh_from_db()
    holding = Session.objects.filter(package=package, holds_credit=True)
    assert package.booked_sessions == holding.count()
    assert not holding.exclude(status=SessionStatus.SCHEDULED).exists()
    assert package.booked_sessions + package.used_sessions <= package.total_sessions
    return package.booked_sessions, package.used_sessions, package.left_to_book


def test_booking_holds_a_credit(working, client_of_coach, package):
    session = book(working, client_of_coach, at(1), package=package)
    assert session.holds_credit is True
    assert counts(package) == (1, 0, 2)
    book(working, client_of_coach, at(2), package=package)
    assert counts(package) == (2, 0, 1)
    assert package.remaining_sessions == 3  # none used yet


def test_booking_without_a_package_holds_nothing(working, client_of_coach, package):
    session = book(working, client_of_coach, at(1))
    assert session.holds_credit is False
    assert counts(package) == (0, 0, 3)


def test_refusal_names_booked_and_used(working, client_of_coach, package):
    first = past(working, client_of_coach, package)
    services.session_complete(actor=working, session=first)
    book(working, client_of_coach, at(1), package=package)
    book(working, client_of_coach, at(2), package=package)
    with pytest.raises(ApplicationError) as caught:
        book(working, client_of_coach, at(3), package=package)
    assert caught.value.field_errors == {
        "package": ["All 2 sessions left on this package are already booked (1 of 3 used)."]
    }
    assert caught.value.extra["code"] == "conflict"
    assert counts(package) == (2, 1, 0)
    assert package.status == PackageStatus.ACTIVE


def test_cancel_in_time_releases(working, client_of_coach, package, gym):
    session = book(working, client_of_coach, at(3), package=package)
    services.session_cancel(actor=working, session=session)
    session.refresh_from_db()
    assert (session.holds_credit, session.used_credit, session.cancellation) == (False, False, Cancellation.CLIENT)
    assert counts(package) == (0, 0, 3)


def test_late_cancel_by_the_client_uses_the_held_credit(working, client_of_coach, package, gym):
    session = book(working, client_of_coach, timezone.now() + timedelta(hours=3), package=package)
    services.session_cancel(actor=working, session=session)
    session.refresh_from_db()
    assert (session.holds_credit, session.used_credit, session.cancellation) == (False, True, Cancellation.LATE)
    assert counts(package) == (0, 1, 2)


def test_late_cancel_by_the_trainer_releases(working, client_of_coach, package, gym):
    session = book(working, client_of_coach, timezone.now() + timedelta(hours=3), package=package)
    services.session_cancel(actor=working, session=session, by_trainer=True)
    session.refresh_from_db()
    assert (session.holds_credit, session.used_credit) == (False, False)
    assert counts(package) == (0, 0, 3)


@pytest.mark.parametrize("close", [services.session_complete, services.session_no_show])
def test_complete_and_no_show_turn_the_hold_into_a_use_and_undo_turns_it_back(working, client_of_coach, package, close):
    session = past(working, client_of_coach, package)
    book(working, client_of_coach, at(1), package=package)
    assert counts(package) == (2, 0, 1)
    close(actor=working, session=session)
    session.refresh_from_db()
    assert (session.holds_credit, session.used_credit) == (False, True)
    assert counts(package) == (1, 1, 1)
    services.session_undo(actor=working, session=session)
    session.refresh_from_db()
    assert (session.status, session.holds_credit, session.used_credit) == (SessionStatus.SCHEDULED, True, False)
    assert counts(package) == (2, 0, 1)


def test_the_last_credit_used_makes_the_package_used_up_and_undo_reopens_it(working, client_of_coach, gym):
    one = package_services.package_sell(actor=working, client=client_of_coach, name="One", total_sessions=1, price=9)
    session = past(working, client_of_coach, one)
    services.session_complete(actor=working, session=session)
    assert counts(one) == (0, 1, 0)
    assert one.status == PackageStatus.USED_UP
    services.session_undo(actor=working, session=session)
    assert counts(one) == (1, 0, 0)
    assert one.status == PackageStatus.ACTIVE


def test_reschedule_within_the_package_keeps_the_hold(working, client_of_coach, package):
    session = book(working, client_of_coach, at(1), package=package)
    book(working, client_of_coach, at(2), package=package)
    book(working, client_of_coach, at(3), package=package)
    assert counts(package) == (3, 0, 0)
    services.session_reschedule(actor=working, session=session, starts_at=at(4))
    session.refresh_from_db()
    assert session.holds_credit is True
    assert counts(package) == (3, 0, 0)


def test_reschedule_onto_another_package_moves_the_hold_and_none_releases_it(working, client_of_coach, package):
    other = package_services.package_sell(
        actor=working, client=client_of_coach, name="Other", total_sessions=1, price=9
    )
    session = book(working, client_of_coach, at(1), package=package)
    services.session_reschedule(actor=working, session=session, package=other)
    assert (counts(package), counts(other)) == ((0, 0, 3), (1, 0, 0))
    session.refresh_from_db()
    assert (session.package_id, session.holds_credit) == (other.pk, True)
    # The other package is full now: moving another session onto it is refused and nothing moves.
    second = book(working, client_of_coach, at(2), package=package)
    with pytest.raises(ApplicationError) as caught:
        services.session_reschedule(actor=working, session=second, package=other)
    assert caught.value.field_errors == {
        "package": ["The 1 session left on this package is already booked (0 of 1 used)."]
    }
    assert (counts(package), counts(other)) == ((1, 0, 2), (1, 0, 0))
    services.session_reschedule(actor=working, session=session, package=None)
    session.refresh_from_db()
    assert (session.package_id, session.holds_credit) == (None, False)
    assert (counts(package), counts(other)) == ((1, 0, 2), (0, 0, 1))
    # And from none onto a package: it holds again.
    services.session_reschedule(actor=working, session=session, package=package)
    assert counts(package) == (2, 0, 1)


def test_package_cancel_releases_the_holds_of_its_bookings(working, client_of_coach, package):
    done = past(working, client_of_coach, package)
    services.session_complete(actor=working, session=done)
    ahead = [book(working, client_of_coach, at(days), package=package) for days in (1, 2)]
    package_services.package_cancel(actor=working, package=package)
    assert counts(package) == (0, 1, 2)
    assert package.status == PackageStatus.CANCELLED
    for session in ahead:
        session.refresh_from_db()
        assert (session.status, session.package_id, session.holds_credit) == (SessionStatus.SCHEDULED, None, False)
    assert Session.objects.get(pk=done.pk).package_id == package.pk
    entry = AuditEntry.objects.get(action="package.cancel")
    assert entry.sentence == "Package cancelled; 2 booked sessions no longer use it."
    assert entry.changes["booked_sessions"] == [2, 0]


def test_transfer_and_erasure_keep_the_counts(working, client_of_coach, package, owner):
    book(working, client_of_coach, at(1), package=package)
    done = past(working, client_of_coach, package)
    services.session_complete(actor=working, session=done)
    newcomer = TrainerFactory(role="trainer")
    clients_transfer(actor=owner, clients=[client_of_coach], to_trainer=newcomer)
    assert counts(package) == (1, 1, 1)
    assert SessionPackage.objects.get(pk=package.pk).trainer == newcomer
    client_erase(actor=owner, client=client_of_coach)
    assert counts(package) == (1, 1, 1)


def test_expiry_keeps_the_holds_and_a_held_session_can_still_be_completed(working, client_of_coach, package):
    session = past(working, client_of_coach, package, hours_ago=30)
    package.expires_on = (timezone.now() - timedelta(days=1)).date()
    package.save(update_fields=["expires_on"])
    assert package_services.packages_expire(today=timezone.now().date() + timedelta(days=1)) == 1
    assert counts(package) == (1, 0, 2)
    services.session_complete(actor=working, session=session)
    assert counts(package) == (0, 1, 2)
    assert package.status == PackageStatus.EXPIRED


def test_an_unheld_booking_uses_a_free_credit_or_is_refused(working, client_of_coach, gym):
    """Bookings from before holds (left unheld on a full package by the migration) are never double-counted."""
    two = package_services.package_sell(actor=working, client=client_of_coach, name="Two", total_sessions=2, price=9)
    held = [past(working, client_of_coach, two, hours) for hours in (9, 6)]
    unheld = SessionFactory(trainer=working, client=client_of_coach, package=two, starts_at=timezone.now())
    assert unheld.is_unheld_booking
    with pytest.raises(ApplicationError, match="The package “Two” has no sessions left."):
        services.session_complete(actor=working, session=unheld)
    services.session_cancel(actor=working, session=held[0], now=held[0].starts_at - timedelta(days=2))
    assert counts(two) == (1, 0, 1)
    services.session_complete(actor=working, session=unheld)
    assert counts(two) == (1, 1, 0)
    assert Session.objects.get(pk=unheld.pk).used_credit is True


def test_cancellation_terms_count_the_hold(working, client_of_coach, gym):
    one = package_services.package_sell(actor=working, client=client_of_coach, name="One", total_sessions=1, price=9)
    session = book(working, client_of_coach, timezone.now() + timedelta(hours=2), package=one)
    assert services.cancellation_terms(session).client_cost == 1


def test_the_database_refuses_more_booked_and_used_than_total(package):
    package.used_sessions = 2
    package.save(update_fields=["used_sessions"])
    with (
        pytest.raises(IntegrityError, match="package_booked_and_used_within_total"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE training_sessionpackage SET booked_sessions = booked_sessions + 2 WHERE id = %s", [package.pk]
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionPackage.objects.filter(pk=package.pk).update(booked_sessions=-1)


def test_pages_show_booked_used_and_left_to_book_and_warn_of_unheld_bookings(
    gym, client_a, working, client_of_coach, package
):
    from django.urls import reverse

    book(working, client_of_coach, at(1), package=package)
    done = past(working, client_of_coach, package)
    services.session_complete(actor=working, session=done)
    client_a.login_as(working)
    detail = client_a.get(reverse("package_detail", args=[package.pk])).content.decode()
    assert "<dt>Sessions booked</dt><dd>1</dd>" in detail
    assert "<dt>Left to book</dt><dd><strong>1</strong></dd>" in detail
    assert "credit held" in detail and "without a credit" not in detail
    listing = client_a.get(reverse("package_list")).content.decode()
    assert "Left to book" in listing
    hub = client_a.get(reverse("client_detail", args=[client_of_coach.pk])).content.decode()
    assert "1 used · 1 booked · 1 left to book" in hub
    form = client_a.get(reverse("session_schedule") + f"?client={client_of_coach.pk}").content.decode()
    assert "Cora Client: Three (1 left to book; 1 booked, 1 used)" in form
    # A booking from before holds, past the free credits: flagged on the package's page.
    book(working, client_of_coach, at(2), package=package)
    SessionFactory(trainer=working, client=client_of_coach, package=package, starts_at=at(5))
    detail = client_a.get(reverse("package_detail", args=[package.pk])).content.decode()
    assert "1 session is booked on this package without a credit" in detail
    assert "booked without a credit" in detail
