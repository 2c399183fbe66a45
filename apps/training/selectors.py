"""Reads of packages, sessions and payments, always through ``visible_to(actor)``."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import Count, DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate, TruncMonth

from apps.access import Actor
from apps.core.dates import gym_timezone, gym_today
from apps.core.scoping import visible_object
from apps.trainers.models import Trainer

from .models import PackageStatus, Payment, Session, SessionPackage, SessionStatus
from .permissions import can_manage_session, can_see_all_trainers, can_use_calendar, can_use_packages, can_view_calendar

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from apps.clients.models import Client
    from apps.trainers.models import PricingTemplate

    class _Money(TypedDict):
        paid_amount: Decimal
        balance_due: Decimal

    #: A package with what was paid on it and what is still due (``_with_money``).
    PackageWithMoney = WithAnnotations[SessionPackage, _Money]

MONEY_OUT = DecimalField(max_digits=15, decimal_places=3)


def _paid_subquery() -> Coalesce:
    return Coalesce(
        Subquery(
            Payment.objects.filter(package=OuterRef("pk"))
            .order_by()
            .values("package")
            .annotate(total=Sum("amount"))
            .values("total")[:1],
            output_field=MONEY_OUT,
        ),
        Value(Decimal(0)),
        output_field=MONEY_OUT,
    )


def _with_money(packages: QuerySet[SessionPackage]) -> QuerySet[PackageWithMoney]:
    return packages.annotate(paid_amount=_paid_subquery()).annotate(balance_due=F("gross_amount") - F("paid_amount"))


def package_list(
    *, actor: Actor | None, trainer_id: int | None = None, client_id: int | None = None, status: str | None = None
) -> QuerySet[PackageWithMoney]:
    if not can_use_packages(actor):
        return SessionPackage.objects.none()
    packages = SessionPackage.objects.visible_to(actor).select_related("client", "trainer__user")
    if trainer_id is not None:
        packages = packages.filter(trainer_id=trainer_id)
    if client_id is not None:
        packages = packages.filter(client_id=client_id)
    if status:
        packages = packages.filter(status=status)
    return _with_money(packages).order_by("-sold_at", "-pk")


def packages_expiring(
    *, actor: Actor | None, within_days: int, trainer_id: int | None = None, today: date | None = None
) -> QuerySet[SessionPackage]:
    """Active packages the actor sees whose last day is from today to ``within_days`` days ahead (the gym's days),
    soonest first, with client and trainer. Assistants: none (packages carry prices)."""
    if not can_use_packages(actor):
        return SessionPackage.objects.none()
    today = today or gym_today()
    packages = SessionPackage.objects.visible_to(actor).filter(
        status=PackageStatus.ACTIVE, expires_on__gte=today, expires_on__lte=today + timedelta(days=within_days)
    )
    if trainer_id is not None:
        packages = packages.filter(trainer_id=trainer_id)
    return packages.select_related("client", "trainer__user").order_by(
        "expires_on", "client__last_name", "client__first_name", "pk"
    )


def client_active_packages(*, actor: Actor | None, client: Client) -> QuerySet[SessionPackage]:
    """The client's active packages the actor sees (the client page's card), the one ending soonest first."""
    if not can_use_packages(actor):
        return SessionPackage.objects.none()
    return (
        SessionPackage.objects.visible_to(actor)
        .filter(client=client, status=PackageStatus.ACTIVE)
        .order_by(F("expires_on").asc(nulls_last=True), "pk")
    )


def payable_packages(*, actor: Actor | None, client: Client) -> QuerySet[PackageWithMoney]:
    """The client's packages with a balance due that the actor may see, newest first (with ``balance_due``)."""
    from .models import PackageStatus

    packages = package_list(actor=actor, client_id=client.pk).exclude(status=PackageStatus.CANCELLED)
    return packages.filter(balance_due__gt=Decimal(0))


def package_detail_source() -> QuerySet[PackageWithMoney]:
    """What a package's page reads: the package with its client, trainer, template and money."""
    return _with_money(
        SessionPackage.objects.select_related("client", "trainer__user", "sold_by__user", "pricing_template")
    )


