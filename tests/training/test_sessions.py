from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.core.errors import ApplicationError
from apps.training.models import Cancellation, PackageStatus, Session, SessionStatus
from apps.training.services import packages as package_services
from apps.training.services import sessions as services
from tests.factories import ClientFactory, SessionFactory, TrainerFactory

from .support import all_week, at


@pytest.fixture
def package(coach, client_of_coach):
    return package_services.package_sell(actor=coach, client=client_of_coach, name="Two", total_sessions=2, price=100)


@pytest.fixture
def working(coach):
    all_week(coach)
    return coach


def book(actor, client, starts_at, **kwargs):
    return services.session_schedule(actor=actor, client=client, starts_at=starts_at, **kwargs)


def test_schedule_and_audit(working, client_of_coach, package):
    session = book(working, client_of_coach, at(1, 10), duration_minutes=45, package=package)
    assert (session.trainer, session.package, session.duration_minutes, session.status) == (
        working,
        package,
        45,
        SessionStatus.SCHEDULED,
    )
    assert AuditEntry.objects.get(action="session.schedule").sentence == (
        f"Session of Cora Client with Tom Trainer scheduled for {at(1, 10):%-d %b %Y}, 10:00 (45 minutes)."
    )


@pytest.mark.parametrize(
    ("start", "minutes", "clash"),
    [
        ((10, 0), 60, True),  # same slot
        ((10, 30), 60, True),  # starts inside
        ((9, 30), 60, True),  # ends inside
        ((9, 0), 180, True),  # covers it
        ((11, 0), 60, False),  # touches the end
        ((9, 0), 60, False),  # touches the start
    ],
)
def test_double_booking_a_trainer_is_refused(working, client_of_coach, start, minutes, clash):
    book(working, client_of_coach, at(1, 10))
    other = ClientFactory(trainer=working)
    if clash:
        with pytest.raises(ApplicationError) as caught:
            book(working, other, at(1, *start), duration_minutes=minutes)
        assert caught.value.field == "starts_at"
        assert caught.value.message == "Tom Trainer already has a session with Cora Client from 10:00 to 11:00."
        assert Session.objects.count() == 1
    else:
        book(working, other, at(1, *start), duration_minutes=minutes)


def test_a_cancelled_session_frees_the_slot(working, client_of_coach):
    first = book(working, client_of_coach, at(2, 10))
    services.session_cancel(actor=working, session=first)
    book(working, client_of_coach, at(2, 10))


def test_outside_availability_needs_confirmation(coach, client_of_coach):
    with pytest.raises(ApplicationError) as caught:
        book(coach, client_of_coach, at(1, 10))
    assert caught.value.field == "confirm_unavailable"
    assert caught.value.message == "Tom Trainer is not available at that time. Book anyway?"
    assert not Session.objects.exists()
    book(coach, client_of_coach, at(1, 10), confirm_unavailable=True)


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"duration_minutes": 5}, "duration_minutes", "A session lasts from 15 to 480 minutes."),
        ({"duration_minutes": 481}, "duration_minutes", "A session lasts from 15 to 480 minutes."),
        ({"duration_minutes": "x"}, "duration_minutes", "Enter the duration in whole minutes."),
        ({"starts_at": None}, "starts_at", "Enter the date and time of the session."),
    ],
)
def test_bad_input_is_refused_at_its_field(working, client_of_coach, kwargs, field, message):
    with pytest.raises(ApplicationError) as caught:
        services.session_schedule(**{"actor": working, "client": client_of_coach, "starts_at": at(1), **kwargs})
    assert (caught.value.field, caught.value.message) == (field, message)


def test_package_must_be_the_clients_active_one_with_credit(working, client_of_coach, package):
    other_client = ClientFactory(trainer=working)
    with pytest.raises(ApplicationError, match="Choose a package of this client."):
        book(working, other_client, at(1), package=package)
    package.used_sessions = 2
    package.save()
    with pytest.raises(ApplicationError, match="This package has no sessions left."):
        book(working, client_of_coach, at(1), package=package)


