"""Every metric against figures computed by hand, on a small gym in New York over the fortnight that holds the
spring daylight-saving change (Sunday 8 March 2026, 02:00 -> 03:00).

The period is Monday 2 March to Sunday 15 March 2026 (14 days); the previous period 16 February to 1 March.
Each expected figure is worked out in the comment next to it.
"""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from apps.analytics.metrics.clients import client_figures
from apps.analytics.metrics.money import money_figures
from apps.analytics.metrics.progress import band_distribution, score_changes
from apps.analytics.metrics.scope import Scope
from apps.analytics.metrics.sessions import session_days
from apps.analytics.metrics.utilisation import availability, heatmap, occupied_cells
from apps.analytics.periods import custom, preset
from apps.analytics.selectors import analytics, gym_analytics
from apps.team.services import clients_transfer
from apps.trainers.models import AvailabilitySlot
from tenants.models import Role
from tests.factories import ClientFactory, SessionFactory, TrainerFactory

from .conftest import PERIOD


def test_sessions_by_outcome_rates_and_hours(world):
    days = session_days(Scope(world["tom"]), PERIOD)
    now, before = days.current, days.previous
    # completed: 2 Mar 09:00 and 8 Mar 01:30; no-show 2 Mar 10:00; cancelled: client 11 Mar, late 15 Mar 23:30
    # (New York), trainer 11 Mar.
    assert dict(now.counts) == {
        "completed": 2,
        "no_show": 1,
        "cancelled_client": 1,
        "cancelled_late": 1,
        "cancelled_trainer": 1,
    }
    assert now.booked == 5  # 6 sessions less the one the trainer cancelled
    assert now.hours_delivered == Decimal("2.5")  # 60 + 90 minutes
    assert now.cancellation_rate == pytest.approx(2 / 5)
    assert now.late_cancellation_rate == pytest.approx(1 / 5)
    assert now.no_show_rate == pytest.approx(1 / 5)
    assert now.occupied_hours == Decimal(3)  # 60 + 30 + 90 minutes: completed and no-show
    # Previous: the 23:30 session of Sunday 1 March (04:30 UTC on 2 March) belongs to 1 March.
    assert dict(before.counts) == {"completed": 1} and before.hours_delivered == Decimal(1)
    weeks = days.by_bucket("week")
    assert [start for start, _tally in weeks] == [date(2026, 3, 2), date(2026, 3, 9)]
    assert dict(weeks[0][1].counts) == {"completed": 2, "no_show": 1}
    assert dict(weeks[1][1].counts) == {"cancelled_client": 1, "cancelled_late": 1, "cancelled_trainer": 1}


def test_no_booked_session_gives_no_rate_not_zero(world):
    empty = session_days(Scope(world["tom"]), custom(date(2024, 1, 1), date(2024, 1, 7))).current
    assert empty.booked == 0 and empty.cancellation_rate is None and empty.no_show_rate is None


def test_utilisation_counts_real_hours_across_the_clock_change(world):
    available = availability(Scope(world["tom"]), PERIOD)
    # Mondays 2 Mar (3 h; 9 Mar is time off) + Sundays 8 Mar (01:00-04:00 loses an hour: 2 h) and 15 Mar (3 h).
    assert available.total == Decimal(8)
    # Previous: Mondays 16 and 23 Feb, Sundays 22 Feb and 1 Mar: 4 x 3 h.
    assert available.total_previous == Decimal(12)
    result = analytics(scope=Scope(world["tom"]), period=PERIOD)
    assert result.utilisation == pytest.approx(3 / 8)
    assert result.utilisation_previous == pytest.approx(1 / 12)


