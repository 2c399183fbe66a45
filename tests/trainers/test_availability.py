"""Weekly availability and time off: services, the availability selector, the week grid pages."""

import threading
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from apps.audit.models import AuditEntry
from apps.core.errors import ApplicationError
from apps.trainers.models import AvailabilitySlot, TimeOff, Trainer, Weekday
from apps.trainers.selectors.availability import availability_week, parse_week, trainer_is_available
from apps.trainers.services.availability import (
    END_OF_DAY,
    availability_slot_add,
    availability_slot_remove,
    availability_slot_update,
    time_off_add,
    time_off_remove,
    time_off_update,
)
from tenants.models import Role
from tests.factories import TrainerFactory
from tests.support import in_gym, member

MON, TUE, WED, SUN = Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.SUNDAY


def t(value):
    return END_OF_DAY if value == "24:00" else time.fromisoformat(value)


def slot(trainer, weekday, start, end):
    return AvailabilitySlot.objects.create(trainer=trainer, weekday=weekday, starts_at=t(start), ends_at=t(end))


# Services: slots ----------------------------------------------------------------------------------------


@pytest.fixture
def coach(in_gym_a):
    return TrainerFactory(role=Role.TRAINER)


def add(coach, weekday, start, end, actor=None):
    return availability_slot_add(
        actor=actor or coach, trainer=coach, weekday=weekday, starts_at=t(start), ends_at=t(end)
    )


def test_several_slots_per_weekday_may_touch(coach):
    add(coach, MON, "09:00", "12:00")
    add(coach, MON, "12:00", "15:00")
    add(coach, MON, "06:00", "09:00")
    add(coach, MON, "18:00", "24:00")
    assert [str(s) for s in AvailabilitySlot.objects.filter(trainer=coach)] == [
        "Monday 06:00-09:00",
        "Monday 09:00-12:00",
        "Monday 12:00-15:00",
        "Monday 18:00-24:00",
    ]


@pytest.mark.parametrize(
    ("start", "end"),
    [("11:00", "13:00"), ("08:00", "09:01"), ("09:00", "12:00"), ("10:00", "11:00"), ("08:00", "13:00")],
)
def test_overlapping_slots_on_the_same_weekday_are_refused(coach, start, end):
    add(coach, MON, "09:00", "12:00")
    with pytest.raises(ApplicationError) as refusal:
        add(coach, MON, start, end)
    assert refusal.value.message == "This overlaps Monday 09:00–12:00. Slots on the same day may touch but not overlap."
    assert refusal.value.field == "starts_at"
    assert AvailabilitySlot.objects.filter(trainer=coach).count() == 1


def test_the_same_hours_on_another_weekday_or_for_another_trainer_are_fine(coach):
    add(coach, MON, "09:00", "12:00")
    add(coach, TUE, "09:00", "12:00")
    colleague = TrainerFactory(role=Role.TRAINER)
    add(colleague, MON, "09:00", "12:00")
    assert AvailabilitySlot.objects.count() == 3


@pytest.mark.parametrize(("start", "end"), [("12:00", "12:00"), ("12:00", "11:45"), ("00:15", "00:00")])
def test_the_end_must_be_after_the_start(coach, start, end):
    with pytest.raises(ApplicationError) as refusal:
        add(coach, MON, start, end)
    assert refusal.value.message == "The end must be after the start."
    assert refusal.value.field == "ends_at"
    assert not AvailabilitySlot.objects.exists()


def test_a_slot_may_run_until_midnight_but_not_start_there(coach):
    late = add(coach, MON, "20:00", "24:00")
    late.refresh_from_db()
    assert late.ends_at == END_OF_DAY
    with pytest.raises(ApplicationError, match="cannot start at midnight at the end"):
        add(coach, TUE, "24:00", "24:00")


def test_an_unknown_weekday_is_refused(coach):
    with pytest.raises(ApplicationError) as refusal:
        add(coach, 7, "09:00", "10:00")
    assert refusal.value.field == "weekday"


def test_an_update_that_would_overlap_is_refused_and_changes_nothing(coach):
    add(coach, MON, "09:00", "12:00")
    afternoon = add(coach, MON, "13:00", "15:00")
    with pytest.raises(ApplicationError, match="overlaps Monday 09:00–12:00"):
        availability_slot_update(actor=coach, slot=afternoon, weekday=MON, starts_at=t("11:30"), ends_at=t("15:00"))
    afternoon.refresh_from_db()
    assert (afternoon.starts_at, afternoon.ends_at) == (t("13:00"), t("15:00"))


def test_an_update_may_grow_into_its_own_hours_touch_others_and_move_days(coach):
    morning = add(coach, MON, "09:00", "12:00")
    add(coach, MON, "13:00", "15:00")
    availability_slot_update(actor=coach, slot=morning, weekday=MON, starts_at=t("08:00"), ends_at=t("13:00"))
    morning.refresh_from_db()
    assert (morning.starts_at, morning.ends_at) == (t("08:00"), t("13:00"))
    availability_slot_update(actor=coach, slot=morning, weekday=TUE, starts_at=t("11:00"), ends_at=t("14:00"))
    morning.refresh_from_db()
    assert (morning.weekday, morning.starts_at) == (TUE, t("11:00"))


def test_an_update_into_another_weekday_checks_that_day(coach):
    morning = add(coach, MON, "09:00", "12:00")
    add(coach, TUE, "10:00", "11:00")
    with pytest.raises(ApplicationError, match="overlaps Tuesday 10:00–11:00"):
        availability_slot_update(actor=coach, slot=morning, weekday=TUE, starts_at=t("09:00"), ends_at=t("12:00"))