def test_expired_package_is_refused(working, client_of_coach, package):
    package.expires_on = at(1).date()
    package.save()
    with pytest.raises(ApplicationError, match="expires on"):
        book(working, client_of_coach, at(2), package=package)


def test_booking_stops_when_every_credit_left_is_booked(working, client_of_coach, package):
    first = book(working, client_of_coach, at(3, 9), package=package)
    book(working, client_of_coach, at(3, 11), package=package)
    with pytest.raises(
        ApplicationError, match=r"All 2 sessions left on this package are already booked \(0 of 2 used\)."
    ) as caught:
        book(working, client_of_coach, at(3, 13), package=package)
    assert caught.value.field == "package"
    assert Session.objects.filter(package=package).count() == 2
    # An early cancellation uses no credit and frees the booking for another session.
    services.session_cancel(actor=working, session=first)
    book(working, client_of_coach, at(3, 13), package=package)


def test_booking_counts_credits_already_used(working, client_of_coach, package):
    package.used_sessions = 1
    package.save()
    book(working, client_of_coach, at(1, 9), package=package)
    with pytest.raises(
        ApplicationError, match=r"The 1 session left on this package is already booked \(1 of 2 used\)."
    ):
        book(working, client_of_coach, at(1, 11), package=package)


def test_roles(working, client_of_coach, gym):
    other = TrainerFactory(role="trainer")
    assistant = TrainerFactory(role="assistant")
    with pytest.raises(ApplicationError, match="Choose one of your clients."):
        book(other, client_of_coach, at(1), confirm_unavailable=True)
    with pytest.raises(ApplicationError, match="You cannot schedule sessions."):
        book(assistant, client_of_coach, at(1), confirm_unavailable=True)
    session = book(working, client_of_coach, at(1))
    with pytest.raises(ApplicationError, match="You cannot change this session."):
        services.session_cancel(actor=other, session=session)


def test_owner_books_for_any_trainer(owner, working, client_of_coach):
    session = book(owner, client_of_coach, at(1))
    assert session.trainer == working


# --- credits ------------------------------------------------------------------------------------


def past_session(coach, client, package, hours_ago=2):
    return book(coach, client, timezone.now() - timedelta(hours=hours_ago), package=package, confirm_unavailable=True)


def test_complete_and_no_show_use_one_credit_each(coach, client_of_coach, package):
    first = past_session(coach, client_of_coach, package, 5)
    second = past_session(coach, client_of_coach, package, 2)
    services.session_complete(actor=coach, session=first)
    package.refresh_from_db()
    assert (package.used_sessions, package.remaining_sessions, package.status) == (1, 1, PackageStatus.ACTIVE)
    services.session_no_show(actor=coach, session=second)
    package.refresh_from_db()
    assert (package.used_sessions, package.remaining_sessions, package.status) == (2, 0, PackageStatus.USED_UP)
    assert Session.objects.get(pk=second.pk).used_credit is True
    assert [e.action for e in AuditEntry.objects.filter(action__in=["session.complete", "session.no_show"])] != []


def test_the_last_credit_cannot_be_used_twice(coach, client_of_coach, package):
    sessions = [past_session(coach, client_of_coach, package, hours) for hours in (9, 6)]
    # Booking stops at the credits left, so a third booking on the package can only be an older row.
    sessions.append(
        SessionFactory(
            trainer=coach, client=client_of_coach, package=package, starts_at=timezone.now() - timedelta(hours=3)
        )
    )
    services.session_complete(actor=coach, session=sessions[0])
    services.session_complete(actor=coach, session=sessions[1])
    with pytest.raises(ApplicationError) as caught:
        services.session_complete(actor=coach, session=sessions[2])
    assert caught.value.message == "The package “Two” has no sessions left."
    package.refresh_from_db()
    assert package.used_sessions == 2
    assert Session.objects.get(pk=sessions[2].pk).status == SessionStatus.SCHEDULED


