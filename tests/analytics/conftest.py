"""The small New York gym of the analytics tests: a fortnight around the spring daylight-saving change, with
figures worked out by hand in tests/analytics/test_metrics.py."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from apps.analytics.periods import custom
from apps.assessments.models import Assessment
from apps.core.dates import gym_today
from apps.trainers.models import AvailabilitySlot, TimeOff
from apps.trainers.services.assistants import assistant_set_trainers
from apps.training.models import Cancellation, PackageStatus
from tenants.models import Role
from tests.factories import ClientFactory, PaymentFactory, SessionFactory, SessionPackageFactory, TrainerFactory

NEW_YORK = ZoneInfo("America/New_York")
PERIOD = custom(date(2026, 3, 2), date(2026, 3, 15))


def at(day, hour, minute=0):
    """A wall-clock time in New York."""
    return datetime.combine(day, time(hour, minute), tzinfo=NEW_YORK)


@pytest.fixture
def new_york(in_gym_a):
    """Gym A in New York, in memory (for selectors) and in its row (for requests, which load the gym afresh; the
    test's transaction rolls the row back)."""
    before = connection.tenant.timezone
    type(in_gym_a).objects.filter(pk=in_gym_a.pk).update(timezone="America/New_York")
    connection.tenant.timezone = "America/New_York"
    yield in_gym_a
    connection.tenant.timezone = before


def session(client, starts_at, minutes=60, status="completed", package=None, cancellation="", trainer=None):
    return SessionFactory(
        client=client,
        trainer=trainer or client.trainer,
        starts_at=starts_at,
        duration_minutes=minutes,
        status=status,
        cancellation=cancellation,
        package=package,
    )


def assessment(client, performed_at, **scores):
    return Assessment.objects.create(
        client=client,
        trainer=client.trainer,
        performed_at=performed_at,
        age_at_test=40,
        scoring_version="test",
        **{f"{name}_score": value for name, value in scores.items()},
    )


@pytest.fixture
def world(new_york):
    owner = TrainerFactory(role=Role.OWNER)
    tom = TrainerFactory(role=Role.TRAINER)
    una = TrainerFactory(role=Role.TRAINER)
    sam = TrainerFactory(role=Role.SENIOR)
    ann = TrainerFactory(role=Role.ASSISTANT)
    assistant_set_trainers(actor=owner, assistant=ann, trainers=[tom])
    ann = type(ann).objects.get(pk=ann.pk)
    a, b, c, d, e, f = (ClientFactory(trainer=tom, first_name=name) for name in "ABCDEF")
    # Availability: Mondays 09-12 (3 h), Sundays 01-04 (3 h, but 2 real hours on 8 March). Monday 9 March off.
    AvailabilitySlot.objects.create(trainer=tom, weekday=0, starts_at=time(9), ends_at=time(12))
    AvailabilitySlot.objects.create(trainer=tom, weekday=6, starts_at=time(1), ends_at=time(4))
    TimeOff.objects.create(trainer=tom, starts_on=date(2026, 3, 9), ends_on=date(2026, 3, 9))

    today = gym_today()
    p1 = SessionPackageFactory(client=a, total_sessions=3, used_sessions=1, gross_amount=Decimal("300"),
                               net_amount=Decimal("300"), sold_at=at(date(2026, 3, 1), 12))  # fmt: skip
    p2 = SessionPackageFactory(client=b, total_sessions=4, used_sessions=1, gross_amount=Decimal("240"),
                               net_amount=Decimal("240"), sold_at=at(date(2026, 2, 20), 12),
                               expires_on=today + timedelta(days=10))  # fmt: skip
    p3 = SessionPackageFactory(client=c, total_sessions=3, used_sessions=1, gross_amount=Decimal("99.99"),
                               net_amount=Decimal("99.99"), sold_at=at(date(2026, 2, 16), 12),
                               expires_on=date(2026, 6, 1))  # fmt: skip
    SessionPackageFactory(client=e, total_sessions=10, used_sessions=2, gross_amount=Decimal("100"),
                               net_amount=Decimal("100"), sold_at=at(date(2026, 3, 5), 12))  # fmt: skip
    SessionPackageFactory(client=a, total_sessions=5, gross_amount=Decimal("500"), net_amount=Decimal("500"),
                          status=PackageStatus.CANCELLED, sold_at=at(date(2025, 5, 1), 12))  # fmt: skip
    PaymentFactory(package=p1, amount=Decimal("200"), paid_at=at(date(2026, 3, 3), 10))
    PaymentFactory(package=p1, amount=Decimal("-50"), paid_at=at(date(2026, 3, 10), 10))
    PaymentFactory(package=p2, amount=Decimal("80"), paid_at=at(date(2026, 2, 20), 10))

    session(a, at(date(2026, 3, 2), 9), package=p1)  # completed, worth 300 / 3 = 100
    session(a, at(date(2026, 3, 2), 10), 30, "no_show")
    session(b, at(date(2026, 3, 8), 1, 30), 90, package=p2)  # completed on the DST night, worth 240 / 4 = 60
    # 23:30 on Sunday 15 March in New York is 03:30 UTC on Monday 16: still the period's last day.
    session(b, at(date(2026, 3, 15), 23, 30), status="cancelled", cancellation=Cancellation.LATE)
    session(c, at(date(2026, 3, 16), 0, 30))  # the day after the period
    session(c, at(date(2026, 3, 1), 23, 30), package=p3)  # previous period's last day; worth 33.33
    session(a, at(date(2026, 3, 11), 12), status="cancelled", cancellation=Cancellation.CLIENT)
    session(a, at(date(2026, 3, 11), 15), status="cancelled", cancellation=Cancellation.TRAINER)
    session(d, at(date(2026, 1, 5), 9))  # last session: churns on 6 March
    session(e, at(date(2026, 1, 10), 9))  # would churn on 11 March, but holds p4 with credits
    session(f, at(date(2025, 12, 25), 9))  # churns on 23 February (previous period)

    assessment(a, at(date(2026, 2, 1), 9), overall=50, strength=40)
    assessment(a, at(date(2026, 3, 5), 9), overall=60, strength=50, mobility=70)
    assessment(a, at(date(2026, 3, 12), 9), overall=65, strength=45, mobility=80)
    assessment(b, at(date(2026, 3, 3), 9), overall=40, cardio=30)
    assessment(b, at(date(2026, 3, 14), 9), overall=50, cardio=40)
    assessment(c, at(date(2026, 3, 4), 9), overall=70)

    # Una: one completed session in the period, one payment; nothing of hers shows on Tom's figures.
    u = ClientFactory(trainer=una)
    up = SessionPackageFactory(client=u, total_sessions=1, gross_amount=Decimal("70"), net_amount=Decimal("70"),
                               sold_at=at(date(2026, 3, 4), 8))  # fmt: skip
    PaymentFactory(package=up, amount=Decimal("70"), paid_at=at(date(2026, 3, 4), 8))
    session(u, at(date(2026, 3, 4), 8), package=up)
    return {"owner": owner, "tom": tom, "una": una, "sam": sam, "ann": ann, "clients": (a, b, c, d, e, f)}
