"""Sessions: what was booked, delivered, cancelled and missed, by the day a session starts (the gym's day).

Definitions (docs/guide/analytics.md, "Sessions"):

* a session counts in the period in which it *starts*, whatever its status;
* **delivered**: completed sessions; **hours delivered**: their booked durations;
* **cancelled by the client**: cancelled before the gym's cut-off; **cancelled late**: cancelled by the client inside
  the cut-off (the gym's ``late_cancellation_hours``); **cancelled by the trainer**: called off by the trainer,
  which is no fault of the client's; **no-show**: the client did not come; **open**: still scheduled;
* **booked**: every session in the period except those the trainer cancelled;
* **cancellation rate**: (cancelled by the client + cancelled late) / booked; **late-cancellation rate**: cancelled
  late / booked; **no-show rate**: no-shows / booked. No booked session: no rate (shown as "–", never 0 %).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, Count, DecimalField, ExpressionWrapper, F, Q, Sum, Value, When
from django.db.models.functions import TruncDate

from apps.core.dates import gym_timezone
from apps.training.models import Cancellation, Session, SessionStatus

from ..periods import Period, bucket_of
from .scope import Scope, ratio

COMPLETED, CANCELLED_CLIENT, CANCELLED_LATE, CANCELLED_TRAINER, NO_SHOW, OPEN = (
    "completed",
    "cancelled_client",
    "cancelled_late",
    "cancelled_trainer",
    "no_show",
    "open",
)
#: The outcomes stacked in the weekly chart, in stacking order (open sessions are drawn on top).
OUTCOMES = [COMPLETED, CANCELLED_CLIENT, CANCELLED_LATE, NO_SHOW, CANCELLED_TRAINER, OPEN]
#: Outcomes that occupy the trainer's time (utilisation): delivered, missed by the client, or still booked.
OCCUPYING = frozenset({COMPLETED, NO_SHOW, OPEN})


def outcome_expression() -> Case:
    """The session's outcome (one of OUTCOMES) in SQL."""
    return Case(
        When(status=SessionStatus.COMPLETED, then=Value(COMPLETED)),
        When(status=SessionStatus.NO_SHOW, then=Value(NO_SHOW)),
        When(status=SessionStatus.SCHEDULED, then=Value(OPEN)),
        When(cancellation=Cancellation.TRAINER, then=Value(CANCELLED_TRAINER)),
        When(cancellation=Cancellation.LATE, then=Value(CANCELLED_LATE)),
        default=Value(CANCELLED_CLIENT),
        output_field=CharField(),
    )


@dataclass
class Tally:
    """Counts by outcome and minutes by outcome, for some set of sessions."""

    counts: Counter[str] = field(default_factory=Counter)
    minutes: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: str, count: int, minutes: int) -> None:
        self.counts[outcome] += count
        self.minutes[outcome] += minutes

    def __iadd__(self, other: "Tally") -> "Tally":
        self.counts.update(other.counts)
        self.minutes.update(other.minutes)
        return self

    @property
    def booked(self) -> int:
        return sum(self.counts.values()) - self.counts[CANCELLED_TRAINER]

    @property
    def delivered(self) -> int:
        return self.counts[COMPLETED]

    @property
    def hours_delivered(self) -> Decimal:
        return Decimal(self.minutes[COMPLETED]) / 60

    @property
    def occupied_hours(self) -> Decimal:
        return Decimal(sum(self.minutes[outcome] for outcome in OCCUPYING)) / 60

    @property
    def cancellation_rate(self) -> float | None:
        return ratio(self.counts[CANCELLED_CLIENT] + self.counts[CANCELLED_LATE], self.booked)

    @property
    def late_cancellation_rate(self) -> float | None:
        return ratio(self.counts[CANCELLED_LATE], self.booked)

    @property
    def no_show_rate(self) -> float | None:
        return ratio(self.counts[NO_SHOW], self.booked)