def test_removing_a_slot(coach):
    morning = add(coach, MON, "09:00", "12:00")
    availability_slot_remove(actor=coach, slot=morning)
    assert not AvailabilitySlot.objects.exists()
    with pytest.raises(ApplicationError, match="no longer exists"):
        availability_slot_remove(actor=coach, slot=morning)


@pytest.mark.parametrize(
    ("actor_role", "own", "allowed"),
    [
        (Role.OWNER, False, True),
        (Role.SENIOR, False, False),
        (Role.TRAINER, False, False),
        (Role.ASSISTANT, False, False),
        (Role.SENIOR, True, True),
        (Role.ASSISTANT, True, True),
    ],
)
def test_who_may_change_availability(coach, actor_role, own, allowed):
    actor = TrainerFactory(role=actor_role)
    subject = actor if own else coach
    if allowed:
        add(subject, MON, "09:00", "10:00", actor=actor)
        time_off_add(actor=actor, trainer=subject, starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 2))
    else:
        with pytest.raises(ApplicationError, match="may not change this trainer's availability"):
            add(subject, MON, "09:00", "10:00", actor=actor)
        with pytest.raises(ApplicationError, match="may not change this trainer's availability"):
            time_off_add(actor=actor, trainer=subject, starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 2))
    assert AvailabilitySlot.objects.filter(trainer=subject).exists() is allowed
    assert TimeOff.objects.filter(trainer=subject).exists() is allowed


def test_a_deactivated_trainer_changes_nothing(coach):
    coach.is_active = False
    with pytest.raises(ApplicationError):
        add(coach, MON, "09:00", "10:00")


# Services: time off -------------------------------------------------------------------------------------


def off(coach, first, last, reason=""):
    return time_off_add(
        actor=coach, trainer=coach, starts_on=date.fromisoformat(first), ends_on=date.fromisoformat(last), reason=reason
    )


def test_time_off_that_ends_before_it_starts_is_refused(coach):
    with pytest.raises(ApplicationError) as refusal:
        off(coach, "2026-03-10", "2026-03-09")
    assert refusal.value.message == "The last day cannot be before the first day."
    assert refusal.value.field == "ends_on"
    assert not TimeOff.objects.exists()


def test_one_day_of_time_off_and_ranges_that_touch(coach):
    off(coach, "2026-03-10", "2026-03-10", "Dentist")
    off(coach, "2026-03-11", "2026-03-15", "Holiday")
    off(coach, "2026-03-01", "2026-03-09")
    assert TimeOff.objects.filter(trainer=coach).count() == 3


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("2026-03-15", "2026-03-20"),
        ("2026-03-01", "2026-03-10"),
        ("2026-03-12", "2026-03-13"),
        ("2026-03-01", "2026-04-01"),
    ],
)
def test_overlapping_time_off_is_refused_not_merged(coach, first, last):
    off(coach, "2026-03-10", "2026-03-15", "Holiday")
    with pytest.raises(ApplicationError) as refusal:
        off(coach, first, last)
    assert refusal.value.message == (
        "This overlaps the time off of 10 Mar 2026 to 15 Mar 2026. Change or remove that one instead."
    )
    assert refusal.value.field == "starts_on"
    assert TimeOff.objects.filter(trainer=coach).count() == 1


def test_time_off_of_another_trainer_does_not_clash(coach):
    off(coach, "2026-03-10", "2026-03-15")
    colleague = TrainerFactory(role=Role.TRAINER)
    time_off_add(actor=colleague, trainer=colleague, starts_on=date(2026, 3, 10), ends_on=date(2026, 3, 15))


def test_updating_time_off(coach):
    holiday = off(coach, "2026-03-10", "2026-03-15", "Holiday")
    off(coach, "2026-03-20", "2026-03-20", "Course")
    time_off_update(actor=coach, time_off=holiday, starts_on=date(2026, 3, 9), ends_on=date(2026, 3, 19), reason="Ski")
    holiday.refresh_from_db()
    assert (holiday.starts_on, holiday.ends_on, holiday.reason) == (date(2026, 3, 9), date(2026, 3, 19), "Ski")
    with pytest.raises(ApplicationError, match="overlaps the time off of 20 Mar 2026. Change"):
        time_off_update(actor=coach, time_off=holiday, starts_on=date(2026, 3, 9), ends_on=date(2026, 3, 20))
    with pytest.raises(ApplicationError, match="cannot be before"):
        time_off_update(actor=coach, time_off=holiday, starts_on=date(2026, 3, 9), ends_on=date(2026, 3, 8))
    holiday.refresh_from_db()
    assert (holiday.starts_on, holiday.ends_on) == (date(2026, 3, 9), date(2026, 3, 19))


def test_a_reason_too_long_is_refused_at_its_field(coach):
    with pytest.raises(ApplicationError) as refusal:
        off(coach, "2026-03-10", "2026-03-10", "x" * 201)
    assert refusal.value.field == "reason"
    assert not TimeOff.objects.exists()


def test_removing_time_off(coach):
    holiday = off(coach, "2026-03-10", "2026-03-15")
    time_off_remove(actor=coach, time_off=holiday)
    assert not TimeOff.objects.exists()


