"""The analytics pages' read models: a trainer's (or everything the actor sees) and the organization's.

``analytics(scope=, period=)`` and ``gym_analytics(actor=, period=)`` return dataclasses that the pages, the CSV
and XLSX exports and the API all read, so they cannot disagree. The dashboard takes its month figures from the
same metrics (``month_figures``). Query counts are fixed (tests/analytics/test_queries.py).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.access import COACHING_ROLES, Actor, can_see_analytics_of
from apps.core.scoping import as_pk
from apps.trainers.models import Trainer

from .metrics.clients import ClientFigures, client_figures
from .metrics.money import MoneyFigures, cash_by_trainer, cash_total, money, money_figures
from .metrics.progress import SCORES, ScoreChange, band_distribution, score_changes
from .metrics.scope import Figure, Scope, ratio
from .metrics.sessions import SessionDays, Tally, TrainerSessions, session_days, sessions_by_trainer
from .metrics.utilisation import Heatmap, availability, heatmap, occupied_cells
from .periods import Period

SCORE_LABELS = {
    "overall": _("Overall"),
    "strength": _("Strength"),
    "mobility": _("Mobility"),
    "balance": _("Balance"),
    "cardio": _("Cardio"),
}

DEFINITIONS = {
    "delivered": _("Completed sessions that started in the period."),
    "hours": _("The booked length of the completed sessions."),
    "cancellation_rate": _(
        "Sessions the client cancelled (in time or late) divided by the sessions booked (all but those the "
        "trainer cancelled)."
    ),
    "late_rate": _("Sessions the client cancelled inside the gym's cut-off, divided by the sessions booked."),
    "no_show_rate": _("Sessions the client did not come to, divided by the sessions booked."),
    "utilisation": _(
        "Hours of sessions that were not cancelled, divided by the hours of weekly availability in the period "
        "(minus time off)."
    ),
    "active": _("Clients with at least one session (not cancelled) in the period."),
    "new": _("Clients whose first session ever falls in the period."),
    "churned": _(
        "Clients whose last session was 60 days before a day of the period, with nothing booked since and no "
        "active package today."
    ),
    "retention": _("Of the clients active in the previous period, the share also active in this one."),
    "cash": _("Payments received minus refunds, on the day they were received."),
    "earned": _("Each completed session valued at its package's total divided by the package's sessions."),
    "outstanding": _("Today: what remains to be paid on packages that are not cancelled."),
    "credits_sold": _("Sessions in the packages sold in the period."),
    "credits_unused": _("Today: credits left on active packages that have not expired."),
    "credits_expiring": _("Credits left on active packages that expire in the next 30 days."),
    "reassessed": _("Clients assessed in the period who have an earlier assessment to compare with."),
    "score_change": _(
        "Average of (the last assessment in the period minus the latest one before the period, or the first one "
        "in it), in points."
    ),
}


def _figure(key: str, label: Any, value: Any, previous: Any, kind: str = "count", **extra: Any) -> Figure:
    return Figure(key, str(label), value, previous, kind, str(DEFINITIONS.get(key, "")), **extra)


@dataclass
class Analytics:
    period: Period
    scope: Scope
    days: SessionDays
    available_hours: Decimal
    available_hours_previous: Decimal
    heatmap: Heatmap
    clients: ClientFigures
    progress: ScoreChange
    bands: dict[str, int]
    money: MoneyFigures | None = None
    # Per trainer, for the organization's table: available hours, and score changes (already summed above).
    available_by_trainer: dict[int, Decimal] = field(default_factory=dict)
    changes_by_trainer: dict[int, ScoreChange] = field(default_factory=dict)

    @property
    def sessions(self) -> Tally:
        return self.days.current

    @property
    def utilisation(self) -> float | None:
        return ratio(self.sessions.occupied_hours, self.available_hours)

    @property
    def utilisation_previous(self) -> float | None:
        return ratio(self.days.previous.occupied_hours, self.available_hours_previous)

    @property
    def by_week(self) -> list[tuple[date, Tally]]:
        return self.days.by_bucket("week")

    def figure_groups(self) -> list[tuple[str, list[Figure]]]:
        """The headline figures by section, each with the previous period's value and its definition."""
        now, before = self.days.current, self.days.previous
        groups: list[tuple[str, list[Figure]]] = [
            (
                str(_("Sessions")),
                [
                    _figure("delivered", _("Sessions delivered"), now.delivered, before.delivered),
                    _figure("hours", _("Hours delivered"), now.hours_delivered, before.hours_delivered, "hours"),
                    _figure(
                        "cancellation_rate",
                        _("Cancellation rate"),
                        now.cancellation_rate,
                        before.cancellation_rate,
                        "rate",
                        lower_is_better=True,
                    ),
                    _figure(
                        "late_rate",
                        _("Late cancellations"),
                        now.late_cancellation_rate,
                        before.late_cancellation_rate,
                        "rate",
                        lower_is_better=True,
                    ),
                    _figure(
                        "no_show_rate",
                        _("No-show rate"),
                        now.no_show_rate,
                        before.no_show_rate,
                        "rate",
                        lower_is_better=True,
                    ),
                    _figure("utilisation", _("Utilisation"), self.utilisation, self.utilisation_previous, "rate"),
                ],
            ),
            (
                str(_("Clients")),
                [
                    _figure("active", _("Active clients"), self.clients.active, self.clients.active_previous),
                    _figure("new", _("New clients"), self.clients.new, self.clients.new_previous),
                    _figure(
                        "churned",
                        _("Churned clients"),
                        self.clients.churned,
                        self.clients.churned_previous,
                        lower_is_better=True,
                    ),
                    _figure(
                        "retention", _("Retention"), self.clients.retention, self.clients.retention_previous, "rate"
                    ),
                ],
            ),
        ]
        if self.money is not None:
            m = self.money
            groups.append(
                (
                    str(_("Money")),
                    [
                        _figure("cash", _("Cash received"), m.cash, m.cash_previous, "money"),
                        _figure("earned", _("Earned"), m.earned, m.earned_previous, "money"),
                        _figure(
                            "outstanding",
                            _("Outstanding"),
                            m.outstanding,
                            None,
                            "money",
                            lower_is_better=True,
                            today=True,
                        ),
                        _figure("credits_sold", _("Credits sold"), m.credits_sold, m.credits_sold_previous),
                        _figure("credits_unused", _("Credits unused"), m.credits_unused, None, today=True),
                        _figure(
                            "credits_expiring", _("Credits expiring in 30 days"), m.credits_expiring, None, today=True
                        ),
                    ],
                )
            )
        groups.append(
            (
                str(_("Progress")),
                [
                    _figure("reassessed", _("Clients reassessed"), self.progress.reassessed, None),
                    *[
                        _figure(
                            "score_change",
                            _("Average change: %(score)s") % {"score": SCORE_LABELS[score]},
                            self.progress.average(score),
                            None,
                            "score",
                        )
                        for score in SCORES
                    ],
                ],
            )
        )
        return groups


