"""Undo of a completion or no-show, rescheduling and editing, cancellation terms, notes, every field's error."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.core.errors import ApplicationError
from apps.trainers.models import AvailabilitySlot, TimeOff
from apps.training.models import PackageStatus, Session, SessionStatus
from apps.training.services import packages as package_services
from apps.training.services import sessions as services
from tests.factories import ClientFactory, TrainerFactory

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


def past(coach, client, package, hours_ago=2):
    return book(coach, client, timezone.now() - timedelta(hours=hours_ago), package=package, confirm_unavailable=True)


# --- undo ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("close", [services.session_complete, services.session_no_show])
def test_undo_within_24_hours_gives_the_credit_back(coach, client_of_coach, package, close):
    session = past(coach, client_of_coach, package)
    other = past(coach, client_of_coach, package, 5)
    services.session_complete(actor=coach, session=other)
    session = close(actor=coach, session=session)
    package.refresh_from_db()
    assert (package.used_sessions, package.status) == (2, PackageStatus.USED_UP)

    later = session.status_changed_at + timedelta(hours=24)  # exactly the window: still allowed
    services.session_undo(actor=coach, session=session, now=later)
    session.refresh_from_db()
    package.refresh_from_db()
    assert (session.status, session.used_credit) == (SessionStatus.SCHEDULED, False)
    assert (package.used_sessions, package.status) == (1, PackageStatus.ACTIVE)
    entry = AuditEntry.objects.get(action="session.undo")
    label = "Completed" if close is services.session_complete else "No-show"
    assert entry.sentence == f"{label} undone: the session holds its credit again."
    closed = SessionStatus.COMPLETED if close is services.session_complete else SessionStatus.NO_SHOW
    assert entry.changes == {"status": [closed, "scheduled"], "used_credit": [True, False]}
    assert entry.actor_name == "Tom Trainer"
    # Completed again afterwards: the credit is used once more.
    services.session_complete(actor=coach, session=session)
    package.refresh_from_db()
    assert package.used_sessions == 2


def test_undo_after_24_hours_is_refused(coach, client_of_coach, package):
    session = services.session_no_show(actor=coach, session=past(coach, client_of_coach, package))
    too_late = session.status_changed_at + timedelta(hours=24, seconds=1)
    assert services.can_undo(session, too_late) is False
    with pytest.raises(ApplicationError) as caught:
        services.session_undo(actor=coach, session=session, now=too_late)
    assert caught.value.message == (
        "This session was marked no-show more than 24 hours ago, so it can no longer be undone."
    )
    assert caught.value.extra["code"] == "conflict"
    package.refresh_from_db()
    assert package.used_sessions == 1
    assert not AuditEntry.objects.filter(action="session.undo").exists()


def test_only_completions_and_no_shows_are_undone(working, client_of_coach, package):
    session = book(working, client_of_coach, at(2), package=package)
    with pytest.raises(ApplicationError, match="Only a completed session or a no-show can be undone."):
        services.session_undo(actor=working, session=session)
    services.session_cancel(actor=working, session=session)
    with pytest.raises(ApplicationError, match="Only a completed session or a no-show can be undone."):
        services.session_undo(actor=working, session=session)


def test_undo_without_package_and_by_someone_else(coach, client_of_coach, owner):
    session = services.session_complete(actor=coach, session=past(coach, client_of_coach, None))
    stranger = TrainerFactory()
    with pytest.raises(ApplicationError, match="You cannot change this session."):
        services.session_undo(actor=stranger, session=session)
    services.session_undo(actor=owner, session=session)
    assert AuditEntry.objects.get(action="session.undo").sentence == "Completed undone."


# --- notes and cancellation --------------------------------------------------------------------


def test_complete_with_notes(coach, client_of_coach, package):
    session = services.session_complete(
        actor=coach, session=past(coach, client_of_coach, package), notes="  Squats 3x8 at 60 kg.  "
    )
    assert Session.objects.get(pk=session.pk).notes == "Squats 3x8 at 60 kg."
    assert AuditEntry.objects.get(action="session.complete").changes["notes"] == ["", "Squats 3x8 at 60 kg."]
    with pytest.raises(ApplicationError) as caught:
        services.session_complete(actor=coach, session=past(coach, client_of_coach, package, 4), notes="x" * 2001)
    assert caught.value.field_errors == {"notes": ["Use at most 2000 characters."]}


def test_cancellation_terms_and_reason(working, client_of_coach, package, gym):
    now = timezone.now()
    soon = book(working, client_of_coach, now + timedelta(hours=3), package=package)
    later = book(working, client_of_coach, now + timedelta(days=3), package=package)
    terms = services.cancellation_terms(soon, now)
    assert (terms.late, terms.client_cost, terms.window_hours) == (True, 1, 24)
    assert terms.message == (
        "This is a late cancellation (less than 24 hours before the start): if the client cancels, one credit of "
        "“Two” is used. If you call it off, no credit is used."
    )
    terms = services.cancellation_terms(later, now)
    assert (terms.late, terms.client_cost) == (False, 0)
    assert terms.message == "This is more than 24 hours before the start: cancelling uses no credit."
    no_package = book(working, ClientFactory(trainer=working), now + timedelta(hours=5))
    assert services.cancellation_terms(no_package, now).client_cost == 0

    services.session_cancel(actor=working, session=soon, now=now, reason="  Sick,\n fever ")
    soon.refresh_from_db()
    assert (soon.cancellation_reason, soon.used_credit) == ("Sick, fever", True)
    assert AuditEntry.objects.get(action="session.cancel").changes["cancellation_reason"] == ["", "Sick, fever"]
    with pytest.raises(ApplicationError) as caught:
        services.session_cancel(actor=working, session=later, reason="x" * 201)
    assert caught.value.field_errors == {"reason": ["Use at most 200 characters."]}


# --- reschedule and edit -------------------------------------------------------------------------


def test_reschedule_keeps_the_history_and_audits(working, client_of_coach, package):
    session = book(working, client_of_coach, at(1, 10), package=package)
    services.session_reschedule(actor=working, session=session, starts_at=at(2, 14), duration_minutes=45)
    services.session_reschedule(actor=working, session=session, starts_at=at(3, 9))
    session.refresh_from_db()
    assert (session.starts_at, session.duration_minutes) == (at(3, 9), 45)
    assert session.previous_times == [
        {"starts_at": at(1, 10).isoformat(), "duration_minutes": 60},
        {"starts_at": at(2, 14).isoformat(), "duration_minutes": 45},
    ]
    entries = list(AuditEntry.objects.filter(action="session.reschedule").order_by("pk"))
    assert [entry.sentence for entry in entries] == [
        f"Moved from {at(1, 10):%-d %b %Y}, 10:00 (60 minutes) to {at(2, 14):%-d %b %Y}, 14:00 (45 minutes).",
        f"Moved from {at(2, 14):%-d %b %Y}, 14:00 (45 minutes) to {at(3, 9):%-d %b %Y}, 09:00 (45 minutes).",
    ]
    assert entries[0].changes == {
        "starts_at": [at(1, 10).isoformat(), at(2, 14).isoformat()],
        "duration_minutes": [60, 45],
    }


def test_edit_notes_and_package_without_moving(working, client_of_coach, package):
    session = book(working, client_of_coach, at(1, 10))
    services.session_reschedule(actor=working, session=session, package=package, notes="Bring shoes")
    session.refresh_from_db()
    assert (session.package_id, session.notes, session.previous_times) == (package.pk, "Bring shoes", [])
    entry = AuditEntry.objects.get(action="session.edit")
    assert entry.changes == {"package_id": [None, package.pk], "notes": ["", "Bring shoes"]}
    # Nothing changed: nothing written.
    services.session_reschedule(actor=working, session=session, notes="Bring shoes")
    assert AuditEntry.objects.filter(action__in=["session.edit", "session.reschedule"]).count() == 1


def test_reschedule_onto_another_session_is_refused(working, client_of_coach):
    book(working, ClientFactory(trainer=working, first_name="Bo", last_name="Busy"), at(2, 10))
    session = book(working, client_of_coach, at(1, 10))
    with pytest.raises(ApplicationError) as caught:
        services.session_reschedule(actor=working, session=session, starts_at=at(2, 10, 30))
    assert caught.value.field_errors == {
        "starts_at": ["Tom Trainer already has a session with Bo Busy from 10:00 to 11:00."]
    }
    # Its own old time never clashes: a longer session at the same start is fine.
    services.session_reschedule(actor=working, session=session, duration_minutes=90)
    session.refresh_from_db()
    assert (session.starts_at, session.duration_minutes) == (at(1, 10), 90)


def test_reschedule_outside_availability_needs_confirmation(coach, client_of_coach):
    day = timezone.now().date() + timedelta(days=7)
    AvailabilitySlot.objects.create(trainer=coach, weekday=day.weekday(), starts_at=time(9), ends_at=time(12))
    session = book(coach, client_of_coach, datetime.combine(day, time(9), tzinfo=UTC))
    evening = datetime.combine(day, time(19), tzinfo=UTC)
    with pytest.raises(ApplicationError) as caught:
        services.session_reschedule(actor=coach, session=session, starts_at=evening)
    assert caught.value.extra["code"] == "unavailable"
    assert caught.value.message == "Tom Trainer is not available at that time. Book anyway?"
    TimeOff.objects.create(trainer=coach, starts_on=day, ends_on=day)
    with pytest.raises(ApplicationError):
        services.session_reschedule(actor=coach, session=session, starts_at=datetime.combine(day, time(10), tzinfo=UTC))
    services.session_reschedule(actor=coach, session=session, starts_at=evening, confirm_unavailable=True)
    assert Session.objects.get(pk=session.pk).starts_at == evening


def test_reschedule_reports_every_field_at_once_and_only_scheduled_sessions_move(working, client_of_coach, package):
    session = book(working, client_of_coach, at(1, 10), package=package)
    with pytest.raises(ApplicationError) as caught:
        services.session_reschedule(
            actor=working, session=session, starts_at=None, duration_minutes="ten", notes="x" * 2001
        )
    assert caught.value.field_errors == {
        "starts_at": ["Enter the date and time of the session."],
        "duration_minutes": ["Enter the duration in whole minutes."],
        "notes": ["Use at most 2000 characters."],
    }
    services.session_cancel(actor=working, session=session)
    with pytest.raises(ApplicationError, match="This session is already cancelled."):
        services.session_reschedule(actor=working, session=session, starts_at=at(4))


def test_reschedule_past_the_packages_expiry_or_onto_a_full_package(working, client_of_coach, package):
    package.expires_on = at(5).date()
    package.save()
    session = book(working, client_of_coach, at(1), package=package)
    with pytest.raises(ApplicationError) as caught:
        services.session_reschedule(actor=working, session=session, starts_at=at(6))
    assert caught.value.field_errors == {
        "package": [f"This package expires on {package.expires_on:%-d %b %Y}, before the session."]
    }
    book(working, client_of_coach, at(2), package=package)
    third = book(working, client_of_coach, at(3))
    with pytest.raises(ApplicationError) as caught:
        services.session_reschedule(actor=working, session=third, package=package)
    assert caught.value.field_errors == {
        "package": ["All 2 sessions left on this package are already booked (0 of 2 used)."]
    }


def test_booking_reports_every_field_at_once(coach, client_of_coach):
    with pytest.raises(ApplicationError) as caught:
        book(coach, 0, None, duration_minutes=5)
    assert caught.value.field_errors == {
        "client": ["Choose one of your clients."],
        "starts_at": ["Enter the date and time of the session."],
        "duration_minutes": ["A session lasts from 15 to 480 minutes."],
    }