def test_heatmap_splits_sessions_into_wall_clock_hours(in_gym_a):
    tom = TrainerFactory(role=Role.TRAINER)
    client = ClientFactory(trainer=tom)
    AvailabilitySlot.objects.create(trainer=tom, weekday=0, starts_at=time(9), ends_at=time(11))
    utc = ZoneInfo("UTC")
    connection.tenant.timezone, before = "UTC", connection.tenant.timezone
    try:
        week = custom(date(2026, 3, 2), date(2026, 3, 8))
        SessionFactory(
            client=client, trainer=tom, starts_at=datetime(2026, 3, 2, 9, 30, tzinfo=utc), status="completed"
        )
        SessionFactory(client=client, trainer=tom, starts_at=datetime(2026, 3, 3, 15, tzinfo=utc), status="completed")
        scope = Scope(tom)
        grid = heatmap(availability(scope, week).cells, occupied_cells(scope, week))
    finally:
        connection.tenant.timezone = before
    assert grid.hours == [9, 10, 11, 12, 13, 14, 15]
    # Monday 09:30-10:30 in a 09:00-11:00 slot: half of each hour.
    assert grid.values[0][:2] == [0.5, 0.5]
    # Tuesday 15:00 has a session but no availability: no value, not 0 and not infinity.
    assert grid.values[1][grid.hours.index(15)] is None
    assert grid.occupied[(1, 15)] == Decimal(1)


def test_clients_active_new_churned_retention_and_at_risk(world):
    a, b, c, d, e, f = world["clients"]
    figures = client_figures(Scope(world["tom"]), PERIOD)
    assert (figures.active, figures.active_previous) == (2, 1)  # A and B; C on 1 March
    assert (figures.new, figures.new_previous) == (2, 1)  # A (2 Mar) and B (8 Mar); C (1 Mar)
    assert (figures.churned, figures.churned_previous) == (1, 1)  # D on 6 March (E holds credits); F on 23 Feb
    assert figures.retention == 0.0  # C was active before, not now
    assert figures.retention_previous is None  # nobody active in the fortnight before
    # At risk today: credits left, no session in 14 days and none ahead. C's package has expired; D and F hold none.
    # Longest quiet first: E (10 Jan), A (2 Mar; cancelled sessions do not count), B (8 Mar).
    assert [row.client for row in figures.at_risk] == [e, a, b]
    assert figures.at_risk_count == 3
    assert [row.credits_left for row in figures.at_risk] == [8, 2, 3]
    # Growth by week: A new in the first week; B too (8 Mar is that week's Sunday); D churns on Friday 6 March.
    assert figures.growth == [(date(2026, 3, 2), 2, 2, 1), (date(2026, 3, 9), 0, 0, 0)]


def test_money_cash_earned_outstanding_and_credits(world):
    money = money_figures(Scope(world["tom"]), PERIOD)
    assert (money.cash, money.cash_previous) == (Decimal("150.00"), Decimal("80.00"))  # 200 - 50; 80
    assert (money.earned, money.earned_previous) == (Decimal("160.00"), Decimal("33.33"))  # 100 + 60; 99.99 / 3
    # Today: p1 300 - 150, p2 240 - 80, p3 99.99, p4 100; the cancelled package owes nothing.
    assert money.outstanding == Decimal("509.99")
    assert (money.credits_sold, money.credits_sold_previous) == (10, 10)  # p4; p1 + p2 + p3
    assert (money.packages_sold, money.packages_sold_previous) == (1, 3)
    assert money.credits_unused == 13  # p1 2 + p2 3 + p4 8 (p3 has expired)
    assert money.credits_expiring == 3  # p2 expires in 10 days
    assert money.by_bucket == [
        (date(2026, 3, 2), Decimal("200.00"), Decimal("160.00")),
        (date(2026, 3, 9), Decimal("-50.00"), Decimal("0.00")),
    ]


def test_progress_changes_and_bands(world):
    change = score_changes(Scope(world["tom"]), PERIOD)[world["tom"].pk]
    # A: 65 - 50 (the February assessment), strength 45 - 40, mobility not in February. B: 50 - 40 (first in the
    # period), cardio 40 - 30. C: one assessment only.
    assert change.reassessed == 2
    assert change.average("overall") == 12.5
    assert change.average("strength") == 5
    assert change.average("cardio") == 10
    assert change.average("mobility") is None
    # Active clients by latest overall: A 65, B 50, C 70; D, E, F never assessed.
    assert band_distribution(Scope(world["tom"])) == {"0-39": 0, "40-59": 1, "60-79": 2, "80-100": 0, "none": 3}


