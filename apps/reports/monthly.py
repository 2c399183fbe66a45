"""The trainer's monthly report: one calendar month of a trainer's analytics as a PDF, for the owner's review and
for payroll. The figures are the analytics' own (``apps.analytics``), so the report, the page and the exports agree;
money only where the reader may see it (``Scope.money``).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access import Actor
from apps.analytics.metrics.money import money
from apps.analytics.metrics.scope import Scope
from apps.analytics.metrics.sessions import session_value
from apps.analytics.periods import Period, custom
from apps.analytics.presentation import page_charts
from apps.analytics.selectors import Analytics, analytics
from apps.analytics.tables import analytics_tables, display
from apps.core.dates import gym_locale, gym_timezone, gym_today
from apps.trainers.models import Trainer
from apps.training.models import Session, SessionStatus

from .assessment import gym_branding
from .pdf import render_pdf


def month_period(year: int, month: int) -> Period:
    """The calendar month, up to today if it is the current one."""
    first = date(year, month, 1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return custom(first, min(last, max(first, gym_today())))


@dataclass
class ClientMonth:
    name: str
    delivered: int
    no_show: int
    cancelled_late: int
    hours: Decimal
    earned: Decimal | None


@dataclass
class MonthlyReport:
    trainer: Trainer
    period: Period
    result: Analytics
    clients: list[ClientMonth]
    money: bool
    generated_on: date


def sessions_by_client(scope: Scope, period: Period) -> list[ClientMonth]:
    """Per client of the trainer's sessions in the month: delivered, no-shows, late cancellations, hours and (money)
    the value earned. One query."""
    zone = gym_timezone()
    completed = Q(status=SessionStatus.COMPLETED)
    aggregates = {
        "delivered": Count("pk", filter=completed),
        "no_show": Count("pk", filter=Q(status=SessionStatus.NO_SHOW)),
        "late": Count("pk", filter=Q(status=SessionStatus.CANCELLED, cancellation="late")),
        "minutes": Sum("duration_minutes", filter=completed),
    }
    if scope.money:
        aggregates["earned"] = Sum(session_value(), filter=completed)
    rows: Any = (
        scope.rows(Session)
        .filter(starts_at__gte=period.start(zone), starts_at__lt=period.end(zone))
        .values("client_id", "client__first_name", "client__last_name")
        .annotate(**aggregates)
        .order_by("client__last_name", "client__first_name", "client_id")
    )
    return [
        ClientMonth(
            name=f"{row['client__first_name']} {row['client__last_name']}".strip(),
            delivered=row["delivered"],
            no_show=row["no_show"],
            cancelled_late=row["late"],
            hours=Decimal(row["minutes"] or 0) / 60,
            earned=money(row.get("earned")) if scope.money else None,
        )
        for row in rows
        if row["delivered"] or row["no_show"] or row["late"]
    ]


def monthly_report(*, actor: Actor | None, trainer: Trainer, year: int, month: int) -> MonthlyReport:
    """The month's figures of ``trainer`` as ``actor`` may see them (the caller checked ``can_see_analytics_of``)."""
    period = month_period(year, month)
    scope = Scope(actor, trainer.pk)
    return MonthlyReport(
        trainer=trainer,
        period=period,
        result=analytics(scope=scope, period=period),
        clients=sessions_by_client(scope, period),
        money=scope.money,
        generated_on=timezone.localdate(timezone=gym_timezone()),
    )


def monthly_pdf(report: MonthlyReport, *, language: str) -> tuple[bytes, str]:
    """The PDF and its file name. Drawn each time: a month's figures move until the month is over."""
    with gym_locale(language):
        tables = analytics_tables(report.result)
        charts = page_charts(tables, bucket="week")
        groups = [
            (
                section,
                [
                    (figure, display(figure.value, figure.kind), display(figure.previous, figure.kind))
                    for figure in figures
                ],
            )  # fmt: skip
            for section, figures in report.result.figure_groups()
        ]
        html = render_to_string(
            "reports/monthly.html",
            {
                "report": report,
                "language": language,
                "groups": groups,
                "sessions_chart": charts.get("sessions-by-week"),
                "clients": [
                    (row, display(row.hours, "hours"), display(row.earned, "money") if report.money else "")
                    for row in report.clients
                ],
                "totals": {
                    "delivered": sum(row.delivered for row in report.clients),
                    "hours": display(sum((row.hours for row in report.clients), Decimal(0)), "hours"),
                    "earned": display(sum((row.earned or Decimal(0) for row in report.clients), Decimal(0)), "money")
                    if report.money
                    else "",
                },
                "title": _("Monthly report"),
                "branding": gym_branding(),
            },
        )
    name = f"monthly-{report.trainer.pk}-{report.period.first:%Y-%m}-{language}.pdf"
    return render_pdf(html), name
