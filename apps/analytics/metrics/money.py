"""Money, for those who may see it (``Scope.money``): cash, earned, outstanding, credits.

Definitions (docs/guide/analytics.md, "Money"). Amounts include VAT, in the gym's currency.

* **cash**: payments received minus refunds, on the day they were received (``paid_at``), credited to the trainer
  who held the package when the payment was recorded (``Payment.trainer``; a later transfer does not move it);
* **earned**: each session delivered (completed) in the period, valued at its package's total divided by the
  package's sessions, credited to the trainer who delivered it. Sessions without a package earn nothing here;
* **outstanding**: today, for each package that is not cancelled, its total minus what was paid on it, when that
  is more than zero (packages of the trainer who holds them now);
* **credits sold**: the sessions of the packages sold in the period, credited to the seller (``sold_by``);
* **credits unused**: today, the credits left on active packages that have not expired;
* **credits expiring**: the credits left on active packages whose expiry date is in the next 30 days.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest, TruncDate

from apps.core.dates import gym_timezone, gym_today
from apps.core.money import current_currency, quantize_money
from apps.training.models import PackageStatus, Payment, Session, SessionPackage, SessionStatus

from ..periods import Period, bucket_of
from .scope import Scope
from .sessions import session_value

EXPIRING_DAYS = 30
ZERO = Decimal(0)


def money(value: Decimal | None) -> Decimal:
    """Rounded to the gym currency's minor unit (earned sums fractions of a package)."""
    return quantize_money(value or ZERO, current_currency())


@dataclass
class MoneyFigures:
    cash: Decimal
    cash_previous: Decimal
    earned: Decimal
    earned_previous: Decimal
    outstanding: Decimal
    credits_sold: int
    credits_sold_previous: int
    packages_sold: int
    packages_sold_previous: int
    credits_unused: int
    credits_expiring: int
    # (first day of the bucket, cash, earned), oldest first
    by_bucket: list[tuple[date, Decimal, Decimal]] = field(default_factory=list)


def _daily_cash(scope: Scope, period: Period) -> dict[date, Decimal]:
    zone = gym_timezone()
    rows = (
        scope.rows(Payment, money=True)
        .filter(paid_at__gte=period.previous.start(zone), paid_at__lt=period.end(zone))
        .annotate(day=TruncDate("paid_at", tzinfo=zone))
        .values("day")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    return {row["day"]: row["amount"] or ZERO for row in rows}


def cash_total(scope: Scope, period: Period) -> Decimal:
    """Cash of the period alone (the dashboard's month so far). One query."""
    zone = gym_timezone()
    rows = scope.rows(Payment, money=True).filter(paid_at__gte=period.start(zone), paid_at__lt=period.end(zone))
    return money(rows.aggregate(total=Sum("amount"))["total"])


def _daily_earned(scope: Scope, period: Period) -> dict[date, Decimal]:
    zone = gym_timezone()
    rows = (
        scope.rows(Session, money=True)
        .filter(
            status=SessionStatus.COMPLETED,
            package__isnull=False,
            starts_at__gte=period.previous.start(zone),
            starts_at__lt=period.end(zone),
        )
        .annotate(day=TruncDate("starts_at", tzinfo=zone))
        .values("day")
        .annotate(amount=Sum(session_value()))
        .order_by()
    )
    return {row["day"]: row["amount"] or ZERO for row in rows}


def _paid_on_package() -> Coalesce:
    paid = (
        Payment.objects.filter(package=OuterRef("pk"))
        .order_by()
        .values("package")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(paid, output_field=DecimalField(max_digits=15, decimal_places=3)), Value(ZERO))


def money_figures(scope: Scope, period: Period) -> MoneyFigures:
    """Five queries: cash by day, earned by day, packages sold in the two periods, the packages held today."""
    zone = gym_timezone()
    today = gym_today()
    cash = _daily_cash(scope, period)
    earned = _daily_earned(scope, period)

    def total(days: dict[date, Decimal], p: Period) -> Decimal:
        return money(sum((value for day, value in days.items() if p.first <= day <= p.last), ZERO))

    current = Q(sold_at__gte=period.start(zone))
    sold = (
        scope.rows(SessionPackage, trainer_field="sold_by", money=True)
        .filter(sold_at__gte=period.previous.start(zone), sold_at__lt=period.end(zone))
        .aggregate(
            credits=Sum("total_sessions", filter=current),
            credits_previous=Sum("total_sessions", filter=~current),
            packages=Count("pk", filter=current),
            packages_previous=Count("pk", filter=~current),
        )
    )
    usable = Q(status=PackageStatus.ACTIVE) & (Q(expires_on__isnull=True) | Q(expires_on__gte=today))
    expiring = Q(
        status=PackageStatus.ACTIVE, expires_on__gte=today, expires_on__lte=today + timedelta(days=EXPIRING_DAYS)
    )
    left = F("total_sessions") - F("used_sessions")
    held = (
        scope.rows(SessionPackage, money=True)
        .exclude(status=PackageStatus.CANCELLED)
        .annotate(balance=Greatest(F("gross_amount") - _paid_on_package(), Value(ZERO)))
        .aggregate(
            outstanding=Sum("balance"),
            unused=Sum(left, filter=usable),
            expiring=Sum(left, filter=expiring),
        )
    )
    buckets: dict[date, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for start in period.buckets():
        buckets[start]
    for index, days in enumerate((cash, earned)):
        for day, value in days.items():
            if period.first <= day <= period.last:
                buckets[bucket_of(day, period.bucket)][index] += value
    return MoneyFigures(
        cash=total(cash, period),
        cash_previous=total(cash, period.previous),
        earned=total(earned, period),
        earned_previous=total(earned, period.previous),
        outstanding=money(held["outstanding"]),
        credits_sold=sold["credits"] or 0,
        credits_sold_previous=sold["credits_previous"] or 0,
        packages_sold=sold["packages"],
        packages_sold_previous=sold["packages_previous"],
        credits_unused=held["unused"] or 0,
        credits_expiring=held["expiring"] or 0,
        by_bucket=[(start, money(values[0]), money(values[1])) for start, values in sorted(buckets.items())],
    )


def cash_by_trainer(
    scope: Scope, period: Period
) -> tuple[dict[int, tuple[Decimal, Decimal]], dict[date, dict[int, Decimal]]]:
    """Per trainer (``Payment.trainer``) cash in the period and the previous one; and per chart bucket and trainer
    in the period (revenue by month stacked by trainer). One query, by day and trainer."""
    zone = gym_timezone()
    rows = (
        scope.rows(Payment, money=True)
        .filter(paid_at__gte=period.previous.start(zone), paid_at__lt=period.end(zone))
        .annotate(day=TruncDate("paid_at", tzinfo=zone))
        .values("day", "trainer_id")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    totals: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    stacked: dict[date, dict[int, Decimal]] = {start: defaultdict(Decimal) for start in period.buckets()}
    for row in rows:
        day, trainer_id, amount = row["day"], row["trainer_id"], row["amount"] or ZERO
        if day >= period.first:
            totals[trainer_id][0] += amount
            stacked[bucket_of(day, period.bucket)][trainer_id] += amount
        else:
            totals[trainer_id][1] += amount
    return {k: (money(v[0]), money(v[1])) for k, v in totals.items()}, stacked
