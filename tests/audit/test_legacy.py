"""The data migration audit.0003: stored summaries, English and Korean, become events; the rest keep their text."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import translation

from apps.audit.legacy import read_old_summaries, write_summaries_back
from apps.audit.models import AuditEntry
from tenants.models import Role


def old_entry(action, summary):
    return AuditEntry.objects.create(actor_name="Tom", action=action, target_type="x.y", summary=summary)


def test_old_rows_become_events_in_the_gym_s_timezone_and_garbled_ones_stay_as_written(in_gym_a):
    with translation.override("ko"):
        korean_role = translation.gettext("Role changed from %(old)s to %(new)s.") % {
            "old": Role.TRAINER.label,
            "new": Role.SENIOR.label,
        }
    english = old_entry("session.schedule", "Session of Cora with Tom scheduled for 3 Dec 2026, 15:48 (60 minutes).")
    korean = old_entry("trainer.role_change", korean_role)
    garbled = old_entry("session.cancel", "Cancelled, probably.")
    other = old_entry("client.view", "Client record opened.")

    assert read_old_summaries(AuditEntry, connection, zone_name="Asia/Seoul") == (3, 1)

    english.refresh_from_db()
    assert (english.event, english.summary) == ("session.schedule", "")
    moment = datetime.fromisoformat(english.params["when"])
    assert moment == datetime(2026, 12, 3, 15, 48, tzinfo=ZoneInfo("Asia/Seoul"))
    korean.refresh_from_db()
    assert (korean.event, korean.params) == ("trainer.role_change", {"old": "trainer", "new": "senior"})
    with translation.override("en"):
        assert korean.sentence == "Role changed from Trainer to Senior."
    garbled.refresh_from_db()
    assert (garbled.event, garbled.summary, garbled.sentence) == ("", "Cancelled, probably.", "Cancelled, probably.")
    other.refresh_from_db()
    assert other.event == "client.view"

    assert read_old_summaries(AuditEntry, connection) == (0, 1)  # a second run has nothing left to read
    assert write_summaries_back(AuditEntry, connection) == 3  # the way back writes English sentences
    korean.refresh_from_db()
    assert korean.summary == "Role changed from Trainer to Senior."


def test_the_gym_s_timezone_comes_from_its_row(in_gym_a, gym_a):
    entry = old_entry(
        "session.reschedule", "Moved from 3 Dec 2026, 15:48 (60 minutes) to 4 Dec 2026, 09:00 (45 minutes)."
    )
    assert read_old_summaries(AuditEntry, connection) == (1, 0)
    entry.refresh_from_db()
    assert datetime.fromisoformat(entry.params["after"]) == datetime(2026, 12, 4, 9, tzinfo=ZoneInfo(gym_a.timezone))
    assert (entry.params["before_minutes"], entry.params["after_minutes"]) == (60, 45)