def test_every_service_writes_one_audit_entry(coach):
    owner = TrainerFactory(role=Role.OWNER)
    morning = add(coach, MON, "09:00", "12:00", actor=owner)
    availability_slot_update(actor=owner, slot=morning, weekday=MON, starts_at=t("09:00"), ends_at=t("24:00"))
    availability_slot_remove(actor=owner, slot=morning)
    holiday = time_off_add(actor=owner, trainer=coach, starts_on=date(2026, 3, 10), ends_on=date(2026, 3, 15))
    time_off_update(actor=owner, time_off=holiday, starts_on=date(2026, 3, 10), ends_on=date(2026, 3, 10), reason="X")
    time_off_remove(actor=owner, time_off=holiday)
    name = coach.display_name
    entries = [
        {
            "actor_id": entry.actor_id,
            "action": entry.action,
            "target_type": entry.target_type,
            "target_id": entry.target_id,
            "summary": entry.sentence,
        }
        for entry in AuditEntry.objects.order_by("id")
    ]
    assert entries == [
        {
            "actor_id": owner.pk,
            "action": "availability.slot_add",
            "target_type": "trainers.availabilityslot",
            "target_id": str(morning.pk),
            "summary": f"Availability of {name}: added Monday 09:00–12:00.",
        },
        {
            "actor_id": owner.pk,
            "action": "availability.slot_update",
            "target_type": "trainers.availabilityslot",
            "target_id": str(morning.pk),
            "summary": f"Availability of {name}: Monday 09:00–12:00 changed to Monday 09:00–24:00.",
        },
        {
            "actor_id": owner.pk,
            "action": "availability.slot_remove",
            "target_type": "trainers.availabilityslot",
            "target_id": str(morning.pk),
            "summary": f"Availability of {name}: removed Monday 09:00–24:00.",
        },
        {
            "actor_id": owner.pk,
            "action": "availability.time_off_add",
            "target_type": "trainers.timeoff",
            "target_id": str(holiday.pk),
            "summary": f"Time off of {name}: added 10 Mar 2026 to 15 Mar 2026.",
        },
        {
            "actor_id": owner.pk,
            "action": "availability.time_off_update",
            "target_type": "trainers.timeoff",
            "target_id": str(holiday.pk),
            "summary": f"Time off of {name}: 10 Mar 2026 to 15 Mar 2026 changed to 10 Mar 2026.",
        },
        {
            "actor_id": owner.pk,
            "action": "availability.time_off_remove",
            "target_type": "trainers.timeoff",
            "target_id": str(holiday.pk),
            "summary": f"Time off of {name}: removed 10 Mar 2026.",
        },
    ]
    changes = list(AuditEntry.objects.order_by("id").values_list("changes", flat=True))
    assert changes[1] == {"ends_at": ["12:00:00", "23:59:59.999999"]}
    assert changes[4] == {"ends_on": ["2026-03-15", "2026-03-10"], "reason": ["", "X"]}


def test_refused_and_unchanged_writes_leave_no_audit_entry(coach):
    morning = add(coach, MON, "09:00", "12:00")
    with pytest.raises(ApplicationError):
        add(coach, MON, "10:00", "11:00")
    availability_slot_update(actor=coach, slot=morning, weekday=MON, starts_at=t("09:00"), ends_at=t("12:00"))
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["availability.slot_add"]


def test_two_racing_overlapping_adds_make_exactly_one_slot(django_db_setup, django_db_blocker):
    """Two threads, two connections: the trainer row lock makes the second see the first's slot."""
    from tenants.models import Organization

    with django_db_blocker.unblock():
        organization = Organization.objects.get(slug="alpha")
        connection.set_tenant(organization)
        with transaction.atomic():
            racer = TrainerFactory(role=Role.TRAINER)
        connection.set_schema_to_public()
        barrier = threading.Barrier(2)
        outcomes = []

        def race(start, end):
            try:
                connection.set_tenant(organization)
                barrier.wait(timeout=10)
                availability_slot_add(actor=racer, trainer=racer, weekday=MON, starts_at=t(start), ends_at=t(end))
                outcomes.append("ok")
            except ApplicationError as error:
                outcomes.append(error.message.split(".")[0])
            finally:
                connections.close_all()

        threads = [threading.Thread(target=race, args=args) for args in [("09:00", "12:00"), ("10:00", "13:00")]]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
            connection.set_tenant(organization)
            assert AvailabilitySlot.objects.filter(trainer=racer).count() == 1
            assert sorted(outcomes) in (
                ["This overlaps Monday 09:00–12:00", "ok"],
                ["This overlaps Monday 10:00–13:00", "ok"],
            )
        finally:
            connection.set_tenant(organization)
            AvailabilitySlot.objects.filter(trainer=racer).delete()
            AuditEntry.objects.filter(actor_id=racer.pk).delete()
            user = racer.user
            Trainer.objects.filter(pk=racer.pk).delete()
            user.emailaddress_set.all().delete()
            user.delete()
            connection.set_schema_to_public()


# The availability selector -------------------------------------------------------------------------------


@pytest.fixture
def schedule(in_gym_a):
    """Monday 09-12 + 12-15 and 20-24, Tuesday 00-02, Wednesday 09-10 and 10:01-11, Sunday 00-06 and 09-17."""
    in_gym_a.timezone = "Europe/Berlin"
    trainer = TrainerFactory(role=Role.TRAINER)
    for weekday, start, end in [
        (MON, "09:00", "12:00"),
        (MON, "12:00", "15:00"),
        (MON, "20:00", "24:00"),
        (TUE, "00:00", "02:00"),
        (WED, "09:00", "10:00"),
        (WED, "10:01", "11:00"),
        (SUN, "00:00", "06:00"),
        (SUN, "09:00", "17:00"),
    ]:
        slot(trainer, weekday, start, end)
    return trainer


BERLIN = ZoneInfo("Europe/Berlin")


def local(value, zone=BERLIN, fold=0):
    return datetime.fromisoformat(value).replace(tzinfo=zone, fold=fold)


