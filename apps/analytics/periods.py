"""The periods of the analytics pages, in the gym's calendar, and the buckets their charts are drawn in.

A period is a run of whole days in the gym's timezone, ``first`` to ``last`` inclusive. Its bounds are the aware
midnights that start ``first`` and follow ``last`` (so a day of 23 or 25 hours around a daylight-saving change is one
day). Every figure is compared with ``previous``: the same number of days just before.

Presets (``key``): ``week`` Monday to today, ``month`` the 1st to today, ``30d`` and ``90d`` the last 30 / 90 days
including today, ``quarter`` the calendar quarter's first day to today, ``ytd`` 1 January to today, ``12m`` the
last 365 days, ``custom`` two dates (at most ``MAX_DAYS`` apart).
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from django.utils.translation import gettext_lazy as _

from apps.core.dates import gym_timezone, gym_today

MAX_DAYS = 3 * 366
DEFAULT = "30d"
PRESETS = {
    "week": _("This week"),
    "month": _("This month"),
    "30d": _("Last 30 days"),
    "90d": _("Last 90 days"),
    "quarter": _("This quarter"),
    "ytd": _("Year to date"),
    "12m": _("Last 12 months"),
    "custom": _("Custom"),
}
# Charts of a period up to this long are drawn by week, longer ones by month.
WEEKLY_UP_TO_DAYS = 92


@dataclass(frozen=True)
class Period:
    key: str
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def previous(self) -> "Period":
        last = self.first - timedelta(days=1)
        return Period("previous", last - timedelta(days=self.days - 1), last)

    def start(self, zone: tzinfo | None = None) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=zone or gym_timezone())

    def end(self, zone: tzinfo | None = None) -> datetime:
        """The midnight after ``last`` (exclusive bound)."""
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=zone or gym_timezone())

    def dates(self) -> Iterator[date]:
        for offset in range(self.days):
            yield self.first + timedelta(days=offset)

    @property
    def bucket(self) -> str:
        """ "week" or "month": how the period's time charts are split."""
        return "week" if self.days <= WEEKLY_UP_TO_DAYS else "month"

    def buckets(self, kind: str | None = None) -> list[date]:
        """The first day of each week (Monday) or month that the period touches, oldest first."""
        kind = kind or self.bucket
        current = bucket_of(self.first, kind)
        found = []
        while current <= self.last:
            found.append(current)
            current = next_bucket(current, kind)
        return found

    @property
    def label(self) -> str:
        return str(PRESETS.get(self.key, PRESETS["custom"]))

    def query(self) -> str:
        """The URL query that gives this period back (bookmarkable)."""
        if self.key == "custom":
            return f"period=custom&from={self.first.isoformat()}&to={self.last.isoformat()}"
        return f"period={self.key}"


def bucket_of(day: date, kind: str) -> date:
    if kind == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def next_bucket(day: date, kind: str) -> date:
    if kind == "week":
        return day + timedelta(days=7)
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def preset(key: str, today: date | None = None) -> Period:
    """The preset ``key`` ending today (the gym's); an unknown key gives the default."""
    today = today or gym_today()
    if key == "week":
        first = today - timedelta(days=today.weekday())
    elif key == "month":
        first = today.replace(day=1)
    elif key == "90d":
        first = today - timedelta(days=89)
    elif key == "quarter":
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    elif key == "ytd":
        first = date(today.year, 1, 1)
    elif key == "12m":
        first = today - timedelta(days=364)
    else:
        key, first = DEFAULT, today - timedelta(days=29)
    return Period(key, first, today)


def custom(first: date, last: date) -> Period:
    return Period("custom", first, last)


class PeriodError(ValueError):
    """A custom period that cannot be read: ``errors`` maps the query's field ("from", "to") to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def period_from_query(query: Mapping[str, object], today: date | None = None) -> Period:
    """The period a page's or the API's query asks for (``period``, and ``from``/``to`` for ``custom``). An unknown
    preset falls back to the default; a custom period that cannot be read raises :class:`PeriodError` with every
    field's message at once."""
    key = str(query.get("period") or DEFAULT)
    if key != "custom":
        return preset(key, today)
    errors: dict[str, str] = {}
    first, last = _date(query.get("from") or ""), _date(query.get("to") or "")
    if first is None:
        errors["from"] = str(_("Enter the first day as YYYY-MM-DD."))
    if last is None:
        errors["to"] = str(_("Enter the last day as YYYY-MM-DD."))
    if first and last:
        if last < first:
            errors["to"] = str(_("The last day cannot be before the first."))
        elif (last - first).days + 1 > MAX_DAYS:
            errors["to"] = str(_("A period can cover at most %(days)d days.") % {"days": MAX_DAYS})
        elif first.year < 2000 or last.year > 2100:
            errors["from"] = str(_("Choose days between the years 2000 and 2100."))
    if errors:
        raise PeriodError(errors)
    assert first is not None and last is not None
    return custom(first, last)
