"""Clients: active, new, churned, retained, and those at risk of leaving.

Definitions (docs/guide/analytics.md, "Clients"). "A session" here is one that was not cancelled (delivered, a
no-show, or booked); on a trainer's page, a session with that trainer.

* **active** in a period: the client has a session starting in it;
* **new** in a period: the client's first session ever falls in it;
* **churned**: a client churns on the 60th day after their last session (booked ones count, so a client with a
  session ahead has not churned) unless they hold an active package with credits left today; they count as
  churned in the period holding that day, once the day has come;
* **retention**: of the clients active in the previous period, the share also active in this one;
* **at risk** (today, whatever the period): an active client with an active package that has credits left, but no
  session in the last 14 days and none booked ahead.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth, TruncWeek
from django.utils import timezone

from apps.clients.models import Client, ClientStatus
from apps.core.dates import gym_timezone, gym_today
from apps.training.models import PackageStatus, Session, SessionPackage, SessionStatus

from ..periods import Period, bucket_of
from .scope import Scope, ratio

CHURN_DAYS = 60
AT_RISK_DAYS = 14
AT_RISK_LIMIT = 50


@dataclass
class AtRiskClient:
    client: Client
    last_session: datetime | None
    credits_left: int


@dataclass
class ClientFigures:
    active: int
    active_previous: int
    new: int
    new_previous: int
    churned: int
    churned_previous: int
    retention: float | None
    retention_previous: float | None
    # (first day of the bucket, active, new, churned), oldest first
    growth: list[tuple[date, int, int, int]] = field(default_factory=list)
    at_risk: list[AtRiskClient] = field(default_factory=list)
    at_risk_count: int = 0


def _sessions(scope: Scope) -> Any:
    return scope.rows(Session).exclude(status=SessionStatus.CANCELLED)


def _active_package(scope: Scope, today: date) -> Any:
    return scope.rows(SessionPackage).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today),
        status=PackageStatus.ACTIVE,
        used_sessions__lt=F("total_sessions"),
    )


def client_figures(scope: Scope, period: Period, *, with_at_risk: bool = True) -> ClientFigures:
    """Four queries: per client first and last session and presence in the three periods; active clients per chart
    bucket; the churn candidates' active packages; the at-risk list (and its count)."""
    zone = gym_timezone()
    today = gym_today()
    previous = period.previous
    before = previous.previous
    in_period = {
        name: Count("pk", filter=Q(starts_at__gte=p.start(zone), starts_at__lt=p.end(zone)))
        for name, p in (("current", period), ("previous", previous), ("before", before))
    }
    rows = list(
        _sessions(scope)
        .values("client_id")
        .annotate(
            first=TruncDate(Min("starts_at"), tzinfo=zone), last=TruncDate(Max("starts_at"), tzinfo=zone), **in_period
        )
        .order_by()
        .values_list("client_id", "first", "last", "current", "previous", "before")
    )
    kind = period.bucket
    buckets = period.buckets(kind)
    new_in: Counter[date] = Counter()
    churn_candidates: dict[int, date] = {}
    churn_window_first = before.first
    new_days: Counter[date] = Counter()
    for client_id, first_day, last_day, _current, _previous, _before in rows:
        if first_day >= previous.first:
            new_days[first_day] += 1
            if first_day >= period.first:
                new_in[bucket_of(first_day, kind)] += 1
        churn_day = last_day + timedelta(days=CHURN_DAYS)
        if churn_window_first <= churn_day <= min(period.last, today):
            churn_candidates[client_id] = churn_day
    holding = set(
        _active_package(scope, today).filter(client_id__in=list(churn_candidates)).values_list("client_id", flat=True)
    )
    churn_days = {client_id: day for client_id, day in churn_candidates.items() if client_id not in holding}

    def churned_in(p: Period) -> int:
        return sum(1 for day in churn_days.values() if p.first <= day <= p.last)

    def new_count(p: Period) -> int:
        return sum(count for day, count in new_days.items() if p.first <= day <= p.last)

    active = sum(1 for row in rows if row[3])
    active_previous = sum(1 for row in rows if row[4])
    active_before = sum(1 for row in rows if row[5])
    retained = sum(1 for row in rows if row[3] and row[4])
    retained_previous = sum(1 for row in rows if row[4] and row[5])

    churn_by_bucket: Counter[date] = Counter(
        bucket_of(day, kind) for day in churn_days.values() if period.first <= day <= period.last
    )
    active_by_bucket = _active_by_bucket(scope, period, kind)
    figures = ClientFigures(
        active=active,
        active_previous=active_previous,
        new=new_count(period),
        new_previous=new_count(previous),
        churned=churned_in(period),
        churned_previous=churned_in(previous),
        retention=ratio(retained, active_previous),
        retention_previous=ratio(retained_previous, active_before),
        growth=[
            (bucket, active_by_bucket.get(bucket, 0), new_in.get(bucket, 0), churn_by_bucket.get(bucket, 0))
            for bucket in buckets
        ],
    )
    if with_at_risk:
        figures.at_risk, figures.at_risk_count = at_risk(scope)
    return figures


def _active_by_bucket(scope: Scope, period: Period, kind: str) -> dict[date, int]:
    """Distinct clients with a session per week or month (only the days inside the period count). One query."""
    zone = gym_timezone()
    trunc = TruncWeek if kind == "week" else TruncMonth
    rows = (
        _sessions(scope)
        .filter(starts_at__gte=period.start(zone), starts_at__lt=period.end(zone))
        .annotate(bucket=trunc("starts_at", tzinfo=zone))
        .values("bucket")
        .annotate(clients=Count("client_id", distinct=True))
        .order_by()
    )
    return {row["bucket"].astimezone(zone).date(): row["clients"] for row in rows}


def at_risk(scope: Scope) -> tuple[list[AtRiskClient], int]:
    """Active clients with credits left but no session in AT_RISK_DAYS days and none ahead, longest quiet first."""
    today = gym_today()
    since = timezone.now() - timedelta(days=AT_RISK_DAYS)
    packages = _active_package(scope, today).filter(client=OuterRef("pk"))
    recent = _sessions(scope).filter(client=OuterRef("pk"), starts_at__gte=since)
    last = _sessions(scope).filter(client=OuterRef("pk")).order_by("-starts_at").values("starts_at")[:1]
    credits = (
        packages.order_by()
        .values("client")
        .annotate(left=Sum(F("total_sessions") - F("used_sessions")))
        .values("left")[:1]
    )
    clients = (
        scope.rows(Client)
        .filter(status=ClientStatus.ACTIVE)
        .filter(Exists(packages))
        .exclude(Exists(recent))
        .annotate(last_session=Subquery(last), credits_left=Coalesce(Subquery(credits), 0))
        .select_related("trainer__user")
        .order_by(F("last_session").asc(nulls_first=True), "last_name", "first_name", "pk")
    )
    found = list(clients[: AT_RISK_LIMIT + 1])
    count = len(found) if len(found) <= AT_RISK_LIMIT else clients.count()
    return [AtRiskClient(c, c.last_session, c.credits_left) for c in found[:AT_RISK_LIMIT]], count