def utc(value):
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def available(trainer, start, end):
    return trainer_is_available(trainer=trainer, starts_at=start, ends_at=end)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-03-02T09:00", "2026-03-02T12:00", True),  # exactly one slot
        ("2026-03-02T08:59", "2026-03-02T10:00", False),  # one minute before the start
        ("2026-03-02T14:00", "2026-03-02T15:00", True),  # ends exactly at the end
        ("2026-03-02T14:00", "2026-03-02T15:01", False),  # one minute past the end
        ("2026-03-02T15:00", "2026-03-02T16:00", False),  # starts where the slot ends
        ("2026-03-02T11:00", "2026-03-02T13:00", True),  # across two touching slots
        ("2026-03-02T09:00", "2026-03-02T15:00", True),
        ("2026-03-02T14:00", "2026-03-02T21:00", False),  # across a gap
        ("2026-03-04T09:30", "2026-03-04T10:30", False),  # across a one-minute gap
        ("2026-03-04T10:01", "2026-03-04T11:00", True),
        ("2026-03-02T23:30", "2026-03-03T00:30", True),  # across midnight, Monday until 24:00 + Tuesday from 00:00
        ("2026-03-02T20:00", "2026-03-03T02:00", True),
        ("2026-03-02T23:30", "2026-03-03T02:01", False),
        ("2026-03-02T23:00", "2026-03-03T00:00", True),  # ends exactly at midnight
        ("2026-03-03T09:00", "2026-03-03T10:00", False),  # nothing on Tuesday morning
        ("2026-03-09T09:00", "2026-03-09T10:00", True),  # every Monday
        ("2026-03-02T10:00", "2026-03-02T10:00", False),  # empty
        ("2026-03-02T11:00", "2026-03-02T10:00", False),  # reversed
    ],
)
def test_availability_at_the_boundaries(schedule, start, end, expected):
    assert available(schedule, local(start), local(end)) is expected


def test_availability_needs_aware_datetimes(schedule):
    with pytest.raises(ValueError, match="aware"):
        available(schedule, datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 10))


def test_availability_uses_two_queries(schedule, django_assert_num_queries):
    with django_assert_num_queries(2):
        available(schedule, local("2026-03-02T23:30"), local("2026-03-03T00:30"))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-03-09T09:00", "2026-03-09T10:00", False),  # the first and last day of one-day time off
        ("2026-03-02T09:00", "2026-03-02T10:00", True),  # the Monday before
        ("2026-03-16T09:00", "2026-03-16T10:00", True),  # the Monday after, the day before the next time off
        ("2026-03-17T01:00", "2026-03-17T02:00", False),  # first day of a range
        ("2026-03-18T09:00", "2026-03-18T10:00", False),  # inside the range
        ("2026-03-25T09:00", "2026-03-25T10:00", False),  # last day of the range
        ("2026-04-01T09:00", "2026-04-01T10:00", True),  # the Wednesday after
        ("2026-03-09T23:30", "2026-03-10T00:30", False),  # starts on a day of time off
        ("2026-03-16T23:30", "2026-03-17T00:30", False),  # reaches into time off after midnight
        ("2026-03-16T20:00", "2026-03-17T00:00", True),  # ends exactly at the midnight the time off starts
        ("2026-03-02T23:30", "2026-03-03T00:30", True),  # the same hours in a week without time off
    ],
)
def test_time_off_makes_the_trainer_unavailable(schedule, start, end, expected):
    TimeOff.objects.create(trainer=schedule, starts_on=date(2026, 3, 9), ends_on=date(2026, 3, 9), reason="Dentist")
    TimeOff.objects.create(trainer=schedule, starts_on=date(2026, 3, 17), ends_on=date(2026, 3, 25), reason="Ski")
    assert available(schedule, local(start), local(end)) is expected


def test_an_interval_ending_at_midnight_does_not_touch_the_next_days_time_off(schedule):
    TimeOff.objects.create(trainer=schedule, starts_on=date(2026, 3, 3), ends_on=date(2026, 3, 3))
    assert available(schedule, local("2026-03-02T20:00"), local("2026-03-03T00:00")) is True
    assert available(schedule, local("2026-03-02T23:30"), local("2026-03-03T00:30")) is False


def test_the_organizations_timezone_decides_not_utc(schedule, in_gym_a):
    # Monday 09:00-12:00 in Seoul is Monday 00:00-03:00 UTC.
    in_gym_a.timezone = "Asia/Seoul"
    assert available(schedule, utc("2026-03-02T00:00"), utc("2026-03-02T01:00")) is True
    assert available(schedule, utc("2026-03-02T09:00"), utc("2026-03-02T10:00")) is False
    # Sunday 23:30 UTC is Monday 08:30 in Seoul: half an hour before the slot.
    assert available(schedule, utc("2026-03-01T23:30"), utc("2026-03-02T00:30")) is False
    # The same instant given in another zone is the same answer.
    new_york = ZoneInfo("America/New_York")
    assert available(schedule, local("2026-03-01T19:00", new_york), local("2026-03-01T20:00", new_york)) is True
    in_gym_a.timezone = "UTC"
    assert available(schedule, utc("2026-03-02T00:00"), utc("2026-03-02T01:00")) is False
    assert available(schedule, utc("2026-03-02T09:00"), utc("2026-03-02T10:00")) is True


