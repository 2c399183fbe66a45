"""The registry of audit events: every event is well formed, renders in both languages, and reads back from its own
words (which is how old summaries become events); audit_record refuses what the registry does not know."""

import re
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import translation

from apps.audit import events
from apps.audit.events import REGISTRY, placeholders
from apps.audit.services import audit_record
from tenants.models import Role
from tests.factories import TrainerFactory

# Every call of audit_record in the code names one of these (tests/audit/test_events.py::test_every_call_site_...).
ALL_EVENTS = sorted(REGISTRY)


def example_params(event):
    return {name: kind.example() for name, kind in event.params.items()}


@pytest.mark.parametrize("code", ALL_EVENTS)
def test_every_event_is_well_formed(code):
    event = REGISTRY[code]
    context, singular, plural, count = event.msgids
    assert placeholders(singular) == set(event.params), "the message names exactly the event's parameters"
    if plural:
        assert placeholders(plural) == set(event.params)
        assert isinstance(event.params[count], events.Count), "the plural is picked by a count"
    for legacy in event.legacy:
        with translation.override("en"):
            assert placeholders(legacy.template()) == set(event.params)
    assert re.fullmatch(r"[a-z_]+\.[a-z_]+", code) and re.fullmatch(r"[a-z_]+\.[a-z_]+", event.entry_action)


@pytest.mark.parametrize("code", ALL_EVENTS)
@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_event_renders_and_reads_back_from_its_own_words(in_gym_a, code, language):
    event = REGISTRY[code]
    stored = events.dump_params(code, example_params(event))
    with translation.override(language):
        sentence = events.render(code, stored)
        ko_template = event.template(stored.get(event.msgids[3]) if event.msgids[3] else None)
    assert sentence and "%(" not in sentence
    if language == "ko" and placeholders(ko_template) != set(event.params):
        pytest.fail(f"the Korean of {code} names other placeholders: {ko_template!r}")
    assert events.parse_summary(event.entry_action, sentence) == (code, stored)


def test_the_korean_words_are_the_catalogue_s(in_gym_a):
    with translation.override("ko"):
        assert events.render("session.complete", {}) != "Completed."
        assert events.render("trainer.role_change", {"old": "trainer", "new": "senior"}) != (
            "Role changed from Trainer to Senior."
        )


def test_kinds_store_json_and_show_in_the_gym_s_zone_and_the_reader_s_language(in_gym_a):
    moment = datetime.fromisoformat("2026-12-03T06:48:00+00:00")
    stored = events.dump_params("session.schedule", {"client": "Cora", "trainer": "Tom", "when": moment, "minutes": 60})
    assert stored == {"client": "Cora", "trainer": "Tom", "when": "2026-12-03T06:48:00+00:00", "minutes": 60}
    in_gym = events.format_datetime(moment)  # gym A's timezone, not UTC's
    with translation.override("en"):
        assert events.render("session.schedule", stored) == (
            f"Session of Cora with Tom scheduled for {in_gym} (60 minutes)."
        )
    money = events.dump_params("payment.refund", {"amount": (Decimal("5.5"), "usd"), "package": "10 x PT"})
    assert money == {"amount": {"amount": "5.5", "currency": "USD"}, "package": "10 x PT"}
    with translation.override("en"):
        assert events.render("payment.refund", money) == "Refund of $5.50 for “10 x PT”."
    with translation.override("en"):
        sold = events.dump_params("package.sell", {"client": "C", "sessions": 1, "gross": (Decimal(9), "KRW")})
        assert events.render("package.sell", sold) == "Package sold to C: 1 session for ₩9."
        assert events.render("package.sell", {**sold, "sessions": 2}) == "Package sold to C: 2 sessions for ₩9."


@pytest.mark.parametrize(
    ("code", "params", "error"),
    [
        ("session.nonsense", {}, LookupError),
        ("session.schedule", {"client": "Cora"}, KeyError),  # missing parameters
        ("session.complete", {"extra": 1}, KeyError),
        ("session.undo", {"status": "finished"}, ValueError),  # not a status
        ("session.schedule", {"client": "C", "trainer": "T", "when": datetime(2026, 1, 1), "minutes": 60}, TypeError),
        ("package.expire", {"day": "2026-01-01"}, TypeError),
        ("trainer.profile_update", {"name": "T", "fields": ["no_such_field"]}, Exception),
        ("client.create", {"trainer": translation.gettext_lazy("Trainer")}, TypeError),
    ],
)
def test_audit_record_refuses_what_the_registry_does_not_know(in_gym_a, code, params, error):
    trainer = TrainerFactory()
    with pytest.raises(error):
        audit_record(actor=trainer, target=trainer, event=code, params=params)