@dataclass
class SessionDays:
    """A :class:`Tally` per day over a period and the one before it (one query)."""

    period: Period
    days: dict[date, Tally]

    def total(self, period: Period) -> Tally:
        total = Tally()
        for day, tally in self.days.items():
            if period.first <= day <= period.last:
                total += tally
        return total

    @property
    def current(self) -> Tally:
        return self.total(self.period)

    @property
    def previous(self) -> Tally:
        return self.total(self.period.previous)

    def by_bucket(self, kind: str = "week") -> list[tuple[date, Tally]]:
        """The current period's days summed by week (Monday) or month; only days inside the period count."""
        buckets = {start: Tally() for start in self.period.buckets(kind)}
        for day, tally in self.days.items():
            if self.period.first <= day <= self.period.last:
                buckets[bucket_of(day, kind)] += tally
        return sorted(buckets.items())


def session_days(scope: Scope, period: Period) -> SessionDays:
    zone = gym_timezone()
    rows = (
        scope.rows(Session)
        .filter(starts_at__gte=period.previous.start(zone), starts_at__lt=period.end(zone))
        .annotate(day=TruncDate("starts_at", tzinfo=zone), outcome=outcome_expression())
        .values("day", "outcome")
        .annotate(count=Count("pk"), minutes=Sum("duration_minutes"))
        .order_by()
    )
    days: dict[date, Tally] = defaultdict(Tally)
    for row in rows:
        days[row["day"]].add(row["outcome"], row["count"], row["minutes"] or 0)
    return SessionDays(period, dict(days))


@dataclass
class TrainerSessions:
    current: Tally
    previous: Tally
    active_clients: int = 0
    active_clients_previous: int = 0
    earned: Decimal = Decimal(0)
    earned_previous: Decimal = Decimal(0)


def sessions_by_trainer(scope: Scope, period: Period, *, money: bool) -> dict[int, TrainerSessions]:
    """Per trainer (``Session.trainer``: who delivered it), the tallies of the period and the previous one, the
    number of distinct active clients in each and (``money``) the value earned. One query."""
    zone = gym_timezone()
    current = Q(starts_at__gte=period.start(zone))
    previous = ~current
    not_cancelled = ~Q(status=SessionStatus.CANCELLED)
    rows = (
        scope.rows(Session)
        .filter(starts_at__gte=period.previous.start(zone), starts_at__lt=period.end(zone))
        .annotate(outcome=outcome_expression(), is_current=Case(When(current, then=Value(1)), default=Value(0)))
        .values("trainer_id", "outcome", "is_current")
        .annotate(count=Count("pk"), minutes=Sum("duration_minutes"))
        .order_by()
    )
    found: dict[int, TrainerSessions] = {}
    for row in rows:
        entry = found.setdefault(row["trainer_id"], TrainerSessions(Tally(), Tally()))
        tally = entry.current if row["is_current"] else entry.previous
        tally.add(row["outcome"], row["count"], row["minutes"] or 0)
    per_trainer: dict[str, Any] = {
        "current": Count("client_id", distinct=True, filter=current),
        "previous": Count("client_id", distinct=True, filter=previous),
    }
    if money:
        completed = Q(status=SessionStatus.COMPLETED)
        per_trainer["earned"] = Sum(session_value(), filter=current & completed)
        per_trainer["earned_previous"] = Sum(session_value(), filter=previous & completed)
    clients = (
        scope.rows(Session)
        .filter(not_cancelled, starts_at__gte=period.previous.start(zone), starts_at__lt=period.end(zone))
        .values("trainer_id")
        .annotate(**per_trainer)
        .order_by()
    )
    per_client: Any = clients
    for row in per_client:
        entry = found.setdefault(row["trainer_id"], TrainerSessions(Tally(), Tally()))
        entry.active_clients, entry.active_clients_previous = row["current"], row["previous"]
        if money:
            entry.earned = row["earned"] or Decimal(0)
            entry.earned_previous = row["earned_previous"] or Decimal(0)
    return found


def session_value() -> ExpressionWrapper:
    """What one session of its package is worth: the package's total (VAT included) / its sessions. A session
    without a package is worth nothing here."""
    return ExpressionWrapper(
        F("package__gross_amount") / F("package__total_sessions"),
        output_field=DecimalField(max_digits=24, decimal_places=8),
    )