def test_time_off_days_are_days_of_the_organizations_timezone(schedule, in_gym_a):
    in_gym_a.timezone = "Asia/Seoul"
    TimeOff.objects.create(trainer=schedule, starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 2))
    # Sunday 2026-03-01 in UTC, but Monday 09:00 in Seoul: on the time off.
    assert available(schedule, utc("2026-03-02T00:00"), utc("2026-03-02T01:00")) is False
    assert available(schedule, utc("2026-03-09T00:00"), utc("2026-03-09T01:00")) is True


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # 2026-03-29: Berlin moves from +01:00 to +02:00 at 02:00. Sunday 09:00-17:00 is 07:00-15:00 UTC.
        ("2026-03-29T07:00", "2026-03-29T08:00", True),
        ("2026-03-29T06:59", "2026-03-29T08:00", False),
        ("2026-03-29T14:30", "2026-03-29T15:00", True),
        ("2026-03-29T14:30", "2026-03-29T15:01", False),
        # Sunday 00:00-06:00 lasts five hours that night: 23:00 UTC (+01:00) to 04:00 UTC (+02:00).
        ("2026-03-28T23:00", "2026-03-29T04:00", True),
        ("2026-03-28T22:59", "2026-03-29T01:00", False),
        ("2026-03-29T03:00", "2026-03-29T04:01", False),
        ("2026-03-29T00:30", "2026-03-29T01:30", True),  # 01:30 CET to 03:30 CEST, over the jump
        # 2026-10-25: back from +02:00 to +01:00 at 03:00. Sunday 00:00-06:00 lasts seven hours.
        ("2026-10-24T22:00", "2026-10-25T05:00", True),
        ("2026-10-24T21:59", "2026-10-25T05:00", False),
        ("2026-10-25T04:30", "2026-10-25T05:01", False),
        ("2026-10-25T15:30", "2026-10-25T16:00", True),  # 09:00-17:00 is 08:00-16:00 UTC
        ("2026-10-25T16:00", "2026-10-25T16:30", False),
    ],
)
def test_daylight_saving_days_in_berlin(schedule, start, end, expected):
    assert available(schedule, utc(start), utc(end)) is expected


def test_the_repeated_hour_of_the_autumn_change(schedule):
    # 02:30 happens twice on 2026-10-25; both are inside Sunday 00:00-06:00.
    first, second = local("2026-10-25T02:30", fold=0), local("2026-10-25T02:30", fold=1)
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)
    assert available(schedule, first, local("2026-10-25T03:30")) is True
    assert available(schedule, second, local("2026-10-25T05:59")) is True


# The week grid selector ------------------------------------------------------------------------------------


def test_the_week_grid_lays_out_slots_and_time_off(in_gym_a):
    in_gym_a.timezone = "Europe/Berlin"
    trainer = TrainerFactory(role=Role.TRAINER)
    slot(trainer, MON, "09:00", "12:00")
    slot(trainer, MON, "13:00", "14:30")
    slot(trainer, SUN, "05:00", "24:00")
    TimeOff.objects.create(trainer=trainer, starts_on=date(2026, 3, 6), ends_on=date(2026, 3, 12), reason="Ski")
    TimeOff.objects.create(trainer=trainer, starts_on=date(2026, 3, 20), ends_on=date(2026, 3, 21))
    grid = availability_week(actor=trainer, trainer=trainer, week_start=date(2026, 3, 2))
    assert grid.timezone_name == "Europe/Berlin"
    assert (grid.first_hour, grid.last_hour) == (5, 24)
    assert grid.hours[0] == "05:00" and grid.hours[-1] == "23:00"
    assert [day.date for day in grid.days] == [date(2026, 3, 2) + timedelta(days=n) for n in range(7)]
    monday = grid.days[0]
    assert [(b.start_label, b.end_label) for b in monday.slots] == [("09:00", "12:00"), ("13:00", "14:30")]
    assert [(b.top, b.height) for b in monday.slots] == [(21.053, 15.789), (42.105, 7.895)]
    assert [(b.start_label, b.end_label, b.top, b.height) for b in grid.days[6].slots] == [("05:00", "24:00", 0, 100)]
    assert [bool(day.time_off) for day in grid.days] == [False, False, False, False, True, True, True]
    assert [entry.reason for entry in grid.time_off] == ["Ski"]
    assert (grid.previous_week, grid.next_week) == (date(2026, 2, 23), date(2026, 3, 9))


def test_week_parameter(in_gym_a):
    assert parse_week("2026-03-04") == date(2026, 3, 2)
    assert parse_week("2026-03-02") == date(2026, 3, 2)
    this_week = parse_week(None)
    assert this_week.weekday() == 0
    for bad in ["", "nonsense", "2026-02-30", "0001-01-01", "9999-12-31"]:
        assert parse_week(bad) == this_week


# Pages ---------------------------------------------------------------------------------------------------------

HX = {"HTTP_HX_REQUEST": "true"}