def test_audit_record_takes_the_event_s_action_and_still_takes_a_plain_summary(in_gym_a):
    trainer = TrainerFactory()
    entry = audit_record(actor=trainer, target=trainer, event="session.cancel_late")
    assert (entry.action, entry.event, entry.summary) == ("session.cancel", "session.cancel_late", "")
    with pytest.raises(ValueError):
        audit_record(actor=trainer, target=trainer, event="session.cancel_late", action="session.complete")
    plain = audit_record(actor=trainer, target=trainer, action="trainer.note", summary="Written by hand.")
    with translation.override("ko"):
        assert (plain.event, plain.sentence) == ("", "Written by hand.")
    with pytest.raises(TypeError):
        audit_record(actor=trainer, target=trainer, event="session.complete", summary="both")


def test_a_row_that_cannot_be_rendered_shows_its_summary_or_its_code(in_gym_a):
    assert events.render("gone.event", {}, fallback="As written.") == "As written."
    assert events.render("session.undo", {"status": "finished"}) in {"finished undone.", "session.undo"}
    assert events.render("session.schedule", {}) == "session.schedule"


def test_every_call_site_names_a_registered_event():
    """Each literal event= in the code is in the registry (a typo would otherwise fail only when that service runs)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found = set()
    for path in [*root.joinpath("apps").rglob("*.py"), *root.joinpath("tenants").rglob("*.py")]:
        found.update(re.findall(r'event="([a-z_.]+)"', path.read_text()))
        found.update(re.findall(r'"(client\.(?:view|export))"', path.read_text()))
    assert found and found <= set(REGISTRY), sorted(found - set(REGISTRY))


# --- reading old summaries back (the data migration audit.0003) -------------------------------------------------

OLD_ROWS = [
    # (action, summary as stored, event, params): real summaries written before issue 15, English and Korean
    ("session.complete", "Completed.", "session.complete", {}),
    ("session.cancel", "Cancelled late: one credit used.", "session.cancel_late", {}),
    ("invitation.revoke", "Revoked.", "invitation.revoke", {}),
    ("api_key.revoke", "Revoked.", "api_key.revoke", {}),
    (
        "trainer.role_change",
        "Role changed from Trainer to Senior.",
        "trainer.role_change",
        {"old": "trainer", "new": "senior"},
    ),
    (
        "package.sell",
        "Package sold to Cora Client: 10 sessions for $500.00.",
        "package.sell",
        {"client": "Cora Client", "sessions": 10, "gross": {"amount": "500.00", "currency": "USD"}},
    ),
    (
        "package.sell",
        "Package sold to 김민지: 10 sessions for ₩500,000.",
        "package.sell",
        {"client": "김민지", "sessions": 10, "gross": {"amount": "500000", "currency": "KRW"}},
    ),
    (
        "trainer.deactivate",
        "Deactivated; 2 sign-in session(s) ended, 5 client(s) need a trainer.",
        "trainer.deactivate",
        {"sessions": 2, "clients": 5},
    ),
    ("client.export_csv", "1 client(s) exported to CSV.", "client.export_csv", {"count": 1}),
    (
        "pricing_template.create",
        "Pricing template for Tara created: 10 sessions for $49.90, valid 90 days.",
        "pricing_template.create",
        {"trainer": "Tara", "sessions": 10, "price": {"amount": "49.90", "currency": "USD"}, "days": 90},
    ),
    (
        "availability.slot_update",
        "Availability of Tom: Monday 09:00–12:00 changed to Monday 09:00–24:00.",
        "availability.slot_update",
        {
            "trainer": "Tom",
            "old": {"weekday": 0, "start": "09:00", "end": "12:00"},
            "new": {"weekday": 0, "start": "09:00", "end": "24:00"},
        },
    ),
    (
        "availability.time_off_update",
        "Time off of Tom: 10 Mar 2026 to 15 Mar 2026 changed to 10 Mar 2026.",
        "availability.time_off_update",
        {"trainer": "Tom", "old": ["2026-03-10", "2026-03-15"], "new": ["2026-03-10", "2026-03-10"]},
    ),
    (
        "organization.settings_update",
        "Gym settings changed: name, report paper size, logo.",
        "organization.settings_update",
        {"fields": ["name", "paper_size", "logo"]},
    ),
    (
        "trainer.assists",
        "Ann now assists: nobody.",
        "trainer.assists",
        {"assistant": "Ann", "trainers": []},
    ),
    (
        "test_result.override",
        "Push-ups: score - overridden to 80: injured wrist",
        "test_result.override",
        {"test": "push_ups", "computed": None, "score": 80, "reason": "injured wrist"},
    ),
]


def korean(message, **values):
    with translation.override("ko"):
        return translation.gettext(message) % values


@pytest.mark.parametrize(("action", "summary", "event", "params"), OLD_ROWS)
def test_old_english_summaries_read_back(in_gym_a, action, summary, event, params):
    assert events.parse_summary(action, summary) == (event, params)


def test_old_korean_summaries_read_back(in_gym_a):
    with translation.override("ko"):
        when = events.format_datetime(datetime(2026, 12, 3, 15, 48, tzinfo=events.gym_timezone()))
        day = events.format_date(date(2026, 3, 10))
        senior = str(Role.SENIOR.label)
    assert "년" in when and "년" in day
    scheduled = korean(
        "Session of %(client)s with %(trainer)s scheduled for %(when)s (%(minutes)d minutes).",
        client="김민지",
        trainer="Tom",
        when=when,
        minutes=60,
    )
    assert scheduled != korean("Completed.") and "김민지" in scheduled and when in scheduled
    event, params = events.parse_summary("session.schedule", scheduled)
    assert (event, params["client"], params["minutes"]) == ("session.schedule", "김민지", 60)
    assert datetime.fromisoformat(params["when"]) == datetime(2026, 12, 3, 15, 48, tzinfo=events.gym_timezone())
    role = korean("Role changed from %(old)s to %(new)s.", old=senior, new=senior)
    assert events.parse_summary("trainer.role_change", role) == (
        "trainer.role_change",
        {"old": "senior", "new": "senior"},
    )
    expired = korean("Package expired on %(day)s.", day=day)
    assert events.parse_summary("package.expire", expired) == ("package.expire", {"day": "2026-03-10"})


@pytest.mark.parametrize(
    ("action", "summary"),
    [
        ("session.complete", "Completed!"),  # garbled
        ("session.schedule", "Session of Cora with Tom scheduled for someday (60 minutes)."),  # not a date
        ("trainer.role_change", "Role changed from Trainer to Emperor."),  # not a role
        ("package.sell", "Package sold to Cora: 10 sessions for ¤500."),  # not a currency
        ("session.complete", "Cancelled late: one credit used."),  # the words of another action
        ("session.complete", ""),
    ],
)
def test_garbled_summaries_are_not_read(in_gym_a, action, summary):
    assert events.parse_summary(action, summary) is None


def test_slot_kind_takes_times_and_shows_the_end_of_the_day(in_gym_a):
    stored = events.dump_params("availability.slot_add", {"trainer": "T", "slot": (1, time(9), time.max)})
    assert stored["slot"] == {"weekday": 1, "start": "09:00", "end": "24:00"}
    with translation.override("en"):
        assert events.render("availability.slot_add", stored) == "Availability of T: added Tuesday 09:00–24:00."


def test_every_audit_message_has_korean():
    from .korean import untranslated_messages

    assert untranslated_messages() == []


def test_an_erased_name_leaves_the_texts_of_parameters_but_not_codes_or_amounts(in_gym_a):
    from apps.audit.services import audit_replace_name

    trainer = TrainerFactory()
    sold = audit_record(
        actor=trainer,
        target=trainer,
        event="package.sell",
        params={"client": 'Min-ji "Mia" Kim', "sessions": 10, "gross": (Decimal(500), "KRW")},
    )
    assists = audit_record(
        actor=trainer,
        target=trainer,
        event="trainer.assists",
        params={"assistant": "A", "trainers": ['Min-ji "Mia" Kim']},
    )
    role = audit_record(
        actor=trainer, target=trainer, event="trainer.role_change", params={"old": "trainer", "new": "senior"}
    )
    assert audit_replace_name('Min-ji "Mia" Kim', "Erased client #7") == 2
    sold.refresh_from_db()
    assists.refresh_from_db()
    role.refresh_from_db()
    assert sold.params == {"client": "Erased client #7", "sessions": 10, "gross": {"amount": "500", "currency": "KRW"}}
    assert assists.params["trainers"] == ["Erased client #7"]
    assert role.params == {"old": "trainer", "new": "senior"}
    assert audit_replace_name("trainer", "x") == 0  # a choice's value is not a name
