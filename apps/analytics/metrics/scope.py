"""Whose rows a figure counts (:class:`Scope`) and how a figure is carried to pages and exports (:class:`Figure`)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Model, QuerySet

from apps.access import Actor, analytics_rows, analytics_subject, sees_money_of

Number = int | Decimal | float


@dataclass(frozen=True)
class Scope:
    """The rows an analytics page counts: those ``analytics_rows`` gives the actor, narrowed to one trainer
    (``trainer_id``) or not (None: every trainer the actor's figures cover). ``money`` says whether money figures
    are computed at all (``sees_money_of``)."""

    actor: Actor | None
    trainer_id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "trainer_id", analytics_subject(self.actor, self.trainer_id))

    @property
    def money(self) -> bool:
        return sees_money_of(self.actor, self.trainer_id)

    def rows[M: Model](
        self, model: type[M], *, trainer_field: str = "trainer", money: bool = False
    ) -> QuerySet[M, Any]:
        rows = analytics_rows(model._default_manager.all(), self.actor, trainer_field=trainer_field, money=money)
        if self.trainer_id is not None:
            rows = rows.filter(**{trainer_field: self.trainer_id})
        return rows


@dataclass(frozen=True)
class Figure:
    """One headline number and the same for the previous period. ``kind`` says how to show it: "count", "hours",
    "rate" (a fraction 0..1), "money" or "score" (points). ``value`` None: nothing to measure (no denominator)."""

    key: str
    label: str
    value: Number | None
    previous: Number | None
    kind: str = "count"
    definition: str = ""
    # Lower is better (cancellation rates, outstanding balances): the page colours the change the other way.
    lower_is_better: bool = False
    # A figure of today's state (outstanding, credits unused): the period does not change it, nothing to compare.
    today: bool = False

    @property
    def change(self) -> Number | None:
        return figure_change(self.value, self.previous)


def figure_change(value: Number | None, previous: Number | None) -> Number | None:
    if value is None or previous is None:
        return None
    if isinstance(value, float) or isinstance(previous, float):
        return float(value) - float(previous)
    return value - previous


def ratio(part: Number, whole: Number) -> float | None:
    """``part / whole`` as a float, or None when there is no whole (0 sessions booked: no rate, not 0 %)."""
    return None if not whole else float(part) / float(whole)
