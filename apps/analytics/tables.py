"""Every table and chart of the analytics pages as plain tables of raw values: the page draws its charts from them,
the CSV and XLSX exports write them, so a download always says what the page says.

A :class:`Table` has a slug (its file name), a title, column headers, the kind of each column ("text", "date",
"count", "hours", "rate", "money", "score") and rows of raw values (Decimal, int, float, date, str or None).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from babel.dates import format_skeleton
from django.utils import formats
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from apps.core.csv_export import csv_lines as write_csv_lines
from apps.core.csv_export import safe_cell
from apps.core.money import format_money

from .metrics.sessions import OUTCOMES
from .selectors import SCORE_LABELS, Analytics, GymAnalytics


def outcome_labels() -> dict[str, str]:
    return {
        "completed": _("Completed"),
        "cancelled_client": _("Cancelled by the client"),
        "cancelled_late": _("Cancelled late"),
        "no_show": _("No-show"),
        "cancelled_trainer": _("Cancelled by the trainer"),
        "open": _("Still booked"),
    }


def weekday_labels() -> list[str]:
    return [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]


def band_labels() -> dict[str, str]:
    return {
        "0-39": "0–39",
        "40-59": "40–59",
        "60-79": "60–79",
        "80-100": "80–100",
        "none": _("Not assessed"),
    }


@dataclass
class Table:
    slug: str
    title: str
    headers: list[str]
    kinds: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    description: str = ""

    def column(self, index: int) -> list[Any]:
        return [row[index] for row in self.rows]


def display(value: Any, kind: str) -> str:
    """A value as the page shows it, in the active language."""
    if value is None:
        return "–"
    if kind == "money":
        return format_money(value)
    if kind == "rate":
        return formats.number_format(round(float(value) * 100, 1), decimal_pos=1, use_l10n=True) + " %"
    if kind == "hours":
        hours = formats.number_format(Decimal(value), decimal_pos=1, use_l10n=True, force_grouping=True)
        return _("%(hours)s h") % {"hours": hours}
    if kind == "score":
        sign = "+" if value > 0 else ""
        return sign + formats.number_format(round(float(value), 1), decimal_pos=1, use_l10n=True)
    if kind == "date":
        return formats.date_format(value, "SHORT_DATE_FORMAT") if isinstance(value, date) else str(value)
    if kind == "count":
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def bucket_label(start: date, kind: str) -> str:
    """Short, in the reader's language (Babel's CLDR skeletons): "Nov 30" / "11월 30일", "Nov 2026" / "2026년 11월"."""
    locale = to_locale(get_language() or "en")
    return format_skeleton("yMMM" if kind == "month" else "MMMd", start, locale=locale)


def _hours(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def analytics_tables(result: Analytics) -> list[Table]:
    """The tables of a trainer's page (or of everything the actor sees); the organization's adds its own."""
    tables = [_figures(result), _sessions_by_week(result), _heatmap(result), _client_growth(result)]
    if result.money is not None:
        tables.append(_money_by_period(result))
    tables += [_bands(result), _at_risk(result)]
    if isinstance(result, GymAnalytics):
        tables.insert(1, _trainers(result))
        if result.money is not None:
            tables.append(_revenue_by_trainer(result))
    return tables


def _figures(result: Analytics) -> Table:
    table = Table(
        "figures",
        _("Figures"),
        [_("Section"), _("Figure"), _("This period"), _("Previous period"), _("Change"), _("How it is counted")],
        ["text", "text", "value", "value", "value", "text"],
        description=_("Every figure of the page, with the previous period of the same length."),
    )
    for section, figures in result.figure_groups():
        for figure in figures:
            table.rows.append(
                [section, figure.label, figure.value, figure.previous, figure.change, figure.definition, figure.kind]
            )
    return table


def _sessions_by_week(result: Analytics) -> Table:
    labels = outcome_labels()
    table = Table(
        "sessions-by-week",
        _("Sessions by week"),
        [_("Week starting"), *(labels[o] for o in OUTCOMES), _("Booked"), _("Hours delivered")],
        ["date", *(["count"] * len(OUTCOMES)), "count", "hours"],
        description=_(
            "Sessions by the week they start in (Monday to Sunday, only the days in the period), by outcome."
        ),
    )
    for start, tally in result.by_week:
        table.rows.append([start, *(tally.counts[o] for o in OUTCOMES), tally.booked, _hours(tally.hours_delivered)])
    return table


def _heatmap(result: Analytics) -> Table:
    hours = result.heatmap.hours
    table = Table(
        "utilisation-heatmap",
        _("Utilisation by weekday and hour"),
        [_("Weekday"), *(f"{hour:02d}:00" for hour in hours)],
        ["text", *(["rate"] * len(hours))],
        description=_(
            "Hours of sessions divided by available hours, for each weekday and hour over the period. Empty: "
            "nobody is available then."
        ),
    )
    for name, values in zip(weekday_labels(), result.heatmap.values, strict=True):
        table.rows.append([name, *values])
    return table


def _client_growth(result: Analytics) -> Table:
    kind = result.period.bucket
    table = Table(
        "client-growth",
        _("Clients by month") if kind == "month" else _("Clients by week"),
        [_("Starting"), _("Active"), _("New"), _("Churned")],
        ["date", "count", "count", "count"],
        description=_("Active clients in each stretch, those who started and those who churned."),
    )
    for start, active, new, churned in result.clients.growth:
        table.rows.append([start, active, new, churned])
    return table


def _money_by_period(result: Analytics) -> Table:
    assert result.money is not None
    kind = result.period.bucket
    table = Table(
        "cash-and-earned",
        _("Cash and earned by month") if kind == "month" else _("Cash and earned by week"),
        [_("Starting"), _("Cash received"), _("Earned")],
        ["date", "money", "money"],
        description=_("Payments minus refunds by the day received, and sessions delivered at their package's value."),
    )
    for start, cash, earned in result.money.by_bucket:
        table.rows.append([start, cash, earned])
    return table


def _bands(result: Analytics) -> Table:
    labels = band_labels()
    table = Table(
        "score-bands",
        _("Clients by overall score"),
        [_("Band"), _("Clients")],
        ["text", "count"],
        description=_("Today's active clients by the overall score of their latest assessment."),
    )
    for key, label in labels.items():
        table.rows.append([label, result.bands.get(key, 0)])
    return table


def _at_risk(result: Analytics) -> Table:
    table = Table(
        "at-risk-clients",
        _("Clients at risk"),
        [_("Client"), _("Trainer"), _("Last session"), _("Credits left")],
        ["text", "text", "date", "count"],
        description=_("Active package, but no session in the last 14 days and none booked."),
    )
    for row in result.clients.at_risk:
        last = row.last_session.date() if row.last_session else None
        table.rows.append([str(row.client), row.client.trainer.display_name, last, row.credits_left])
    return table


def _trainers(result: GymAnalytics) -> Table:
    money = result.money is not None
    headers = [
        _("Trainer"),
        _("Sessions delivered"),
        _("Hours delivered"),
        _("Utilisation"),
        _("Cancellation rate"),
        _("No-show rate"),
        _("Active clients"),
        _("Clients reassessed"),
        _("Average change: %(score)s") % {"score": SCORE_LABELS["overall"]},
    ]
    kinds = ["text", "count", "hours", "rate", "rate", "rate", "count", "count", "score"]
    if money:
        headers += [_("Cash received"), _("Earned")]
        kinds += ["money", "money"]
    table = Table(
        "trainers", _("Trainers compared"), headers, kinds, description=_("Each trainer's figures in the period.")
    )
    for row in result.trainers:
        values = [
            row.trainer.display_name,
            row.sessions.delivered,
            _hours(row.sessions.hours_delivered),
            row.utilisation,
            row.sessions.cancellation_rate,
            row.sessions.no_show_rate,
            row.active_clients,
            row.reassessed,
            row.score_change,
        ]
        if money:
            values += [row.cash, row.earned]
        table.rows.append(values)
    return table


def _revenue_by_trainer(result: GymAnalytics) -> Table:
    names = {row.trainer.pk: row.trainer.display_name for row in result.trainers}
    ids = [row.trainer.pk for row in result.trainers]
    kind = result.period.bucket
    table = Table(
        "revenue-by-trainer",
        _("Cash by month and trainer") if kind == "month" else _("Cash by week and trainer"),
        [_("Starting"), *(names[pk] for pk in ids), _("Total")],
        ["date", *(["money"] * len(ids)), "money"],
        description=_("Payments minus refunds, by the trainer credited with them."),
    )
    for start, amounts in sorted(result.revenue_by_trainer.items()):
        values = [amounts.get(pk, Decimal(0)) for pk in ids]
        table.rows.append([start, *values, sum(values, Decimal(0))])
    return table


def csv_lines(table: Table) -> Iterator[str]:
    """The table as CSV (UTF-8 with a BOM for spreadsheets). Numbers stay numbers (a refund is -50.00); text cells
    that a spreadsheet would run as a formula are escaped. Rates are fractions (0.375), dates ISO."""
    width = len(table.headers)
    return write_csv_lines(table.headers, ([_csv_value(value) for value in row[:width]] for row in table.rows))


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, date):
        return value.isoformat()
    return safe_cell(value)