def analytics(*, scope: Scope, period: Period) -> Analytics:
    """Every metric of the scope in the period (and the previous one). Money only when ``scope.money``."""
    days = session_days(scope, period)
    available = availability(scope, period)
    changes = score_changes(scope, period)
    progress = ScoreChange()
    for change in changes.values():
        progress.add(change)
    return Analytics(
        period=period,
        scope=scope,
        days=days,
        available_hours=available.total,
        available_hours_previous=available.total_previous,
        heatmap=heatmap(available.cells, occupied_cells(scope, period)),
        clients=client_figures(scope, period),
        progress=progress,
        bands=band_distribution(scope),
        money=money_figures(scope, period) if scope.money else None,
        available_by_trainer=dict(available.hours),
        changes_by_trainer=changes,
    )


@dataclass
class TrainerRow:
    """One line of the organization's comparison table."""

    trainer: Trainer
    sessions: Tally
    sessions_previous: Tally
    active_clients: int
    available_hours: Decimal
    reassessed: int
    score_change: float | None
    cash: Decimal = Decimal(0)
    cash_previous: Decimal = Decimal(0)
    earned: Decimal = Decimal(0)

    @property
    def utilisation(self) -> float | None:
        return ratio(self.sessions.occupied_hours, self.available_hours)


@dataclass
class GymAnalytics(Analytics):
    trainers: list[TrainerRow] = field(default_factory=list)
    # Revenue by bucket stacked by trainer: {bucket start: {trainer id: cash}}
    revenue_by_trainer: dict[date, dict[int, Decimal]] = field(default_factory=dict)