def test_a_transfer_moves_future_work_never_past_revenue(world):
    a, b, *_rest = world["clients"]
    clients_transfer(actor=world["owner"], clients=[b], to_trainer=world["una"])
    tom, una = Scope(world["owner"], world["tom"].pk), Scope(world["owner"], world["una"].pk)
    toms, unas = money_figures(tom, PERIOD), money_figures(una, PERIOD)
    # The 80 paid on p2 in February stays Tom's cash; B's delivered session stays Tom's earnings and sessions.
    assert toms.cash_previous == Decimal("80.00") and toms.earned == Decimal("160.00")
    assert session_days(tom, PERIOD).current.delivered == 2
    assert toms.credits_sold_previous == 10  # p2 was sold by Tom
    # What is owed on p2 now sits with Una, who holds it: Tom 150 + 99.99 + 100, Una 70 - 70 + 160.
    assert toms.outstanding == Decimal("349.99") and unas.outstanding == Decimal("160.00")
    assert unas.cash == Decimal("70.00") and unas.cash_previous == Decimal("0.00")


def test_who_sees_what(world):
    owner, tom, sam, ann = world["owner"], world["tom"], world["sam"], world["ann"]
    # The owner's gym figures add Una's session and payment to Tom's.
    gym = gym_analytics(actor=owner, period=PERIOD)
    assert gym.sessions.delivered == 3 and gym.money.cash == Decimal("220.00")
    rows = {row.trainer.pk: row for row in gym.trainers}
    assert rows[tom.pk].sessions.delivered == 2 and rows[world["una"].pk].cash == Decimal("70.00")
    assert rows[tom.pk].earned == Decimal("160.00") and rows[tom.pk].active_clients == 2
    assert rows[tom.pk].utilisation == pytest.approx(3 / 8)
    assert sum(row.sessions.delivered for row in gym.trainers) == gym.sessions.delivered
    # A senior sees Tom's figures without money; an assistant sees Tom's (whom she assists) without money.
    seniors = analytics(scope=Scope(sam, tom.pk), period=PERIOD)
    assert seniors.sessions.delivered == 2 and seniors.money is None
    assistants = analytics(scope=Scope(ann, tom.pk), period=PERIOD)
    assert assistants.sessions.delivered == 2 and assistants.money is None
    # Tom alone: his own, with money; the trainer's own page never counts Una's.
    own = analytics(scope=Scope(tom), period=PERIOD)
    assert own.sessions.delivered == 2 and own.money.cash == Decimal("150.00")
    assert analytics(scope=Scope(tom, world["una"].pk), period=PERIOD).sessions.delivered == 0


def test_presets_in_the_gym_calendar():
    today = date(2026, 12, 3)  # a Thursday
    assert preset("week", today) == custom(date(2026, 11, 30), today).__class__("week", date(2026, 11, 30), today)
    assert preset("month", today).first == date(2026, 12, 1)
    assert preset("30d", today).first == date(2026, 11, 4) and preset("30d", today).days == 30
    assert preset("90d", today).days == 90
    assert preset("quarter", today).first == date(2026, 10, 1)
    assert preset("ytd", today).first == date(2026, 1, 1)
    assert preset("12m", today).days == 365
    assert preset("nonsense", today).key == "30d"
    fortnight = custom(date(2026, 3, 2), date(2026, 3, 15))
    assert fortnight.previous == custom(date(2026, 2, 16), date(2026, 3, 1)).__class__(
        "previous", date(2026, 2, 16), date(2026, 3, 1)
    )
    assert fortnight.bucket == "week" and preset("12m", today).bucket == "month"
    assert len(preset("12m", today).buckets()) == 13  # 4 Dec 2025 .. 3 Dec 2026 touches 13 months