def package_get(*, actor: Actor | None, pk: int) -> PackageWithMoney | None:
    return visible_object(actor, package_detail_source(), pk)


def package_balance(*, actor: Actor | None, package: SessionPackage) -> Decimal | None:
    """What is still due on ``package``: gross minus payments plus refunds (None if the actor may not see it)."""
    found = package_get(actor=actor, pk=package.pk)
    return None if found is None else found.balance_due


def package_payments(*, actor: Actor | None, package: SessionPackage) -> QuerySet[Payment]:
    if not can_use_packages(actor):
        return Payment.objects.none()
    return Payment.objects.visible_to(actor).filter(package=package).order_by("-paid_at", "-pk")


def package_sessions(*, actor: Actor | None, package: SessionPackage) -> QuerySet[Session]:
    return Session.objects.visible_to(actor).filter(package=package).select_related("client").order_by("-starts_at")


def sellable_clients(*, actor: Actor | None) -> QuerySet[Client]:
    """Clients the actor may sell to or book: their own (the owner: everyone's, of active trainers)."""
    from apps.clients.models import Client

    clients = Client.objects.visible_to(actor).filter(status="active").select_related("trainer__user")
    return clients.order_by("last_name", "first_name", "pk")


def calendar_trainers(*, actor: Actor | None) -> QuerySet[Trainer]:
    """Trainers the actor may look at in the calendar and book for: the owner all who train; an assistant those they
    assist; others themselves."""
    if not can_use_calendar(actor):
        return Trainer.objects.none()
    return Trainer.objects.pickable_by(actor)


def calendar_sessions(
    *, actor: Actor | None, first_day: date, last_day: date, trainer_id: int | None = None
) -> QuerySet[Session]:
    """Sessions visible to the actor from ``first_day`` to ``last_day`` (dates in the gym's timezone, inclusive)."""
    if not can_view_calendar(actor):
        return Session.objects.none()
    zone = gym_timezone()
    start = datetime.combine(first_day, time.min, tzinfo=zone)
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=zone)
    sessions = Session.objects.visible_to(actor).filter(starts_at__gte=start, starts_at__lt=end)
    if trainer_id is not None:
        sessions = sessions.filter(trainer_id=trainer_id)
    return sessions.select_related("client", "trainer__user", "package").order_by("starts_at", "pk")


@dataclass
class CalendarGrid:
    """A week or a month of the calendar: ``weeks`` of seven cells ``{day, sessions, summary, in_range}``.

    ``summary`` is True when the cells hold counts per trainer and day (``[{trainer, count}]``) instead of sessions:
    someone who sees several trainers and picked none would otherwise get every card of a busy gym.
    """

    view: str
    first: date
    last: date
    previous_day: date
    next_day: date
    summary: bool
    weeks: list[list[dict[str, Any]]] = field(default_factory=list)