def test_anonymous_visitors_are_sent_to_sign_in(client_a):
    response = client_a.get("/availability/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/availability/"


@pytest.mark.parametrize("role", [Role.OWNER, Role.SENIOR, Role.TRAINER, Role.ASSISTANT])
def test_everyone_edits_their_own_week(gym_a, client_a, role):
    me = member(gym_a, role)
    content = client_a.login_as(me).get("/availability/").content.decode()
    assert "<h1>My availability</h1>" in content
    assert "Add a slot" in content
    assert f'action="/trainers/{me.pk}/availability/slots/"' in content
    assert client_a.get(f"/trainers/{me.pk}/availability/").status_code == 200


@pytest.mark.parametrize(
    ("role", "status", "editable"),
    [(Role.OWNER, 200, True), (Role.SENIOR, 200, False), (Role.TRAINER, 404, False), (Role.ASSISTANT, 404, False)],
)
def test_another_trainers_week_by_role(gym_a, client_a, role, status, editable):
    colleague = member(gym_a, Role.TRAINER)
    in_gym(gym_a, slot, colleague, MON, "09:00", "12:00")
    client_a.login_as(member(gym_a, role))
    response = client_a.get(f"/trainers/{colleague.pk}/availability/?week=2026-03-02")
    assert response.status_code == status
    if status == 200:
        content = response.content.decode()
        assert f"Availability of {colleague.display_name}" in content
        assert "09:00–12:00" in content
        assert ("Add a slot" in content) is editable
        assert ("/slots/" in content) is editable


@pytest.mark.parametrize("role", [Role.SENIOR, Role.TRAINER, Role.ASSISTANT])
def test_only_the_owner_writes_another_trainers_week(gym_a, client_a, role):
    colleague = member(gym_a, Role.TRAINER)
    morning = in_gym(gym_a, slot, colleague, MON, "09:00", "12:00")
    holiday = in_gym(
        gym_a, TimeOff.objects.create, trainer=colleague, starts_on=date(2026, 3, 9), ends_on=date(2026, 3, 9)
    )
    client_a.login_as(member(gym_a, role))
    base = f"/trainers/{colleague.pk}/availability"
    data = {"add-weekday": "1", "add-starts_at": "09:00", "add-ends_at": "10:00"}
    assert client_a.post(f"{base}/slots/", data).status_code == 404
    assert client_a.get(f"{base}/slots/{morning.pk}/").status_code == 404
    edit = {"edit-weekday": "0", "edit-starts_at": "08:00", "edit-ends_at": "10:00"}
    assert client_a.post(f"{base}/slots/{morning.pk}/", edit).status_code == 404
    assert client_a.post(f"{base}/slots/{morning.pk}/delete/").status_code == 404
    off_data = {"timeoff-starts_on": "2026-04-01", "timeoff-ends_on": "2026-04-02"}
    assert client_a.post(f"{base}/time-off/", off_data).status_code == 404
    assert client_a.post(f"{base}/time-off/{holiday.pk}/delete/").status_code == 404
    connection.set_tenant(gym_a)
    assert list(AvailabilitySlot.objects.values_list("pk", flat=True)) == [morning.pk]
    assert list(TimeOff.objects.values_list("pk", flat=True)) == [holiday.pk]


def test_the_owner_edits_another_trainers_week(gym_a, client_a):
    colleague = member(gym_a, Role.TRAINER)
    client_a.login_as(member(gym_a, Role.OWNER))
    data = {"week": "2026-03-02", "add-weekday": "2", "add-starts_at": "07:00", "add-ends_at": "08:30"}
    response = client_a.post(f"/trainers/{colleague.pk}/availability/slots/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/trainers/{colleague.pk}/availability/?week=2026-03-02"
    connection.set_tenant(gym_a)
    assert [str(s) for s in AvailabilitySlot.objects.filter(trainer=colleague)] == ["Wednesday 07:00-08:30"]


def test_a_slot_of_someone_else_under_my_address_is_404(gym_a, client_a):
    me, colleague = member(gym_a, Role.TRAINER), member(gym_a, Role.TRAINER)
    theirs = in_gym(gym_a, slot, colleague, MON, "09:00", "12:00")
    client_a.login_as(me)
    assert client_a.get(f"/trainers/{me.pk}/availability/slots/{theirs.pk}/").status_code == 404
    assert client_a.post(f"/trainers/{me.pk}/availability/slots/{theirs.pk}/delete/").status_code == 404
    assert client_a.get("/trainers/999999/availability/").status_code == 404


def test_adding_a_slot_without_javascript(gym_a, client_a):
    me = member(gym_a, Role.TRAINER)
    client_a.login_as(me)
    data = {"week": "2026-03-02", "add-weekday": "0", "add-starts_at": "09:00", "add-ends_at": "12:00"}
    response = client_a.post(f"/trainers/{me.pk}/availability/slots/", data, follow=True)
    assert response.redirect_chain == [("/availability/?week=2026-03-02", 302)]
    content = response.content.decode()
    assert "Added Monday 09:00–12:00." in content
    assert "09:00–12:00</a>" in content


def test_adding_a_slot_with_htmx_answers_the_panel(gym_a, client_a):
    me = member(gym_a, Role.TRAINER)
    client_a.login_as(me)
    data = {"week": "2026-03-02", "add-weekday": "0", "add-starts_at": "09:00", "add-ends_at": "12:00"}
    response = client_a.post(f"/trainers/{me.pk}/availability/slots/", data, **HX)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="availability"')
    assert "<html" not in content and "<h1>" not in content
    assert 'role="status">Added Monday 09:00–12:00.</p>' in content
    assert "09:00–12:00</a>" in content
    assert "HX-Request" in response["Vary"]
    # The add form is fresh again (09:00-17:00 by default); the panel stays on the week it was posted from.
    assert 'name="week" value="2026-03-02"' in content
    assert '<option value="17:00" selected>' in content and '<option value="12:00" selected>' not in content


def test_an_overlap_is_shown_at_the_field_with_and_without_htmx(gym_a, client_a):
    me = member(gym_a, Role.TRAINER)
    in_gym(gym_a, slot, me, MON, "09:00", "12:00")
    client_a.login_as(me)
    data = {"add-weekday": "0", "add-starts_at": "11:00", "add-ends_at": "13:00"}
    message = "This overlaps Monday 09:00–12:00. Slots on the same day may touch but not overlap."
    plain = client_a.post(f"/trainers/{me.pk}/availability/slots/", data)
    assert plain.status_code == 400
    assert "<html" in plain.content.decode()
    htmx = client_a.post(f"/trainers/{me.pk}/availability/slots/", data, **HX)
    assert htmx.status_code == 200
    for response in (plain, htmx):
        content = response.content.decode()
        assert '<label for="id_add-starts_at">From:</label>\n    <select name="add-starts_at"' in content
        assert f'<ul class="errorlist"><li>{message}</li></ul>' in content
        assert '<option value="11:00" selected>' in content  # the input is kept
    connection.set_tenant(gym_a)
    assert AvailabilitySlot.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"add-weekday": "9", "add-starts_at": "09:00", "add-ends_at": "10:00"}, "weekday", "Select a valid choice"),
        ({"add-weekday": "0", "add-starts_at": "25:00", "add-ends_at": "10:00"}, "starts_at", "Select a valid choice"),
        ({"add-weekday": "0", "add-starts_at": "09:00", "add-ends_at": "9am"}, "ends_at", "Select a valid choice"),
        ({"add-weekday": "0", "add-starts_at": "24:00", "add-ends_at": "24:00"}, "starts_at", "Select a valid choice"),
        ({"add-weekday": "x", "add-starts_at": "09:00"}, "weekday", "Select a valid choice"),
        ({}, "weekday", "This field is required."),
        ({"add-weekday": "0", "add-starts_at": "10:00", "add-ends_at": "10:00"}, "ends_at", "The end must be after"),
    ],
)
def test_bad_slot_input_is_a_clear_400(gym_a, client_a, data, field, message):
    me = member(gym_a, Role.TRAINER)
    client_a.login_as(me)
    response = client_a.post(f"/trainers/{me.pk}/availability/slots/", data)
    assert response.status_code == 400
    content = response.content.decode()
    after_field = content.split(f'name="add-{field}"', 1)[1]
    assert message in after_field.split('<div class="field">', 1)[0]
    connection.set_tenant(gym_a)
    assert not AvailabilitySlot.objects.exists()