def test_a_session_is_closed_once_and_not_before_it_starts(working, client_of_coach, package):
    future = book(working, client_of_coach, at(3), package=package)
    with pytest.raises(ApplicationError, match="This session has not started yet."):
        services.session_complete(actor=working, session=future)
    services.session_cancel(actor=working, session=future)
    with pytest.raises(ApplicationError, match="This session is already cancelled."):
        services.session_complete(actor=working, session=future)


@pytest.mark.parametrize(
    ("hours_before", "late"),
    [
        (24 * 3, False),
        (24, False),  # exactly the window ahead: in time
        (23.99, True),
        (1, True),
        (-1, True),  # after the start
    ],
)
def test_late_cancellation_boundaries(working, client_of_coach, package, hours_before, late):
    now = timezone.now().replace(microsecond=0)
    session = book(working, client_of_coach, now + timedelta(days=5), package=package)
    session.starts_at = now + timedelta(hours=hours_before)
    session.save()
    services.session_cancel(actor=working, session=session, now=now)
    package.refresh_from_db()
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert (package.used_sessions, session.used_credit) == ((1, True) if late else (0, False))
    assert session.cancellation == (Cancellation.LATE if late else Cancellation.CLIENT)
    summary = AuditEntry.objects.get(action="session.cancel").sentence
    assert summary == ("Cancelled late: one credit used." if late else "Cancelled in time: no credit used.")


def test_a_trainers_cancellation_never_uses_a_credit(working, client_of_coach, package):
    now = timezone.now()
    session = book(working, client_of_coach, now + timedelta(hours=1), package=package)
    services.session_cancel(actor=working, session=session, now=now, by_trainer=True)
    package.refresh_from_db()
    session.refresh_from_db()
    assert (session.status, session.cancellation, session.used_credit) == ("cancelled", Cancellation.TRAINER, False)
    assert package.used_sessions == 0
    assert AuditEntry.objects.get(action="session.cancel").sentence == "Cancelled by the trainer: no credit used."


def test_the_window_is_the_organizations(working, client_of_coach, package, gym):
    gym.late_cancellation_hours = 2
    type(gym).objects.filter(pk=gym.pk).update(late_cancellation_hours=2)  # the service reads the row
    now = timezone.now()
    session = book(working, client_of_coach, now + timedelta(hours=3), package=package)
    services.session_cancel(actor=working, session=session, now=now)
    package.refresh_from_db()
    assert package.used_sessions == 0


def test_a_late_cancellation_on_an_empty_package_uses_nothing(working, client_of_coach, package):
    now = timezone.now()
    # Only a booking from before credits were held (unheld) can meet a package with nothing left.
    session = SessionFactory(
        trainer=working, client=client_of_coach, package=package, starts_at=now + timedelta(hours=1)
    )
    package.used_sessions = 2
    package.save()
    services.session_cancel(actor=working, session=session, now=now)
    package.refresh_from_db()
    assert package.used_sessions == 2
    assert AuditEntry.objects.get(action="session.cancel").sentence == (
        "Cancelled late; the package had no credit left to use."
    )


def test_a_session_without_package_uses_nothing(coach, client_of_coach):
    session = past_session(coach, client_of_coach, None)
    services.session_complete(actor=coach, session=session)
    assert Session.objects.get(pk=session.pk).used_credit is False


@pytest.mark.parametrize(
    ("starts_at", "label"),
    [
        (datetime(2026, 3, 7, 15, 0, tzinfo=UTC), "7 Mar 2026, 10:00"),  # EST, UTC-5
        (datetime(2026, 3, 9, 14, 0, tzinfo=UTC), "9 Mar 2026, 10:00"),  # EDT, UTC-4, after the 8 March change
    ],
)
def test_audit_labels_a_session_in_the_gyms_time_across_the_clock_change(
    gym, working, client_of_coach, starts_at, label
):
    """A New York gym books 10:00 on both sides of the 2026 spring change: the audit row says 10:00 both times."""
    gym.timezone = "America/New_York"
    book(working, client_of_coach, starts_at)
    entry = AuditEntry.objects.get(action="session.schedule")
    assert entry.target_repr == f"Cora Client {label}"
    assert entry.sentence == f"Session of Cora Client with Tom Trainer scheduled for {label} (60 minutes)."