def calendar_grid(
    *,
    actor: Actor | None,
    view: str,
    day: date,
    trainer: Trainer | None = None,
    trainers: Iterable[Trainer] | None = None,
) -> CalendarGrid:
    """The ``view`` ("week" or "month") around ``day`` of the sessions the actor sees, of ``trainer`` if given.
    ``trainers`` (those the actor may pick, or None for someone who sees only their own) switches to counts when no
    trainer is picked. Each session carries ``local_start``, ``local_end`` and ``can_manage``."""
    if view == "month":
        first = day.replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        grid_first = first - timedelta(days=first.weekday())
        grid_last = last + timedelta(days=6 - last.weekday())
        previous_day, next_day = (first - timedelta(days=1)).replace(day=1), last + timedelta(days=1)
    else:
        view = "week"
        first = grid_first = day - timedelta(days=day.weekday())
        last = grid_last = first + timedelta(days=6)
        previous_day, next_day = first - timedelta(days=7), first + timedelta(days=7)
    from .services.sessions import can_undo

    zone = gym_timezone()
    by_day: dict[date, list[Session]]
    summary_by_day: dict[date, list[dict[str, Any]]]
    by_day, summary_by_day = {}, {}
    summary = trainers is not None and trainer is None
    if summary:
        counts = calendar_day_counts(actor=actor, first_day=grid_first, last_day=grid_last)
        # ``summary`` implies that ``trainers`` is not None.
        order = {member.pk: (position, member) for position, member in enumerate(cast("Iterable[Trainer]", trainers))}
        for (count_day, trainer_id), count in sorted(counts.items(), key=lambda item: order.get(item[0][1], (0,))[0]):
            if trainer_id in order:
                summary_by_day.setdefault(count_day, []).append({"trainer": order[trainer_id][1], "count": count})
    else:
        sessions = calendar_sessions(
            actor=actor, first_day=grid_first, last_day=grid_last, trainer_id=trainer.pk if trainer else None
        )
        session: Any  # given the display attributes the template reads
        for session in sessions:
            session.local_start = session.starts_at.astimezone(zone)
            session.local_end = session.ends_at.astimezone(zone)
            session.can_manage = can_manage_session(actor, session)
            session.can_undo = session.can_manage and can_undo(session)
            by_day.setdefault(session.local_start.date(), []).append(session)
    days = [grid_first + timedelta(days=n) for n in range((grid_last - grid_first).days + 1)]
    cells = [
        {"day": d, "sessions": by_day.get(d, []), "summary": summary_by_day.get(d, []), "in_range": first <= d <= last}
        for d in days
    ]
    return CalendarGrid(
        view=view,
        first=first,
        last=last,
        previous_day=previous_day,
        next_day=next_day,
        summary=summary,
        weeks=[cells[i : i + 7] for i in range(0, len(cells), 7)],
    )


# --- the time grid (day and week) ----------------------------------------------------------------------


@dataclass
class GridBlock:
    """Something drawn in a column of the time grid, ``top`` and ``height`` in percent of the column."""

    top: float
    height: float
    start: time
    end: time | None = None  # None: the end of the day
    available: bool = False  # a free hour inside the trainer's availability
    past: bool = False


@dataclass
class GridColumn:
    """One day of one trainer: availability as background blocks, time off, the sessions placed by time, and a free
    hour for every hour without a session (a link to book it)."""

    day: date
    trainer: Trainer
    is_today: bool
    available: list[GridBlock] = field(default_factory=list)
    time_off: Any = None  # the TimeOff covering the day, if any
    sessions: list[Any] = field(default_factory=list)
    free_hours: list[GridBlock] = field(default_factory=list)

    @property
    def bookable_hours(self) -> list[GridBlock]:
        """Free hours inside the trainer's availability: what the phone's list offers to book."""
        return [hour for hour in self.free_hours if hour.available and not hour.past]


@dataclass
class TimeGrid:
    """The day or week as a time grid: hours down, ``columns`` across (days of one trainer, or one day's trainers
    side by side when ``by_trainer``)."""

    view: str
    first: date
    last: date
    previous_day: date
    next_day: date
    first_hour: int
    last_hour: int
    by_trainer: bool
    columns: list[GridColumn]

    @property
    def hours(self) -> list[GridBlock]:
        span = self.last_hour - self.first_hour
        return [
            GridBlock(
                top=round(100 * (hour - self.first_hour) / span, 3), height=round(100 / span, 3), start=time(hour)
            )
            for hour in range(self.first_hour, self.last_hour)
        ]

    @property
    def hour_count(self) -> int:
        return self.last_hour - self.first_hour


