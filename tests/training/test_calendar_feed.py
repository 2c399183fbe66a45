"""Issue 15: a trainer's private calendar feed: the page that makes the link, and the anonymous .ics it points at."""

import hashlib
import re
from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from apps.audit.models import AuditEntry
from apps.training.models import CalendarFeed, SessionStatus
from tenants.services import organization_suspend
from tests.factories import ClientFactory, SessionFactory

URL = "/profile/calendar/"
FEED_URL = re.compile(r"http://alpha\.localhost/calendar/([A-Za-z0-9_-]{43})\.ics")


@pytest.fixture
def as_coach(client_a, coach):
    return client_a.login_as(coach)


def make_link(web, **extra):
    response = web.post(URL, {"action": "new", **extra})
    assert response.status_code == 200, response.content.decode()[:500]
    [token] = FEED_URL.findall(response.content.decode())
    assert response["Cache-Control"] == "no-store"
    return token


def read_feed(gym, token):
    from tests.conftest import GymClient

    return GymClient(gym).get(f"/calendar/{token}.ics")  # anonymous


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_the_link_is_shown_once_and_stored_hashed(gym, coach, as_coach):
    page = as_coach.get(URL)
    assert page.status_code == 200 and "Make my calendar link" in page.content.decode()
    token = make_link(as_coach)
    feed = CalendarFeed.objects.get(trainer=coach)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert len(token) >= 43  # 256 bits
    assert token not in as_coach.get(URL).content.decode()
    assert AuditEntry.objects.filter(action="calendar_feed.create", actor_id=coach.pk).count() == 1


def test_the_feed_lists_the_trainers_sessions_in_the_window(gym, coach, other_coach, as_coach):
    now = timezone.now().replace(second=0, microsecond=0)
    cora = ClientFactory(trainer=coach, first_name="Cora", last_name="Client")
    kept = [
        SessionFactory(client=cora, starts_at=now - timedelta(days=29)),
        SessionFactory(client=cora, starts_at=now + timedelta(days=1), duration_minutes=45),
        SessionFactory(client=cora, starts_at=now + timedelta(days=179), status=SessionStatus.COMPLETED),
    ]
    cancelled = SessionFactory(client=cora, starts_at=now + timedelta(days=2), status=SessionStatus.CANCELLED)
    SessionFactory(client=cora, starts_at=now - timedelta(days=31))  # too old
    SessionFactory(client=cora, starts_at=now + timedelta(days=181))  # too far
    SessionFactory(client=ClientFactory(trainer=other_coach), starts_at=now + timedelta(days=1))  # not theirs
    token = make_link(as_coach)
    found = events(read_feed(gym, token))
    by_uid = {str(event["UID"]): event for event in found}
    assert set(by_uid) == {f"session-{s.pk}@alpha.localhost" for s in [*kept, cancelled]}
    assert by_uid[f"session-{cancelled.pk}@alpha.localhost"]["STATUS"] == "CANCELLED"
    event = by_uid[f"session-{kept[1].pk}@alpha.localhost"]
    assert event["STATUS"] == "CONFIRMED"
    assert str(event["SUMMARY"]) == "Cora C."
    assert event.start.utcoffset() == timedelta(0) and event.start == kept[1].starts_at.astimezone(UTC)
    assert event.end - event.start == timedelta(minutes=45)
    body = read_feed(gym, token).content.decode()
    assert "Client" not in body.replace("Cora C.", "")  # no last names
    for word in ("price", "PRICE", "amount", "$"):
        assert word not in body


def test_full_names_when_the_trainer_chooses(gym, coach, as_coach):
    SessionFactory(client=ClientFactory(trainer=coach, first_name="Cora", last_name="Client"))
    token = make_link(as_coach)
    assert as_coach.post(URL, {"action": "names", "full_names": "on"}).status_code == 302
    [event] = events(read_feed(gym, token))
    assert str(event["SUMMARY"]) == "Cora Client"
    assert as_coach.post(URL, {"action": "names"}).status_code == 302
    [event] = events(read_feed(gym, token))
    assert str(event["SUMMARY"]) == "Cora C."


def test_the_feed_costs_the_same_queries_for_3_or_30_sessions(gym, coach, as_coach):
    client = ClientFactory(trainer=coach)
    token = make_link(as_coach)

    def queries(count):
        for day in range(count):
            SessionFactory(client=client, starts_at=timezone.now() + timedelta(days=day % 170, hours=day))
        with CaptureQueriesContext(connection) as captured:
            events(read_feed(gym, token))
        return len(captured)

    few = queries(3)
    assert queries(27) == few
    assert few <= 4  # search path, the feed (with its trainer), the sessions (with their clients)


def test_regenerating_kills_the_old_link(gym, coach, as_coach):
    old = make_link(as_coach)
    refused = as_coach.post(URL, {"action": "new"})  # no confirmation
    assert refused.status_code == 400
    assert read_feed(gym, old).status_code == 200
    new = make_link(as_coach, confirm="on")
    assert new != old
    assert read_feed(gym, old).status_code == 404
    assert read_feed(gym, new).status_code == 200
    assert AuditEntry.objects.filter(action="calendar_feed.regenerate", actor_id=coach.pk).count() == 1


def test_wrong_or_malformed_tokens_are_404(gym, coach, as_coach):
    make_link(as_coach)
    for token in ["x" * 43, "short", "a" * 200, "%00" * 20]:
        assert read_feed(gym, token).status_code == 404


def test_deactivating_the_trainer_kills_the_feed(gym, coach, as_coach):
    token = make_link(as_coach)
    coach.is_active = False
    coach.save(update_fields=["is_active"])
    assert read_feed(gym, token).status_code == 404


def test_another_gyms_host_does_not_know_the_token(gym, coach, as_coach, gym_b):
    token = make_link(as_coach)
    assert read_feed(gym_b, token).status_code == 404


def test_a_suspended_gym_answers_as_the_middleware_does(gym, coach, as_coach, gym_a):
    token = make_link(as_coach)
    organization_suspend(organization=gym_a)
    response = read_feed(gym_a, token)
    assert response.status_code == 403
    assert b"This organization is suspended" in response.content


def test_assistants_have_no_feed_page(gym, assistant, client_a):
    response = client_a.login_as(assistant).get(URL)
    assert response.status_code == 403


def test_the_profile_links_to_the_feed_page(gym, coach, as_coach):
    assert URL in as_coach.get(f"/trainers/{coach.pk}/").content.decode()


@pytest.fixture
def other_coach(gym):
    from tenants.models import Role
    from tests.factories import TrainerFactory

    return TrainerFactory(role=Role.TRAINER, user__full_name="Olly Other")
