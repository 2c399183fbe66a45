"""Issue 15: reminder mails before sessions, notices of moves and cancellations, and the client's consent."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from icalendar import Calendar

from apps.audit.models import AuditEntry
from apps.clients.services import client_update
from apps.training import reminders
from apps.training.models import Session, SessionStatus
from apps.training.services import sessions as services
from apps.training.tasks import send_reminders_everywhere, send_reminders_in_gym
from tenants.models import Organization
from tests.factories import ClientFactory, SessionFactory

from .support import all_week

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def set_gym(**values):
    organization = connection.tenant
    Organization.objects.filter(pk=organization.pk).update(**values)
    for name, value in values.items():
        setattr(organization, name, value)


def agreed(coach, **kwargs):
    values = {"trainer": coach, "email": "cora@example.com", "reminders_consent_at": NOW - timedelta(days=3)}
    return ClientFactory(**{**values, **kwargs})


def booked(client, hours_ahead=10, **kwargs):
    return SessionFactory(client=client, starts_at=NOW + timedelta(hours=hours_ahead), **kwargs)


def attachment(message):
    [(name, content, mimetype)] = message.attachments
    assert (name, mimetype) == ("session.ics", "text/calendar")
    return Calendar.from_ical(content)


def the_event(cal):
    [event] = cal.walk("VEVENT")
    return event


@pytest.fixture
def reminding(gym):
    set_gym(reminder_hours=24)
    return gym


def test_who_gets_a_reminder(reminding, coach):
    wanted = booked(agreed(coach, first_name="Wendy"))
    booked(agreed(coach, email=""))  # no address
    booked(agreed(coach, reminders_consent_at=None))  # no consent
    booked(agreed(coach), status=SessionStatus.CANCELLED)
    booked(agreed(coach), reminder_sent_at=NOW - timedelta(hours=1))  # already sent
    booked(agreed(coach), hours_ahead=30)  # not yet: 24 hours ahead
    booked(agreed(coach), hours_ahead=-1)  # over
    booked(agreed(coach, status="archived"))
    assert list(reminders.reminders_due(now=NOW, hours=24)) == [wanted]

    assert reminders.reminders_send(now=NOW) == 1
    [message] = mail.outbox
    assert message.to == ["cora@example.com"]
    assert message.subject == "Reminder: your session at Alpha Gym on 3 Dec 2026, 19:00"
    assert "Hello Wendy," in message.body
    assert "This is a reminder of your session with Tom Trainer at Alpha Gym on 3 Dec 2026, 19:00" in message.body
    assert "on 3 Dec 2026, 19:00" in message.alternatives[0].content
    assert message.reply_to == [coach.user.email]
    wanted.refresh_from_db()
    assert wanted.reminder_sent_at == NOW

    # The beat job again (or at once in another worker): the marker says it went out.
    assert reminders.reminders_send(now=NOW + timedelta(minutes=5)) == 0
    assert len(mail.outbox) == 1


def test_a_gym_with_zero_hours_sends_none(reminding, coach):
    booked(agreed(coach))
    set_gym(reminder_hours=0)
    assert reminders.reminders_send(now=NOW) == 0
    assert mail.outbox == []


def test_the_task_fans_out_per_gym_and_runs_in_each(reminding, coach, in_gym_a):
    session = booked(agreed(coach), hours_ahead=2)
    session.starts_at = timezone.now() + timedelta(hours=2)
    session.save()
    assert send_reminders_everywhere.delay().get() == Organization.objects.filter(status="active").count()
    assert [message.to for message in mail.outbox] == [["cora@example.com"]]
    assert send_reminders_in_gym.delay().get() == 0
    assert len(mail.outbox) == 1


def test_the_ics_of_a_reminder(reminding, coach):
    session = booked(agreed(coach, first_name="Ida", last_name="Ics"), duration_minutes=45)
    reminders.reminders_send(now=NOW)
    [message] = mail.outbox
    cal = attachment(message)
    assert cal["METHOD"] == "REQUEST"
    event = the_event(cal)
    assert str(event["UID"]) == f"session-{session.pk}@alpha.localhost"
    assert event["SEQUENCE"] == 0
    assert event.start == NOW + timedelta(hours=10)
    assert event.start.tzinfo is not None and event.start.utcoffset() == timedelta(0)
    assert event.end - event.start == timedelta(minutes=45)
    assert event["STATUS"] == "CONFIRMED"
    assert str(event["ATTENDEE"]) == "mailto:cora@example.com"
    assert str(event["ORGANIZER"]) == f"mailto:{coach.user.email}"
    assert message.extra_headers["Message-ID"] == f"<reminder.{session.pk}.gym_alpha@alpha.localhost>"


def test_a_korean_client_gets_korean_dates_in_seoul_time(reminding, coach):
    set_gym(timezone="Asia/Seoul")
    booked(agreed(coach, report_language="ko"))  # 19:00 UTC is 04:00 the next day in Seoul
    reminders.reminders_send(now=NOW)
    [message] = mail.outbox
    assert "2026년 12월 4일 04:00" in message.subject
    assert "2026년 12월 4일 04:00" in message.body
    event = the_event(attachment(message))
    assert event.start == datetime(2026, 12, 3, 19, 0, tzinfo=UTC)


def test_moving_a_session_sends_an_update(gym, coach, django_capture_on_commit_callbacks):
    all_week(coach)
    client = agreed(coach, first_name="Mo")
    session = SessionFactory(client=client, starts_at=timezone.now() + timedelta(days=2))
    new_start = (timezone.now() + timedelta(days=3)).replace(hour=14, minute=0, second=0, microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_reschedule(actor=coach, session=session, starts_at=new_start)
    [message] = mail.outbox
    assert message.subject.startswith("Your session moved to ")
    assert "moved from" in message.body
    cal = attachment(message)
    assert cal["METHOD"] == "REQUEST"
    event = the_event(cal)
    assert event["SEQUENCE"] == 1
    assert event.start == new_start

    # Edits that do not move it send nothing.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_reschedule(actor=coach, session=session, notes="Bring shoes")
    assert mail.outbox == []


def test_cancelling_sends_a_cancellation(gym, coach, django_capture_on_commit_callbacks):
    session = SessionFactory(client=agreed(coach), starts_at=timezone.now() + timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(actor=coach, session=session, by_trainer=True)
    [message] = mail.outbox
    assert "is cancelled" in message.subject
    cal = attachment(message)
    assert cal["METHOD"] == "CANCEL"
    event = the_event(cal)
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert str(event["UID"]) == f"session-{session.pk}@alpha.localhost"


@pytest.mark.parametrize("client_values", [{"email": ""}, {"reminders_consent_at": None}])
def test_no_notices_without_an_address_or_consent(gym, coach, django_capture_on_commit_callbacks, client_values):
    all_week(coach)
    session = SessionFactory(client=agreed(coach, **client_values), starts_at=timezone.now() + timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        services.session_reschedule(actor=coach, session=session, starts_at=session.starts_at + timedelta(hours=3))
        services.session_cancel(actor=coach, session=session)
    assert mail.outbox == []


def test_a_refused_cancel_queues_nothing(gym, coach, django_capture_on_commit_callbacks):
    session = SessionFactory(client=agreed(coach), starts_at=timezone.now() + timedelta(days=2))
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(Exception, match="Use at most"):
        services.session_cancel(actor=coach, session=session, reason="x" * 300)
    assert callbacks == []


def test_a_notice_for_a_session_no_longer_in_that_state_is_not_sent(gym, coach):
    session = SessionFactory(client=agreed(coach), status=SessionStatus.CANCELLED)
    assert reminders.notice_send(session_id=session.pk, kind=reminders.MOVED) is False
    assert reminders.notice_send(session_id=Session.objects.order_by("-pk").first().pk + 1, kind="moved") is False
    assert mail.outbox == []


def test_consent_is_recorded_with_its_date_cleared_and_audited(gym, coach):
    client = ClientFactory(trainer=coach, email="x@example.com")
    client = client_update(actor=coach, client=client, reminders_consent=True)
    first = client.reminders_consent_at
    assert first is not None
    client = client_update(actor=coach, client=client, reminders_consent=True, phone="010 1234")
    assert client.reminders_consent_at == first  # kept while it stays ticked
    client = client_update(actor=coach, client=client, reminders_consent=False)
    assert client.reminders_consent_at is None
    entries = AuditEntry.objects.filter(action="client.update", target_id=str(client.pk)).order_by("pk")
    consent_changes = [entry.changes.get("reminders_consent_at") for entry in entries]
    assert consent_changes[0][0] is None and consent_changes[0][1]
    assert consent_changes[1] is None
    assert consent_changes[2][1] is None


def test_the_client_form_and_page_show_the_consent(gym, coach, client_a):
    client = ClientFactory(trainer=coach, first_name="Pia", email="pia@example.com")
    client_a.login_as(coach)
    form = client_a.get(f"/clients/{client.pk}/edit/")
    assert 'name="reminders_consent"' in form.content.decode()
    data = {"first_name": "Pia", "sex": "not_stated", "email": "pia@example.com", "reminders_consent": "on"}
    response = client_a.post(f"/clients/{client.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    client.refresh_from_db()
    assert client.reminders_consent_at is not None
    page = client_a.get(f"/clients/{client.pk}/").content.decode()
    assert "Session reminders" in page and "Agreed on" in page
    response = client_a.post(f"/clients/{client.pk}/edit/", {**data, "reminders_consent": ""})
    client.refresh_from_db()
    assert client.reminders_consent_at is None
    assert "Not agreed" in client_a.get(f"/clients/{client.pk}/").content.decode()


def test_the_owner_sets_the_reminder_hours(gym, owner, client_a):
    client_a.login_as(owner)
    page = client_a.get("/team/settings/").content.decode()
    assert 'name="reminder_hours"' in page
    form = client_a.get("/team/settings/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["reminder_hours"] = "0"
    response = client_a.post("/team/settings/", data)
    assert response.status_code == 302, response.context["form"].errors
    assert Organization.objects.get(pk=gym.pk).reminder_hours == 0
    entry = AuditEntry.objects.filter(action="organization.settings_update").latest("pk")
    assert entry.changes["reminder_hours"] == [24, 0]
    response = client_a.post("/team/settings/", {**data, "reminder_hours": "999"})
    assert response.status_code == 400
    assert response.context["form"].errors["reminder_hours"] == [
        "Enter a whole number of hours from 0 (no reminders) to 168."
    ]


def test_a_failed_send_leaves_no_marker_and_the_next_run_sends(reminding, coach, monkeypatch):
    session = booked(agreed(coach))
    calls = []

    def refuse(self, fail_silently=False):
        calls.append(self.to)
        raise ConnectionRefusedError("SMTP down")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
        assert reminders.reminders_send(now=NOW) == 0  # logged, not raised: other sessions go on
    assert calls == [["cora@example.com"]]
    session.refresh_from_db()
    assert session.reminder_sent_at is None
    assert reminders.reminders_send(now=NOW + timedelta(minutes=5)) == 1
    assert len(mail.outbox) == 1


def test_a_resend_after_a_lost_commit_carries_the_same_message_id(reminding, coach):
    """A worker dying between the SMTP server's answer and the commit leaves no marker: the mail goes again, with the
    same Message-ID, so the receiving side can recognise the duplicate (the documented guarantee)."""
    session = booked(agreed(coach))
    assert reminders.reminders_send(now=NOW) == 1
    Session.objects.filter(pk=session.pk).update(reminder_sent_at=None)  # as if that commit never happened
    assert reminders.reminders_send(now=NOW) == 1
    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