def _wall_minutes(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute


def calendar_time_grid(
    *,
    actor: Actor | None,
    view: str,
    day: date,
    trainer: Trainer | None = None,
    trainers: Iterable[Trainer] | None = None,
) -> TimeGrid:
    """The ``view`` ("day" or "week") around ``day`` as a time grid.

    Whose columns: ``trainer`` if given; else the trainers the actor may pick (``trainers``, or the actor themself
    for someone who sees only their own). A week shows one trainer's seven days; a day shows every such trainer side
    by side. Sessions carry ``local_start``, ``local_end``, ``top``, ``height``, ``can_manage``, ``can_undo`` and
    ``outside_hours`` (not cancelled, yet outside the trainer's availability or on time off). Five queries at most,
    whatever the number of sessions and trainers."""
    from apps.trainers.selectors.availability import GRID_FIRST_HOUR, GRID_LAST_HOUR, minutes_of_day, working_hours

    from .services.sessions import can_undo

    zone = gym_timezone()
    now = datetime.now(zone)
    today = now.date()
    if view == "day":
        first = last = day
        previous_day, next_day = day - timedelta(days=1), day + timedelta(days=1)
    else:
        view = "week"
        first = day - timedelta(days=day.weekday())
        last = first + timedelta(days=6)
        previous_day, next_day = first - timedelta(days=7), first + timedelta(days=7)
    if trainer is not None:
        people = [trainer]
    else:
        people = list(trainers) if trainers is not None else list(calendar_trainers(actor=actor))
    if view == "week":
        people = people[:1]
    by_trainer = view == "day"
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    hours = working_hours(actor=actor, trainer_ids=[p.pk for p in people], first_day=first, last_day=last)
    # Given the display attributes the template reads.
    sessions: list[Any] = list(
        calendar_sessions(actor=actor, first_day=first, last_day=last).filter(trainer_id__in=[p.pk for p in people])
    )

    # The hours shown: 06-22 at least, more when a slot or a session lies outside them.
    starts = [minutes_of_day(slot.starts_at) for slots in hours.slots.values() for slot in slots]
    ends = [minutes_of_day(slot.ends_at) for slots in hours.slots.values() for slot in slots]
    for session in sessions:
        session.local_start = session.starts_at.astimezone(zone)
        session.local_end = session.ends_at.astimezone(zone)
        starts.append(_wall_minutes(session.local_start))
        same_day = session.local_end.date() == session.local_start.date()
        ends.append(_wall_minutes(session.local_end) if same_day else 24 * 60)
    first_hour = min([GRID_FIRST_HOUR * 60, *starts]) // 60
    last_hour = -(-max([GRID_LAST_HOUR * 60, *ends]) // 60)
    span = (last_hour - first_hour) * 60

    def block(start_minute: int, end_minute: int) -> GridBlock:
        end_minute = min(max(end_minute, start_minute), last_hour * 60)
        return GridBlock(
            top=round(100 * (start_minute - first_hour * 60) / span, 3),
            height=round(100 * (end_minute - start_minute) / span, 3),
            start=time(start_minute // 60, start_minute % 60),
            end=None if end_minute >= 24 * 60 else time(end_minute // 60, end_minute % 60),
        )

    columns: dict[tuple[date, int], GridColumn] = {}
    ordered: list[GridColumn] = []
    pairs = [(d, p) for p in people for d in days] if not by_trainer else [(d, p) for d in days for p in people]
    for column_day, person in pairs:
        column = GridColumn(day=column_day, trainer=person, is_today=column_day == today)
        column.time_off = hours.time_off_on(person.pk, column_day)
        column.available = [block(start, end) for start, end in hours.windows(person.pk, column_day)]
        columns[(column_day, person.pk)] = column
        ordered.append(column)

    for session in sessions:
        home = columns.get((session.local_start.date(), session.trainer_id))
        if home is None:
            continue
        start_minute = _wall_minutes(session.local_start)
        same_day = session.local_end.date() == session.local_start.date()
        end_minute = _wall_minutes(session.local_end) if same_day else 24 * 60
        placed = block(start_minute, end_minute)
        session.top, session.height = placed.top, placed.height
        session.can_manage = can_manage_session(actor, session)
        session.can_undo = session.can_manage and can_undo(session, now)
        session.outside_hours = session.status != SessionStatus.CANCELLED and not hours.covers(
            session.trainer_id, home.day, start_minute, end_minute
        )
        session.earlier_times = [
            datetime.fromisoformat(entry["starts_at"]).astimezone(zone) for entry in session.previous_times
        ]
        home.sessions.append(session)

    for column in ordered:
        taken = [
            (_wall_minutes(s.local_start), _wall_minutes(s.local_end) if s.local_end.date() == column.day else 24 * 60)
            for s in column.sessions
            if s.status != SessionStatus.CANCELLED
        ]
        windows = hours.windows(column.trainer.pk, column.day)
        for hour in range(first_hour, last_hour):
            start_minute, end_minute = hour * 60, hour * 60 + 60
            if any(start < end_minute and start_minute < end for start, end in taken):
                continue
            free = block(start_minute, end_minute)
            free.available = any(start <= start_minute and end_minute <= end for start, end in windows)
            free.past = datetime.combine(column.day, time(hour), tzinfo=zone) < now
            column.free_hours.append(free)
    return TimeGrid(
        view=view,
        first=first,
        last=last,
        previous_day=previous_day,
        next_day=next_day,
        first_hour=first_hour,
        last_hour=last_hour,
        by_trainer=by_trainer,
        columns=ordered,
    )


def calendar_day_counts(*, actor: Actor | None, first_day: date, last_day: date) -> dict[tuple[date, int], int]:
    """``{(day, trainer_id): count}`` of the sessions the actor sees, per gym day and trainer (not cancelled).

    The all-trainers calendar shows these counts instead of every session: an owner of a busy gym would
    otherwise get a page of thousands of cards (352 ms p95 for 20 trainers, see docs/benchmarks.md).
    """
    zone = gym_timezone()
    sessions = calendar_sessions(actor=actor, first_day=first_day, last_day=last_day).exclude(
        status=SessionStatus.CANCELLED
    )
    rows = (
        sessions.order_by()
        .annotate(day=TruncDate("starts_at", tzinfo=zone))
        .values("day", "trainer_id")
        .annotate(count=Count("pk"))
    )
    return {(row["day"], row["trainer_id"]): row["count"] for row in rows}


def revenue_by_trainer_month(
    *,
    actor: Actor | None,
    since: datetime | None = None,
    until: datetime | None = None,
    trainer_id: int | None = None,
) -> list[dict[str, Any]]:
    """Rows ``{trainer_id, month, amount, fees}``: payments minus refunds per trainer credited with them
    (``Payment.trainer``, as in the analytics) and per month of the gym's calendar (``month`` is the first day,
    aware in the gym's timezone)."""
    if not can_use_packages(actor):
        return []
    payments = Payment.objects.visible_to(actor)
    if trainer_id is not None:
        payments = payments.filter(package__trainer_id=trainer_id)
    if since is not None:
        payments = payments.filter(paid_at__gte=since)
    if until is not None:
        payments = payments.filter(paid_at__lt=until)
    return list(
        payments.annotate(month=TruncMonth("paid_at", tzinfo=gym_timezone()))
        .values("month", "trainer_id")
        .annotate(amount=Sum("amount"), fees=Sum("fee_amount"))
        .order_by("month", "trainer_id")
    )


def session_list(*, actor: Actor | None) -> QuerySet[Session]:
    """Every session the actor sees (the owner all, trainers their own, assistants their trainers'), with client,
    trainer and package, by start."""
    return (
        Session.objects.visible_to(actor)
        .select_related("client", "trainer__user", "package")
        .order_by("starts_at", "pk")
    )


def session_source() -> QuerySet[Session]:
    """What a session's page or API answer reads: the session with its client, trainer and package."""
    return Session.objects.select_related("client", "trainer__user", "package")


def session_get(*, actor: Actor | None, pk: int) -> Session | None:
    return visible_object(actor, session_source(), pk)


def package_filter_trainers(*, actor: Actor | None) -> QuerySet[Trainer]:
    """Trainers the owner can filter the package list by (others see only their own packages)."""
    if not can_see_all_trainers(actor):
        return Trainer.objects.none()
    return Trainer.objects.pickable_by(actor, include_inactive=True)


def schedulable_packages(*, actor: Actor | None) -> QuerySet[SessionPackage]:
    """Active packages with credit left that the actor may book sessions on."""

    return (
        SessionPackage.objects.bookable_by(actor)
        .select_related("client")
        .order_by("client__last_name", "client__first_name", "name", "pk")
    )


def session_packages(*, actor: Actor | None, session: Session) -> QuerySet[SessionPackage]:
    """The packages a session of this client may be moved onto: the client's bookable ones and its own."""
    from django.db.models import Q

    bookable = SessionPackage.objects.bookable_by(actor).filter(client_id=session.client_id)
    return (
        SessionPackage.objects.filter(Q(pk__in=bookable.values("pk")) | Q(pk=session.package_id))
        .select_related("client")
        .order_by("name", "pk")
    )


def earlier_times(session: Session) -> list[dict[str, Any]]:
    """Where the session was before each move, oldest first: ``{starts_at (the gym's time), duration_minutes}``."""
    zone = gym_timezone()
    return [
        {
            "starts_at": datetime.fromisoformat(entry["starts_at"]).astimezone(zone),
            "duration_minutes": entry["duration_minutes"],
        }
        for entry in session.previous_times
    ]


def sellable_templates(*, actor: Actor | None) -> QuerySet[PricingTemplate]:
    from apps.trainers.models import PricingTemplate

    if not can_use_packages(actor):
        return PricingTemplate.objects.none()
    return (
        PricingTemplate.objects.visible_to(actor)
        .filter(is_active=True)
        .select_related("trainer__user")
        .order_by("trainer__user__full_name", "name", "pk")
    )


def sellable_template(*, actor: Actor | None, pk: object) -> PricingTemplate | None:
    """One template of ``sellable_templates`` by its id (as typed: None for anything but a known id)."""
    try:
        pk = int(str(pk))
    except ValueError:
        return None
    return sellable_templates(actor=actor).filter(pk=pk).first()


@dataclass(frozen=True)
class Receipt:
    """A payment as its receipt shows it: its share of the package's VAT (in proportion to the gross) and the card
    fee recorded with it. A refund's figures are negative."""

    payment: Payment
    currency: str
    amount: Decimal
    net: Decimal
    vat: Decimal
    fee: Decimal


def payment_receipt(*, actor: Actor | None, pk: int) -> Receipt | None:
    """The receipt of payment ``pk``, or None when the actor may not see it (or it does not exist). One query."""
    from apps.core.money import quantize_money

    if not can_use_packages(actor):
        return None
    payments = Payment.objects.visible_to(actor).select_related("client", "package", "trainer__user")
    payment = payments.filter(pk=pk).first()
    if payment is None:
        return None
    package = payment.package
    currency = package.currency
    vat = Decimal(0)
    if package.gross_amount:
        vat = quantize_money(payment.amount * package.vat_amount / package.gross_amount, currency)
    return Receipt(
        payment=payment,
        currency=currency,
        amount=payment.amount,
        net=payment.amount - vat,
        vat=vat,
        fee=payment.fee_amount,
    )


def payment_list(*, actor: Actor | None, trainer_id: int | None = None) -> QuerySet[Payment]:
    """Payments and refunds the actor may see, newest first, with their package, client and trainer."""
    if not can_use_packages(actor):
        return Payment.objects.none()
    payments = Payment.objects.visible_to(actor).select_related("client", "package__trainer__user")
    if trainer_id is not None:
        payments = payments.filter(package__trainer_id=trainer_id)
    return payments.order_by("-paid_at", "-pk")


def revenue_table(*, actor: Actor | None, months: int = 12, trainer_id: int | None = None) -> list[dict[str, Any]]:
    """The last ``months`` months of ``revenue_by_trainer_month`` with trainer names: rows of
    ``{month, trainer, amount, fees}`` newest month first. Two queries."""
    from apps.core.dates import gym_month_start

    start = gym_month_start()
    for _ in range(months - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    rows = revenue_by_trainer_month(actor=actor, since=start, trainer_id=trainer_id)
    names = {
        trainer.pk: trainer.display_name
        for trainer in Trainer.objects.filter(pk__in={row["trainer_id"] for row in rows}).select_related("user")
    }
    return [
        {**row, "month": row["month"].astimezone(gym_timezone()), "trainer": names.get(row["trainer_id"], "")}
        for row in sorted(rows, key=lambda row: (row["month"], names.get(row["trainer_id"], "")), reverse=True)
    ]
