"""The dashboard's figures: the day ahead and the month so far, for what the actor sees (narrowed by the switcher).

Every figure goes through ``visible_to(actor)``; money only for those who may see packages. A fixed number of
queries whatever the size of the gym (tests/analytics/test_dashboard.py).

Definitions (all days are the gym's, in its timezone):

* sessions today: sessions starting today that are not cancelled;
* sessions this week: scheduled sessions starting in the seven days from today's midnight;
* completed / no-show this month: sessions starting since the 1st with that status, and revenue this month: cash
  (payments minus refunds) received since the 1st: the analytics' own metrics for the period "this month"
  (``apps.analytics.selectors.month_figures``), so the dashboard and the analytics never disagree;
* active clients: clients whose status is active;
* active packages: packages whose status is active; low packages: those with at most ``LOW_CREDIT`` credits left;
  expiring packages: active ones whose last day is from today to ``EXPIRING_DEFAULT_DAYS`` days ahead (the list at
  ``package_expiring``).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Model, Q, QuerySet

from apps.access import Actor
from apps.clients.models import Client, ClientStatus
from apps.core.dates import gym_month_start, gym_timezone, gym_today
from apps.training.expiry import EXPIRING_DEFAULT_DAYS
from apps.training.models import PackageStatus, Session, SessionPackage, SessionStatus
from apps.training.permissions import can_use_packages

from .periods import preset
from .selectors import month_figures

TODAY_LIMIT = 30
LOW_CREDIT = 1  # a package with this many sessions left or fewer is worth a word with the client


@dataclass
class Dashboard:
    today: date
    today_sessions: list[Session]
    sessions_today: int
    sessions_week: int
    completed_month: int
    no_show_month: int
    active_clients: int
    money: bool
    # Money figures: None for those who may not see packages (assistants), never a zero that looks real.
    active_packages: int | None = None
    expiring_packages: int | None = None
    expiring_days: int = EXPIRING_DEFAULT_DAYS
    low_packages: list[SessionPackage] | None = None
    revenue_month: Decimal | None = None

    @property
    def is_empty(self) -> bool:
        """Nothing to count yet (a new gym, a new trainer): the page says what to do instead of showing zeros."""
        counts = (
            self.sessions_today,
            self.sessions_week,
            self.completed_month,
            self.no_show_month,
            self.active_clients,
        )
        return not any(counts) and not self.active_packages and not self.revenue_month


def _narrow[M: Model](
    queryset: QuerySet[M, Any], trainer_id: int | None, field: str = "trainer_id"
) -> QuerySet[M, Any]:
    return queryset if trainer_id is None else queryset.filter(**{field: trainer_id})


def dashboard(*, actor: Actor | None, trainer_id: int | None = None) -> Dashboard:
    zone = gym_timezone()
    today = gym_today()
    day_start = datetime.combine(today, time.min, tzinfo=zone)
    week_end = day_start + timedelta(days=7)
    gym_month_start()

    sessions = _narrow(Session.objects.visible_to(actor), trainer_id)
    # One pass over the month so far and the week ahead (the month starts on or before today).
    counts = sessions.filter(starts_at__gte=day_start, starts_at__lt=week_end).aggregate(
        today=Count(
            "pk",
            filter=Q(starts_at__gte=day_start, starts_at__lt=day_start + timedelta(days=1))
            & ~Q(status=SessionStatus.CANCELLED),
        ),
        week=Count("pk", filter=Q(status=SessionStatus.SCHEDULED)),
    )
    month = month_figures(actor=actor, trainer_id=trainer_id, period=preset("month", today))
    today_sessions = list(
        sessions.filter(starts_at__gte=day_start, starts_at__lt=day_start + timedelta(days=1))
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("client", "trainer__user")
        .order_by("starts_at", "pk")[:TODAY_LIMIT]
    )
    for session in today_sessions:
        session.local_start = session.starts_at.astimezone(zone)
    figures = Dashboard(
        today=today,
        today_sessions=today_sessions,
        sessions_today=counts["today"],
        sessions_week=counts["week"],
        completed_month=month.completed,
        no_show_month=month.no_show,
        active_clients=_narrow(Client.objects.visible_to(actor), trainer_id).filter(status=ClientStatus.ACTIVE).count(),
        money=can_use_packages(actor),
    )
    if figures.money:
        packages = _narrow(SessionPackage.objects.visible_to(actor), trainer_id).filter(status=PackageStatus.ACTIVE)
        # One query for both counts.
        package_counts = packages.aggregate(
            active=Count("pk"),
            expiring=Count(
                "pk",
                filter=Q(expires_on__gte=today, expires_on__lte=today + timedelta(days=EXPIRING_DEFAULT_DAYS)),
            ),
        )
        figures.active_packages = package_counts["active"]
        figures.expiring_packages = package_counts["expiring"]
        figures.low_packages = list(
            packages.filter(used_sessions__gte=F("total_sessions") - LOW_CREDIT)
            .select_related("client")
            .order_by("client__last_name", "client__first_name", "pk")[:10]
        )
        figures.revenue_month = month.cash
    return figures
