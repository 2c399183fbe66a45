"""The session pages: confirmations (a page without JavaScript, a dialog's body with HTMX), undo, reschedule, the
time grid of the calendar and the booking form prefilled from a free hour."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.core.dates import gym_today
from apps.trainers.models import AvailabilitySlot, TimeOff
from apps.training.models import Session, SessionStatus
from apps.training.services import packages as package_services
from apps.training.services import sessions as session_services
from tests.factories import ClientFactory, TrainerFactory

from .support import all_week, at

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def package(coach, client_of_coach):
    return package_services.package_sell(actor=coach, client=client_of_coach, name="Ten", total_sessions=10, price=500)


def book(coach, client, starts_at, **kwargs):
    return session_services.session_schedule(
        actor=coach, client=client, starts_at=starts_at, confirm_unavailable=True, **kwargs
    )


def test_complete_confirms_takes_notes_and_offers_undo(gym, client_a, coach, client_of_coach, package):
    session = book(coach, client_of_coach, timezone.now() - timedelta(hours=1), package=package)
    client_a.login_as(coach)
    url = reverse("session_complete", args=[session.pk])

    page = client_a.get(url)  # without JavaScript: a page of its own
    assert page.status_code == 200
    assert page.content.startswith(b"<!DOCTYPE html>")
    assert "One credit of “Ten” is used: 9 of 10 left afterwards." in page.content.decode()
    fragment = client_a.get(url, **HTMX)  # with HTMX: only the dialog's body
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content
    assert b'name="notes"' in fragment.content
    assert fragment["Vary"].count("HX-Request") == 1
    assert Session.objects.get(pk=session.pk).status == SessionStatus.SCHEDULED  # a GET changes nothing

    too_long = client_a.post(url, {"notes": "x" * 2001})
    assert too_long.status_code == 400
    assert too_long.context["form"].errors == {"notes": ["Use at most 2000 characters."]}
    response = client_a.post(url, {"notes": "Deadlifts, form much better"})
    assert response.status_code == 302
    session.refresh_from_db()
    package.refresh_from_db()
    assert (session.status, session.notes, package.used_sessions) == ("completed", "Deadlifts, form much better", 1)

    calendar = client_a.get(response["Location"])
    undo_url = reverse("session_undo", args=[session.pk])
    assert undo_url in calendar.content.decode()
    assert client_a.get(undo_url).status_code == 405
    assert client_a.post(undo_url).status_code == 302
    session.refresh_from_db()
    package.refresh_from_db()
    assert (session.status, package.used_sessions) == (SessionStatus.SCHEDULED, 0)


def test_undo_too_late_says_so(gym, client_a, coach, client_of_coach, package):
    session = book(coach, client_of_coach, timezone.now() - timedelta(days=3), package=package)
    session_services.session_no_show(actor=coach, session=session)
    Session.objects.filter(pk=session.pk).update(status_changed_at=timezone.now() - timedelta(hours=25))
    client_a.login_as(coach)
    response = client_a.post(reverse("session_undo", args=[session.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "This session was marked no-show more than 24 hours ago, so it can no longer be undone."
    ]
    assert Session.objects.get(pk=session.pk).status == SessionStatus.NO_SHOW
    assert reverse("session_undo", args=[session.pk]) not in response.content.decode()


def test_cancel_says_whether_it_is_late_and_takes_a_reason(gym, client_a, coach, client_of_coach, package):
    soon = book(coach, client_of_coach, timezone.now() + timedelta(hours=2), package=package)
    later = book(coach, client_of_coach, timezone.now() + timedelta(days=3), package=package)
    client_a.login_as(coach)
    page = client_a.get(reverse("session_cancel", args=[soon.pk]), **HTMX).content.decode()
    assert (
        "This is a late cancellation (less than 24 hours before the start): if the client cancels, one credit of "
        "“Ten” is used. If you call it off, no credit is used."
    ) in page
    assert "The client cancels (1 credit)" in page
    page = client_a.get(reverse("session_cancel", args=[later.pk])).content.decode()
    assert "This is more than 24 hours before the start: cancelling uses no credit." in page

    client_a.post(reverse("session_cancel", args=[soon.pk]), {"reason": "Flu", "by": "client"})
    soon.refresh_from_db()
    assert (soon.status, soon.cancellation, soon.cancellation_reason, soon.used_credit) == (
        "cancelled",
        "late",
        "Flu",
        True,
    )
    page = client_a.post(reverse("session_cancel", args=[later.pk]), {"reason": "x" * 201, "by": "trainer"})
    assert page.status_code == 400
    assert page.context["form"].errors == {"reason": ["Use at most 200 characters."]}


def test_no_show_confirms(gym, client_a, coach, client_of_coach):
    session = book(coach, client_of_coach, timezone.now() - timedelta(hours=1))
    client_a.login_as(coach)
    page = client_a.get(reverse("session_no_show", args=[session.pk])).content.decode()
    assert "The session has no package: no credit is used." in page
    client_a.post(reverse("session_no_show", args=[session.pk]))
    assert Session.objects.get(pk=session.pk).status == SessionStatus.NO_SHOW


def test_reschedule_page(gym, client_a, coach, client_of_coach, package):
    all_week(coach)
    busy = ClientFactory(trainer=coach, first_name="Bo", last_name="Busy")
    book(coach, busy, at(2, 10))
    session = book(coach, client_of_coach, at(1, 10), package=package)
    client_a.login_as(coach)
    url = reverse("session_edit", args=[session.pk])
    page = client_a.get(url)
    assert page.context["form"].initial["start"] == time(10)
    assert page.context["form"].initial["package"] == package.pk

    bad = client_a.post(url, {"day": "", "start": "25:00", "duration_minutes": "5", "notes": ""})
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"day", "start", "duration_minutes"}  # every field at once
    clash = client_a.post(
        url, {"day": at(2).date().isoformat(), "start": "10:30", "duration_minutes": "5", "package": package.pk}
    )
    assert clash.status_code == 400
    assert clash.context["form"].errors == {"duration_minutes": ["A session lasts from 15 to 480 minutes."]}
    clash = client_a.post(
        url, {"day": at(2).date().isoformat(), "start": "10:30", "duration_minutes": "60", "package": package.pk}
    )
    assert clash.context["form"].errors == {
        "start": ["Tom Trainer already has a session with Bo Busy from 10:00 to 11:00."]
    }
    moved = client_a.post(
        url,
        {"day": at(3).date().isoformat(), "start": "15:00", "duration_minutes": "45", "package": package.pk},
    )
    assert moved.status_code == 302
    session.refresh_from_db()
    assert (session.starts_at, session.duration_minutes) == (at(3, 15), 45)
    assert AuditEntry.objects.filter(action="session.reschedule").count() == 1
    page = client_a.get(url).content.decode()
    assert "Moved before" in page
    assert f"Was {at(1):%-d %b %Y}, 10:00 (60 min)" in page

    session_services.session_cancel(actor=coach, session=session)
    refused = client_a.post(url, {"day": at(4).date().isoformat(), "start": "10:00", "duration_minutes": "60"})
    assert refused.context["form"].errors == {"__all__": ["This session is already cancelled."]}
    client_a.login_as(TrainerFactory(role="trainer"))
    assert client_a.get(url).status_code == 404


def test_booking_form_prefilled_from_a_free_hour(gym, client_a, owner, coach):
    client_a.login_as(owner)
    day = at(2).date().isoformat()
    page = client_a.get(reverse("session_schedule"), {"trainer": coach.pk, "day": day, "start": "14:00"})
    initial = page.context["form"].initial
    assert (str(initial["trainer"]), initial["day"], initial["start"]) == (str(coach.pk), day, "14:00")


def test_time_grid_of_a_trainers_week(gym, client_a, coach, client_of_coach):
    monday = gym_today() - timedelta(days=gym_today().weekday()) + timedelta(days=7)
    AvailabilitySlot.objects.create(trainer=coach, weekday=0, starts_at=time(9), ends_at=time(12))
    AvailabilitySlot.objects.create(trainer=coach, weekday=0, starts_at=time(12), ends_at=time(17))
    TimeOff.objects.create(trainer=coach, starts_on=monday + timedelta(days=2), ends_on=monday + timedelta(days=2))
    inside = book(coach, client_of_coach, datetime.combine(monday, time(10), tzinfo=UTC))
    late = book(coach, client_of_coach, datetime.combine(monday, time(20), tzinfo=UTC))
    off = book(coach, client_of_coach, datetime.combine(monday + timedelta(days=2), time(10), tzinfo=UTC))
    session_services.session_reschedule(
        actor=coach, session=inside, starts_at=datetime.combine(monday, time(11), tzinfo=UTC), confirm_unavailable=True
    )
    client_a.login_as(coach)
    page = client_a.get(reverse("calendar"), {"day": monday.isoformat()})
    grid = page.context["time_grid"]
    assert (grid.view, grid.by_trainer, len(grid.columns), grid.first_hour, grid.last_hour) == ("week", False, 7, 6, 22)
    monday_column, wednesday = grid.columns[0], grid.columns[2]
    assert [(b.start, b.end, b.top, b.height) for b in monday_column.available] == [
        (time(9), time(17), 18.75, 50.0)  # touching slots drawn as one
    ]
    assert wednesday.time_off is not None and wednesday.available == []
    outside = {s.pk: s.outside_hours for column in grid.columns for s in column.sessions}
    assert outside == {inside.pk: False, late.pk: True, off.pk: True}
    free = [hour.start for hour in monday_column.free_hours if hour.available]
    assert free == [time(h) for h in (9, 10, 12, 13, 14, 15, 16)]  # 11:00 is taken
    content = page.content.decode()
    assert content.count("Outside working hours") == 2 * 2  # the grid and the phone's list
    assert "Moved from" in content
    link = f"{reverse('session_schedule')}?trainer={coach.pk}&amp;day={monday.isoformat()}&amp;start=09:00"
    assert link in content


def test_owners_day_shows_trainers_side_by_side(gym, client_a, owner, coach, client_of_coach):
    other = TrainerFactory(role="trainer", user__full_name="Uma Other")
    day = at(1).date()
    TimeOff.objects.create(trainer=other, starts_on=day, ends_on=day, reason="Holiday")
    book(coach, client_of_coach, at(1, 9))
    client_a.login_as(owner)
    page = client_a.get(reverse("calendar"), {"view": "day", "day": day.isoformat()})
    grid = page.context["time_grid"]
    assert grid.by_trainer is True
    names = [column.trainer.display_name for column in grid.columns]
    assert {"Tom Trainer", "Uma Other"} <= set(names)
    by_name = {column.trainer.display_name: column for column in grid.columns}
    assert len(by_name["Tom Trainer"].sessions) == 1
    assert by_name["Uma Other"].time_off.reason == "Holiday"
    assert "Time off: Holiday" in page.content.decode()


@pytest.mark.parametrize("view", ["day", "week"])
def test_time_grid_queries_do_not_grow(gym, client_a, owner, coach, view):
    all_week(coach)
    client_a.login_as(owner)
    counts, made = [], 0
    for count in (2, 20):
        while made < count:
            book(coach, ClientFactory(trainer=coach), at(0, 6) + timedelta(minutes=20 * made), duration_minutes=15)
            made += 1
        params = {"view": view, "trainer": coach.pk}
        client_a.get(reverse("calendar"), params)  # warm caches (host, session)
        with CaptureQueriesContext(connection) as queries:
            page = client_a.get(reverse("calendar"), params)
        counts.append(len(queries))
        assert sum(len(column.sessions) for column in page.context["time_grid"].columns) == count
    assert counts[0] == counts[1]


def test_session_notes_on_the_clients_timeline(gym, client_a, coach, client_of_coach):
    session = book(coach, client_of_coach, timezone.now() - timedelta(hours=1))
    session_services.session_complete(actor=coach, session=session, notes="Hip hinge drills.\nNext: kettlebell.")
    client_a.login_as(coach)
    page = client_a.get(reverse("client_detail", args=[client_of_coach.pk]))
    assert [kind for _when, kind, _item in page.context["timeline"]] == ["session"]
    assert "Hip hinge drills.<br>Next: kettlebell." in page.content.decode()