def test_editing_a_slot_in_place_with_htmx(gym_a, client_a):
    me = member(gym_a, Role.TRAINER)
    morning = in_gym(gym_a, slot, me, MON, "09:00", "12:00")
    in_gym(gym_a, slot, me, MON, "13:00", "15:00")
    client_a.login_as(me)
    url = f"/trainers/{me.pk}/availability/slots/{morning.pk}/"
    form = client_a.get(f"{url}?week=2026-03-02", **HX).content.decode()
    assert form.lstrip().startswith('<div id="availability"')
    assert '<form class="slot editing" style="top: 18.75%" method="post"\n' in form
    assert '<option value="09:00" selected>' in form and '<option value="12:00" selected>' in form
    assert f'formaction="{url}delete/"' in form
    refused = client_a.post(url, {"edit-weekday": "0", "edit-starts_at": "09:00", "edit-ends_at": "13:30"}, **HX)
    assert "This overlaps Monday 13:00–15:00." in refused.content.decode()
    assert 'class="slot editing"' in refused.content.decode()
    saved = client_a.post(url, {"edit-weekday": "4", "edit-starts_at": "08:00", "edit-ends_at": "24:00"}, **HX)
    assert saved.status_code == 200
    assert "Saved Friday 08:00–24:00." in saved.content.decode()
    assert 'class="slot editing"' not in saved.content.decode()
    in_gym(gym_a, morning.refresh_from_db)
    assert (morning.weekday, morning.starts_at, morning.ends_at) == (4, t("08:00"), END_OF_DAY)


def test_editing_a_slot_without_javascript(gym_a, client_a):
    me = member(gym_a, Role.TRAINER)
    morning = in_gym(gym_a, slot, me, MON, "09:00", "12:00")
    client_a.login_as(me)
    url = f"/trainers/{me.pk}/availability/slots/{morning.pk}/"
    page = client_a.get(url)
    assert page.status_code == 200
    assert "<h1>My availability</h1>" in page.content.decode() and 'class="slot editing"' in page.content.decode()
    response = client_a.post(url, {"edit-weekday": "0", "edit-starts_at": "10:00", "edit-ends_at": "12:00"})
    assert response.status_code == 302 and response["Location"] == "/availability/"
    in_gym(gym_a, morning.refresh_from_db)
    assert morning.starts_at == t("10:00")


def test_a_slot_at_an_odd_minute_keeps_its_times_in_the_edit_form(gym_a, client_a):
    me = member(gym_a, Role.TRAINER)
    odd = in_gym(gym_a, slot, me, MON, "09:10", "11:50")
    content = client_a.login_as(me).get(f"/trainers/{me.pk}/availability/slots/{odd.pk}/", **HX).content.decode()
    assert '<option value="09:10" selected>' in content and '<option value="11:50" selected>' in content


def test_deleting_a_slot(gym_a, client_a):
    me = member(gym_a, Role.TRAINER)
    morning = in_gym(gym_a, slot, me, MON, "09:00", "12:00")
    evening = in_gym(gym_a, slot, me, MON, "18:00", "20:00")
    client_a.login_as(me)
    response = client_a.post(f"/trainers/{me.pk}/availability/slots/{morning.pk}/delete/", **HX)
    assert response.status_code == 200
    assert "Removed Monday 09:00–12:00." in response.content.decode()
    assert "09:00–12:00</a>" not in response.content.decode()
    response = client_a.post(f"/trainers/{me.pk}/availability/slots/{evening.pk}/delete/", {"week": "2026-03-09"})
    assert response.status_code == 302 and response["Location"] == "/availability/?week=2026-03-09"
    connection.set_tenant(gym_a)
    assert not AvailabilitySlot.objects.exists()
    connection.set_schema_to_public()
    assert client_a.post(f"/trainers/{me.pk}/availability/slots/{evening.pk}/delete/").status_code == 404