TRAINER_SORTS = {
    "name": lambda row: row.trainer.display_name.lower(),
    "delivered": lambda row: row.sessions.delivered,
    "hours": lambda row: row.sessions.hours_delivered,
    "utilisation": lambda row: row.utilisation if row.utilisation is not None else -1,
    "cancellation_rate": lambda row: row.sessions.cancellation_rate or 0,
    "no_show_rate": lambda row: row.sessions.no_show_rate or 0,
    "active_clients": lambda row: row.active_clients,
    "reassessed": lambda row: row.reassessed,
    "score_change": lambda row: row.score_change if row.score_change is not None else -1000,
    "cash": lambda row: row.cash,
    "earned": lambda row: row.earned,
}


def gym_analytics(*, actor: Actor | None, period: Period, sort: str = "name") -> GymAnalytics:
    """The organization's page: every metric for the whole gym, a row per trainer, revenue stacked by trainer."""
    scope = Scope(actor)
    base = analytics(scope=scope, period=period)
    per_trainer: dict[int, TrainerSessions] = sessions_by_trainer(scope, period, money=scope.money)
    cash: dict[int, tuple[Decimal, Decimal]] = {}
    stacked: dict[date, dict[int, Decimal]] = {}
    if scope.money:
        cash, stacked = cash_by_trainer(scope, period)
    trainers = list(
        Trainer.objects.visible_to(actor)
        .filter(role__in=COACHING_ROLES)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    rows = []
    for trainer in trainers:
        sessions = per_trainer.get(trainer.pk, TrainerSessions(Tally(), Tally()))
        change = base.changes_by_trainer.get(trainer.pk, ScoreChange())
        rows.append(
            TrainerRow(
                trainer=trainer,
                sessions=sessions.current,
                sessions_previous=sessions.previous,
                active_clients=sessions.active_clients,
                available_hours=base.available_by_trainer.get(trainer.pk, Decimal(0)),
                reassessed=change.reassessed,
                score_change=change.average("overall"),
                cash=cash.get(trainer.pk, (Decimal(0), Decimal(0)))[0],
                cash_previous=cash.get(trainer.pk, (Decimal(0), Decimal(0)))[1],
                earned=money(sessions.earned),
            )
        )
    # Hide members with nothing at all in either period (a new assistant-turned-trainer) only if inactive.
    rows = [row for row in rows if row.trainer.is_active or row.sessions.booked or row.sessions_previous.booked]
    key = TRAINER_SORTS.get(sort.lstrip("-"), TRAINER_SORTS["name"])
    rows.sort(key=key, reverse=sort.startswith("-"))
    return GymAnalytics(**vars(base), trainers=rows, revenue_by_trainer=stacked)


def analytics_trainer(*, actor: Actor | None, pk: object) -> Trainer | None:
    """The trainer ``pk`` if the actor may see their analytics (``can_see_analytics_of``), else None (a 404)."""
    pk = as_pk(pk)
    if pk is None:
        return None
    trainer = Trainer.objects.select_related("user").filter(pk=pk).first()
    return trainer if trainer is not None and can_see_analytics_of(actor, trainer) else None


def analytics_trainers(*, actor: Actor | None) -> list[Trainer]:
    """The trainers whose analytics the actor may open, for the page's picker (deactivated ones last)."""
    team = Trainer.objects.filter(role__in=COACHING_ROLES).select_related("user")
    return [
        trainer
        for trainer in team.order_by("-is_active", "user__full_name", "pk")
        if can_see_analytics_of(actor, trainer)
    ]


@dataclass
class MonthFigures:
    """The dashboard's month so far, from the analytics' own metrics."""

    completed: int
    no_show: int
    cash: Decimal | None


def month_figures(*, actor: Actor | None, trainer_id: int | None, period: Period) -> MonthFigures:
    scope = Scope(actor, trainer_id)
    tally = session_days(scope, period).current
    cash = cash_total(scope, period) if scope.money else None
    return MonthFigures(completed=tally.counts["completed"], no_show=tally.counts["no_show"], cash=cash)
