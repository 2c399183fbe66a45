"""Rescheduling, notes, cancellation reasons and undo through the API (the services' rules, the API's statuses)."""

from datetime import timedelta

from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.training.models import SessionPackage
from tests.factories import ClientFactory, SessionFactory, SessionPackageFactory
from tests.support import in_gym


def at(days, hour=10):
    return (timezone.now() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def test_reschedule_and_edit(gym_a, people, api_as):
    client = in_gym(gym_a, ClientFactory, trainer=people["trainer"], first_name="Minji")
    busy = in_gym(gym_a, ClientFactory, trainer=people["trainer"], first_name="Bo")
    package = in_gym(gym_a, SessionPackageFactory, client=client, total_sessions=5)
    api = api_as(people["trainer"])
    booked = api.post(
        "sessions/", {"client": client.pk, "starts_at": at(3).isoformat(), "confirm_unavailable": True}
    ).json()
    api.post("sessions/", {"client": busy.pk, "starts_at": at(4).isoformat(), "confirm_unavailable": True})
    url = f"sessions/{booked['id']}/"

    clash = api.patch(url, {"starts_at": at(4).isoformat(), "confirm_unavailable": True})
    assert clash.status_code == 409 and list(clash.json()["fields"]) == ["starts_at"]
    outside = api.patch(url, {"starts_at": at(5).isoformat()})
    assert outside.status_code == 409 and list(outside.json()["fields"]) == ["confirm_unavailable"]
    bad = api.patch(url, {"duration_minutes": 5, "notes": "x" * 2001})
    assert bad.status_code == 400
    assert bad.json()["fields"] == {
        "duration_minutes": ["A session lasts from 15 to 480 minutes."],
        "notes": ["Use at most 2000 characters."],
    }
    etag = api.get(url)["ETag"]
    moved = api.patch(
        url,
        {
            "starts_at": at(5, 15).isoformat(),
            "duration_minutes": 45,
            "package": package.pk,
            "confirm_unavailable": True,
        },
        headers={"If-Match": etag},
    )
    assert moved.status_code == 200, moved.json()
    body = moved.json()
    assert (body["duration_minutes"], body["package"]["id"]) == (45, package.pk)
    assert len(body["previous_times"]) == 1 and body["previous_times"][0]["duration_minutes"] == 60
    assert api.patch(url, {"notes": "Stale"}, headers={"If-Match": etag}).status_code == 412
    assert api.patch(url, {"package": None}).json()["package"] is None
    assert in_gym(gym_a, AuditEntry.objects.filter(action="session.reschedule").count) == 1
    assert in_gym(gym_a, AuditEntry.objects.filter(action="session.edit").count) == 1


def test_complete_with_notes_then_undo(gym_a, people, api_as):
    client = in_gym(gym_a, ClientFactory, trainer=people["trainer"])
    package = in_gym(gym_a, SessionPackageFactory, client=client, total_sessions=5)
    started = in_gym(
        gym_a,
        SessionFactory,
        client=client,
        trainer=people["trainer"],
        package=package,
        starts_at=timezone.now() - timedelta(hours=2),
    )
    api = api_as(people["trainer"])
    assert api.get(f"sessions/{started.pk}/").json()["undo_until"] is None
    done = api.post(f"sessions/{started.pk}/complete/", {"notes": "Good squat depth"})
    assert done.status_code == 200
    assert (done.json()["notes"], done.json()["used_credit"]) == ("Good squat depth", True)
    assert done.json()["undo_until"] is not None
    assert in_gym(gym_a, SessionPackage.objects.get, pk=package.pk).used_sessions == 1
    undone = api.post(f"sessions/{started.pk}/undo/")
    assert undone.status_code == 200
    assert (undone.json()["status"], undone.json()["used_credit"], undone.json()["undo_until"]) == (
        "scheduled",
        False,
        None,
    )
    assert in_gym(gym_a, SessionPackage.objects.get, pk=package.pk).used_sessions == 0
    again = api.post(f"sessions/{started.pk}/undo/")
    assert (
        again.status_code == 409 and again.json()["message"] == "Only a completed session or a no-show can be undone."
    )
    # Not one's own session: 404, as everywhere.
    assert api_as(people["other"]).post(f"sessions/{started.pk}/undo/").status_code == 404


def test_undo_after_a_day_is_409_and_cancel_keeps_a_reason(gym_a, people, api_as):
    client = in_gym(gym_a, ClientFactory, trainer=people["trainer"])
    old = in_gym(
        gym_a,
        SessionFactory,
        client=client,
        trainer=people["trainer"],
        status="no_show",
        status_changed_at=timezone.now() - timedelta(hours=25),
        starts_at=timezone.now() - timedelta(days=2),
    )
    api = api_as(people["trainer"])
    late = api.post(f"sessions/{old.pk}/undo/")
    assert late.status_code == 409
    assert late.json()["message"] == (
        "This session was marked no-show more than 24 hours ago, so it can no longer be undone."
    )
    soon = in_gym(
        gym_a, SessionFactory, client=client, trainer=people["trainer"], starts_at=timezone.now() + timedelta(days=2)
    )
    cancelled = api.post(f"sessions/{soon.pk}/cancel/", {"reason": "Travelling"})
    assert (cancelled.json()["status"], cancelled.json()["cancellation_reason"]) == ("cancelled", "Travelling")