def test_reloading_a_post_address_goes_back_to_the_page(gym_a, client_a):
    me = member(gym_a, Role.TRAINER)
    client_a.login_as(me)
    response = client_a.get(f"/trainers/{me.pk}/availability/slots/?week=2026-03-02")
    assert response.status_code == 302 and response["Location"] == "/availability/?week=2026-03-02"
    assert client_a.get(f"/trainers/{me.pk}/availability/time-off/")["Location"] == "/availability/"


def test_time_off_is_added_listed_shown_on_the_grid_and_removed(gym_a, client_a):
    me = member(gym_a, Role.TRAINER)
    client_a.login_as(me)
    data = {
        "week": "2026-03-09",
        "timeoff-starts_on": "2026-03-10",
        "timeoff-ends_on": "2026-03-11",
        "timeoff-reason": "Conference",
    }
    response = client_a.post(f"/trainers/{me.pk}/availability/time-off/", data, **HX)
    content = response.content.decode()
    assert "Time off added." in content
    assert content.count("Time off: Conference") == 2
    assert content.count('<div class="week-day off">') == 2
    assert "<td>10 Mar 2026</td><td>11 Mar 2026</td><td>Conference</td>" in content
    other_week = client_a.get("/availability/?week=2026-03-16").content.decode()
    assert "Time off: Conference" not in other_week
    connection.set_tenant(gym_a)
    holiday = TimeOff.objects.get(trainer=me)
    connection.set_schema_to_public()
    response = client_a.post(f"/trainers/{me.pk}/availability/time-off/{holiday.pk}/delete/", {"week": "2026-03-09"})
    assert response["Location"] == "/availability/?week=2026-03-09"
    connection.set_tenant(gym_a)
    assert not TimeOff.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"timeoff-starts_on": "2026-03-10", "timeoff-ends_on": "2026-03-09"}, "ends_on", "cannot be before the first"),
        ({"timeoff-starts_on": "2026-02-30", "timeoff-ends_on": "2026-03-09"}, "starts_on", "Enter a valid date."),
        ({"timeoff-starts_on": "2026-03-10"}, "ends_on", "This field is required."),
        ({"timeoff-starts_on": "2026-03-01", "timeoff-ends_on": "2026-03-31"}, "starts_on", "This overlaps the time"),
        (
            {"timeoff-starts_on": "2026-04-01", "timeoff-ends_on": "2026-04-01", "timeoff-reason": "x" * 201},
            "reason",
            "at most 200 characters",
        ),
    ],
)
def test_bad_time_off_input_is_shown_at_the_field(gym_a, client_a, data, field, message):
    me = member(gym_a, Role.TRAINER)
    in_gym(gym_a, TimeOff.objects.create, trainer=me, starts_on=date(2026, 3, 9), ends_on=date(2026, 3, 9))
    client_a.login_as(me)
    for extra, status in (({}, 400), (HX, 200)):
        response = client_a.post(f"/trainers/{me.pk}/availability/time-off/", data, **extra)
        assert response.status_code == status
        after_field = response.content.decode().split(f'name="timeoff-{field}"', 1)[1]
        assert message in after_field.split('<div class="field">', 1)[0]
    connection.set_tenant(gym_a)
    assert TimeOff.objects.count() == 1


def test_week_navigation(gym_a, client_a):
    me = member(gym_a, Role.TRAINER)
    client_a.login_as(me)
    content = client_a.get("/availability/?week=2026-03-04").content.decode()
    assert "2 Mar 2026 – 8 Mar 2026" in content
    assert 'href="/availability/?week=2026-02-23"' in content and 'href="/availability/?week=2026-03-09"' in content
    assert 'hx-push-url="true"' in content
    assert '<a href="/availability/" hx-get="/availability/" hx-push-url="true">This week</a>' in content
    assert client_a.get("/availability/?week=garbage").status_code == 200
    panel = client_a.get("/availability/?week=2026-03-09", **HX).content.decode()
    assert panel.lstrip().startswith('<div id="availability"') and "9 Mar 2026 – 15 Mar 2026" in panel


def test_a_history_restore_gets_the_whole_page(gym_a, client_a):
    client_a.login_as(member(gym_a, Role.TRAINER))
    content = client_a.get("/availability/", HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HX).content.decode()
    assert "<html" in content


def test_the_page_loads_htmx_from_our_own_static_files(gym_a, client_a):
    content = client_a.login_as(member(gym_a, Role.TRAINER)).get("/availability/").content.decode()
    assert '<script src="/static/vendor/htmx/htmx.min.js" defer></script>' in content
    assert 'hx-headers=\'{"X-CSRFToken": "' in content


@pytest.mark.parametrize("rows", [3, 30])
def test_page_query_count_does_not_grow_with_slots(gym_a, client_a, rows):
    me = member(gym_a, Role.OWNER)
    colleague = member(gym_a, Role.TRAINER)
    connection.set_tenant(gym_a)
    for n in range(rows):
        slot(colleague, n % 7, f"{n // 7 * 2 + 6:02d}:00", f"{n // 7 * 2 + 7:02d}:00")
        TimeOff.objects.create(
            trainer=colleague,
            starts_on=date(2026, 3, 1) + timedelta(days=2 * n),
            ends_on=date(2026, 3, 1) + timedelta(days=2 * n),
        )
    connection.set_schema_to_public()
    client_a.login_as(me)
    url = f"/trainers/{colleague.pk}/availability/?week=2026-03-02"
    client_a.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client_a.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('<div class="slot"') == rows
    # search_path, session, user, trainer (middleware); the trainer looked at, slots, week's time off, time-off list;
    # the switcher's list of trainers
    assert len(queries.captured_queries) == 9, "\n".join(q["sql"][:100] for q in queries.captured_queries)
