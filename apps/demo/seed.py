"""Demo content for `make run`: a team with profiles, hours, prices, and a small studio's last nine months.

Goes through the real services wherever it can, so the demo shows what the product really does: clients,
packages, payments, refunds, assessments and the sessions of the last weeks (and those booked ahead) are written
by their services, each "as of" the moment it happened (``now=`` when a session is closed, ``paid_at`` for
payments). Older sessions are written in bulk by the same rules (see ``THROUGH_SERVICES_DAYS``): a service call per
session for nine months would make ``setup_demo`` take half a minute. What the services stamp with the present
moment (a package's sale, a session's creation and status change, a client's creation, the audit entries) is moved
back to when it happened afterwards, on the rows of this fresh demo gym only.

The history is relative to today in the gym's timezone and deterministic (one ``random.Random`` with a fixed seed):
clients start in different months, train at fixed weekly hours, buy a new package when the last is used up, some
cancel or miss sessions, a few stop coming (churn) and a few go quiet with credits left (at risk); the next two
weeks are booked. Assessments every three months or so show the clients getting fitter.
"""

import random
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from apps.assessments.models import Assessment
from apps.assessments.services import assessment_create
from apps.audit.models import AuditEntry
from apps.clients.models import SCREENING_KEYS, Client
from apps.clients.services import client_archive, client_create, screening_update
from apps.core.dates import gym_timezone, gym_today
from apps.trainers.models import AssistantLink, PricingTemplate, Specialty, Trainer
from apps.trainers.services import availability, pricing, profile
from apps.trainers.services.assistants import assistant_set_trainers
from apps.trainers.services.specialties import specialty_create
from apps.training.models import (
    Cancellation,
    PackageStatus,
    Payment,
    PaymentMethod,
    Session,
    SessionPackage,
    SessionStatus,
)
from apps.training.services.packages import package_cancel, package_sell, packages_expire
from apps.training.services.payments import payment_record, payment_refund
from apps.training.services.sessions import (
    is_late_cancellation,
    session_cancel,
    session_complete,
    session_no_show,
    session_schedule,
)
from tenants.models import Role

SPECIALTIES = ["Strength", "Mobility", "Weight loss", "Rehabilitation", "Pilates"]
PROFILES = {
    Role.OWNER: {
        "bio": "Founded the studio in 2015. Strength and conditioning for busy professionals.",
        "years_of_experience": 14,
        "languages": ["English", "한국어"],
        "specialties": ["Strength", "Weight loss"],
        "tags": ["kettlebells"],
    },
    Role.SENIOR: {
        "bio": "Former physiotherapy assistant; mobility and return-to-training after injury.",
        "years_of_experience": 9,
        "languages": ["English"],
        "specialties": ["Mobility", "Rehabilitation"],
        "tags": ["posture"],
    },
    Role.TRAINER: {
        "bio": "Helps beginners build a habit: three sessions a week, measurable progress every month.",
        "years_of_experience": 4,
        "languages": ["한국어", "English"],
        "specialties": ["Weight loss", "Pilates"],
        "tags": ["beginners"],
    },
}
# Weekly availability of every coaching trainer (weekdays): sessions are booked on these hours (one hour each).
MORNING, AFTERNOON = (time(9), time(12)), (time(14), time(20))
SESSION_HOURS = [9, 10, 11, 14, 15, 16, 17, 18, 19]
SATURDAY = 5
SATURDAY_HOURS = [10, 11]  # outside the availability: booked with confirm_unavailable


@dataclass(frozen=True)
class Plan:
    """How a demo client trains. ``start`` weeks ago they begin, ``per_week`` sessions at fixed hours (every
    ``every`` weeks), buying ``pack``-session packages. ``ending``: "ongoing"; "churn" (stops ``stop`` weeks ago, the
    credits left expire); "refund" (moves away at the first visit after ``stop`` weeks ago with 4 credits or more left:
    those are refunded, the package cancelled, the client archived); "at_risk" (last came ``quiet`` days ago, credits
    left, nothing booked).

    Every other week (``every=2``), a 10-session package outlives its 90 days: it expires with credits left and the
    next is bought at the next visit, so such a client's current package is as old as their history modulo about
    three months: ``start`` 12 or 24 weeks ago puts its expiry in the coming month whatever today is."""

    start: int
    per_week: int
    pack: int = 10
    ending: str = "ongoing"
    stop: int = 0
    quiet: int = 0
    saturday: bool = False  # one weekly session on Saturday morning, outside the availability
    every: int = 1
    skip: float = 0.06  # share of sessions skipped (holidays, illness): not booked at all
    owes: bool = False  # the current package is half paid
    screening_flag: bool = False  # answered "yes" to a screening question: shows the medical-clearance warning


# The clients of each coaching trainer: the first ones of each are the demo's long-standing clients.
CLIENTS = {
    Role.OWNER: [
        ("Minji", "Kim", "female", Plan(41, 2, 20)),
        ("Daniel", "Park", "male", Plan(40, 2, 20, saturday=True, screening_flag=True)),
        ("Sofia", "Rossi", "female", Plan(39, 3, 20)),
        ("Liam", "O'Brien", "male", Plan(37, 2, ending="churn", stop=16)),
        ("Aiko", "Tanaka", "female", Plan(36, 2, 20)),
        ("Ji-ho", "Shin", "male", Plan(32, 2)),
        ("Lucas", "Martin", "male", Plan(26, 2, ending="at_risk", quiet=24)),
        ("Priya", "Sharma", "female", Plan(24, 1, every=2, skip=0)),
        ("Da-eun", "Oh", "female", Plan(30, 2)),
        ("Oliver", "Smith", "male", Plan(11, 2)),
    ],
    Role.SENIOR: [
        ("Hannah", "Lee", "female", Plan(41, 2, 20)),
        ("Joon", "Choi", "male", Plan(40, 2, saturday=True, screening_flag=True)),
        ("Emily", "Jung", "female", Plan(39, 2, 20)),
        ("Mateo", "García", "male", Plan(37, 2, ending="refund", stop=14)),
        ("Freya", "Larsen", "female", Plan(34, 3, 20)),
        ("Chloé", "Dubois", "female", Plan(31, 2)),
        ("Noah", "Schmidt", "male", Plan(28, 3, 20)),
        ("Ananya", "Iyer", "female", Plan(22, 2, ending="at_risk", quiet=30)),
        ("Ethan", "Nguyen", "male", Plan(15, 2, owes=True)),
        ("Yuna", "Baek", "female", Plan(7, 2)),
    ],
    Role.TRAINER: [
        ("Seo-yeon", "Han", "female", Plan(41, 3, 20)),
        ("Marcus", "Yoon", "male", Plan(40, 3, screening_flag=True)),
        ("Grace", "Lim", "female", Plan(39, 2, ending="churn", stop=15)),
        ("Tom", "Kang", "male", Plan(38, 2, saturday=True)),
        ("Olivia", "Brown", "female", Plan(35, 2, 20)),
        ("Lukas", "Novak", "male", Plan(33, 2, ending="churn", stop=20)),
        ("Amara", "Okafor", "female", Plan(31, 2)),
        ("Hyun-woo", "Jang", "male", Plan(24, 2, ending="at_risk", quiet=17)),
        ("Isabella", "Costa", "female", Plan(12, 1, every=2, skip=0)),
        ("Mei", "Chen", "female", Plan(4, 3)),
    ],
}
GOALS = [
    "Get stronger and move without pain.",
    "Lose 5 kg before the summer and keep it off.",
    "Back to running after a knee injury.",
    "Better posture at the desk; fewer headaches.",
    "Build a habit: two sessions a week, every week.",
    "Prepare for a first half marathon.",
]
# Summer week off of each trainer (weeks ago, Monday to Friday): no sessions then.
HOLIDAYS = {Role.OWNER: 22, Role.SENIOR: 18, Role.TRAINER: 26}
BOOKED_AHEAD_DAYS = 14
# Sessions of the last weeks (and those booked ahead) go through the session services one by one, with their audit
# entries; the older ones are written in bulk by the same rules (outcome, credit, late or not), which keeps
# setup_demo fast (a service call per session for nine months takes half a minute).
THROUGH_SERVICES_DAYS = 35
# Share of past sessions by outcome (the rest are completed).
OUTCOMES = [("cancel_client", 0.06), ("cancel_late", 0.03), ("cancel_trainer", 0.02), ("no_show", 0.03)]
SEED = 2026


def demo_results(progress, body_weight):
    """A full assessment; ``progress`` 1 is the same client a few months later than 0, a little fitter (below 0:
    less fit)."""
    return {
        "deep_squat": {
            "raw": {"compensations": [] if progress > 0 else ["knees_valgus"], "heel_lift_compensations": []}
        },
        "shoulder_mobility": {
            "raw": {
                "left_cm": round(14 - 2 * progress, 1),
                "right_cm": round(22 - 4 * progress, 1),
                "hand_length_cm": 18,
            }
        },
        "sit_and_reach": {"raw": {"reach_cm": round(27 + 4 * progress, 1)}, "protocol": {"box_zero_offset_cm": 23}},
        "push_ups": {"raw": {"reps": round(14 + 6 * progress)}, "protocol": {"variant": "standard"}},
        "farmers_carry": {
            "raw": {
                "load_kg": round(40 + 10 * progress, 1),
                "body_weight_kg": float(body_weight),
                "distance_m": 40,
                "time_s": 38,
            }
        },
        "balance_eyes_open": {"raw": {"left_s": round(30 + 8 * progress, 1), "right_s": round(28 + 9 * progress, 1)}},
        "balance_eyes_closed": {"raw": {"left_s": round(6 + 2 * progress, 1), "right_s": round(5 + 3 * progress, 1)}},
        "step_test": {
            "raw": {"recovery_hr_bpm": round(118 - 12 * progress)},
            "protocol": {"protocol": "ymca", "step_height_cm": 30.5},
        },
    }


def seed_demo_content():
    if Specialty.objects.exists():
        return False  # seeded before: leave whatever the demo users changed
    with transaction.atomic():
        _seed()
    return True


def _seed():
    trainers = {trainer.role: trainer for trainer in Trainer.objects.select_related("user")}
    owner = trainers[Role.OWNER]
    specialties = {name: specialty_create(actor=owner, name=name) for name in SPECIALTIES}
    for role, details in PROFILES.items():
        trainer = trainers[role]
        profile.profile_update(
            actor=trainer,
            trainer=trainer,
            bio=details["bio"],
            years_of_experience=details["years_of_experience"],
            languages=details["languages"],
            specialties=[specialties[name] for name in details["specialties"]],
            tags=details["tags"],
        )
        profile.certification_create(
            actor=trainer,
            trainer=trainer,
            name="NSCA Certified Personal Trainer",
            issuing_body="NSCA",
            earned_on=date(2019, 3, 1),
            expires_on=date(2029, 3, 1),
        )
        for weekday in range(5):
            for starts_at, ends_at in (MORNING, AFTERNOON):
                availability.availability_slot_add(
                    actor=trainer, trainer=trainer, weekday=weekday, starts_at=starts_at, ends_at=ends_at
                )
        for name, sessions, price, days in [("10 sessions", 10, "600000", 90), ("20 sessions", 20, "1100000", 180)]:
            pricing.pricing_template_create(
                actor=trainer, trainer=trainer, name=name, sessions=sessions, price=Decimal(price), validity_days=days
            )
    profile.certification_create(
        actor=trainers[Role.TRAINER],
        trainer=trainers[Role.TRAINER],
        name="First Aid and CPR",
        issuing_body="Red Cross",
        earned_on=date(2021, 5, 10),
        expires_on=date(2023, 5, 10),
    )
    today = gym_today()
    days_off = {role: [] for role in CLIENTS}
    for role, weeks_ago in HOLIDAYS.items():
        monday = _monday(today) - timedelta(weeks=weeks_ago)
        availability.time_off_add(
            actor=trainers[role],
            trainer=trainers[role],
            starts_on=monday,
            ends_on=monday + timedelta(days=4),
            reason="Summer holiday",
        )
        days_off[role].append((monday, monday + timedelta(days=4)))
    conference = (today + timedelta(days=14), today + timedelta(days=18))
    availability.time_off_add(
        actor=trainers[Role.TRAINER],
        trainer=trainers[Role.TRAINER],
        starts_on=conference[0],
        ends_on=conference[1],
        reason="Conference",
    )
    days_off[Role.TRAINER].append(conference)

    # The assistant helps the trainer and the senior, so their login shows clients and sessions but no money.
    assistant_set_trainers(
        actor=owner, assistant=trainers[Role.ASSISTANT], trainers=[trainers[Role.TRAINER], trainers[Role.SENIOR]]
    )

    history = _History()
    for role, clients in CLIENTS.items():
        trainer = trainers[role]
        templates = {t.sessions: t for t in PricingTemplate.objects.filter(trainer=trainer)}
        taken: set[tuple[int, int]] = set()
        booked: set[datetime] = set()
        for first, last, sex, plan in clients:
            history.client(trainer, templates, first, last, sex, plan, taken, booked, days_off[role])
    history.backdate()


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


class _History:
    """Writes each client's months (through the services, older sessions in bulk) and remembers when each thing
    happened, to move the service-stamped times back to then at the end (``backdate``)."""

    def __init__(self):
        self.rng = random.Random(SEED)
        self.zone = gym_timezone()
        self.today = gym_today()
        self.now = timezone.now()
        self.cutoff = self.now - timedelta(days=THROUGH_SERVICES_DAYS)
        self.clients: dict[int, datetime] = {}  # client id -> created at
        self.archived: dict[int, datetime] = {}
        self.packages: dict[int, tuple[datetime, date]] = {}  # package id -> (sold at, expires on)
        self.sessions: dict[int, tuple[datetime, datetime | None, str]] = {}  # id -> (created, changed, action)
        self.assessments: dict[int, datetime] = {}
        self.cancelled_packages: dict[int, datetime] = {}

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.zone)

    # --- one client ----------------------------------------------------------------------------------------------

    def client(self, trainer, templates, first, last, sex, plan, taken, booked, days_off):
        # A generator per client: the same history for a client whatever the others do, and every random draw made
        # whether a session is past or ahead, so that the time of day changes nothing but what is past.
        rng = self.rng = random.Random(f"{SEED}:{first} {last}")
        slots = self._weekly_slots(plan, taken)
        start_day = _monday(self.today) - timedelta(weeks=plan.start) + timedelta(days=slots[0][0])
        last_day = self.today + timedelta(days=BOOKED_AHEAD_DAYS - 1)
        stop_day = _monday(self.today) - timedelta(weeks=plan.stop) + timedelta(days=4)
        if plan.ending == "churn":
            last_day = stop_day
        elif plan.ending == "refund":
            last_day = stop_day + timedelta(weeks=4)  # leaves at the first visit after stop_day with 4+ credits left
        elif plan.ending == "at_risk":
            last_day = self.today - timedelta(days=plan.quiet)
        occurrences = self._occurrences(plan, slots, start_day, last_day, booked, days_off)

        born = date(self.today.year - rng.randint(24, 58), rng.randint(1, 12), rng.randint(1, 28))
        height = rng.randint(158, 172) if sex == "female" else rng.randint(168, 186)
        weight = Decimal(rng.randint(50, 68) if sex == "female" else rng.randint(68, 95)) + Decimal(
            "0.5"
        ) * rng.randint(0, 1)
        handle = unicodedata.normalize("NFKD", f"{first}.{last}".lower()).encode("ascii", "ignore").decode()
        handle = handle.replace("'", "").replace(" ", "")
        client = client_create(
            actor=trainer,
            first_name=first,
            last_name=last,
            date_of_birth=born,
            sex=sex,
            height_cm=height,
            weight_kg=weight,
            email=f"{handle}@example.com",
            phone=f"010-{rng.randint(2000, 9999)}-{rng.randint(1000, 9999)}",
            goals=rng.choice(GOALS),
        )
        joined = occurrences[0] - timedelta(days=rng.randint(2, 9), hours=rng.randint(0, 5))
        self.clients[client.pk] = joined
        client = screening_update(
            actor=trainer,
            client=client,
            answers={key: plan.screening_flag and key == "bone_joint" for key in SCREENING_KEYS},
            consent=True,
        )

        package, left, expires = None, 0, None
        sold = []  # (package, sold at): paid for once the client's history is known
        delivered = []  # starts of completed sessions: assessments are done in them
        older = []  # sessions before the cut-off, written together (``_write_older``)
        last_visit = occurrences[0] - timedelta(days=1)
        for number, starts_at in enumerate(occurrences):
            day = starts_at.date()
            is_past = starts_at + timedelta(hours=1) <= self.now
            if plan.ending == "refund" and day > stop_day and left >= 4:
                break
            if package is None or left <= 0 or day > expires:
                if plan.ending == "churn" and package is not None and number >= len(occurrences) - 3:
                    break  # about to leave: no new package for the last few sessions
                size = plan.pack if sold else 10  # the first package is a 10-pack
                # At the reception before the session; for one booked ahead, at the end of the last visit.
                sold_at = starts_at - timedelta(minutes=30) if is_past else last_visit + timedelta(minutes=65)
                package, expires = self._sell(trainer, client, templates[size], sold_at)
                sold.append((package, sold_at))
                left = size
            if is_past:
                last_visit = starts_at
            created = max(starts_at - timedelta(days=rng.randint(3, 8)), joined + timedelta(minutes=10))
            booked_ahead = min(created, self.now - timedelta(hours=rng.randint(1, 96)))
            outcome = self._outcome(first=number == 0, last=number == len(occurrences) - 1)
            when = self._when(outcome, starts_at)
            if is_past and starts_at < self.cutoff:
                session, used = self._older_session(trainer, client, package, starts_at, outcome, when)
                session.created_at = min(created, when - timedelta(hours=1))
                older.append(session)
            else:
                self._write_older(older)
                session = session_schedule(
                    actor=trainer,
                    client=client,
                    starts_at=starts_at,
                    package=package,
                    confirm_unavailable=day.weekday() >= SATURDAY,
                )
                if is_past:
                    used, action = self._close(trainer, session, outcome, when)
                    self.sessions[session.pk] = (min(created, when - timedelta(hours=1)), when, action)
                else:  # booked at the end of a visit or on the phone, in the last days
                    self.sessions[session.pk] = (max(booked_ahead, joined + timedelta(minutes=10)), None, "")
                    used = 1  # booked on the package
            left -= used
            if is_past and outcome == "complete":
                delivered.append(starts_at)
        self._write_older(older)

        if plan.ending in ("at_risk", "refund") and (left <= 0 or plan.ending == "at_risk" and expires <= self.today):
            # Bought another package on the last visit, then stopped coming (or moved away).
            sold_at = delivered[-1] + timedelta(hours=1)
            package, expires = self._sell(trainer, client, templates[10], sold_at)
            sold.append((package, sold_at))
            left = 10
        for index, (bought, sold_at) in enumerate(sold):
            latest = index == len(sold) - 1
            self._pay(trainer, bought, sold_at, owes=plan.owes and latest, whole=plan.ending == "refund" and latest)
        if plan.ending == "refund":
            self._refund(trainer, client, package, left, delivered[-1])
        self._assess(trainer, client, delivered, weight, plan)

    def _weekly_slots(self, plan: Plan, taken: set[tuple[int, int]]) -> list[tuple[int, int]]:
        """``per_week`` (weekday, hour) of the trainer not yet given to another client, the same hour if possible."""
        rng = self.rng
        patterns = {1: [(0,), (1,), (2,), (3,), (4,)], 2: [(0, 2), (0, 3), (1, 3), (1, 4), (2, 4)], 3: [(0, 2, 4)]}
        options = patterns[plan.per_week][:]
        rng.shuffle(options)
        hours = SESSION_HOURS[:]
        rng.shuffle(hours)
        for days in options:
            if plan.saturday:
                days = (*days[:-1], SATURDAY)
            for hour in hours:
                wanted = [(day, SATURDAY_HOURS[hour % 2] if day == SATURDAY else hour) for day in days]
                if not taken.intersection(wanted):
                    taken.update(wanted)
                    return wanted
        wanted = []  # no hour free on all the days: different hours on different days
        for day in options[0]:
            wanted.append((day, next(hour for hour in hours if (day, hour) not in taken)))
        taken.update(wanted)
        return wanted

    def _occurrences(self, plan, slots, start_day, last_day, booked, days_off) -> list[datetime]:
        """The sessions a client's weekly hours give from ``start_day`` to ``last_day``: one skipped now and then
        (holidays, illness), some moved by an hour, none on the trainer's days off; when another client took the hour,
        the nearest free one. A client at risk comes steadily until their last visit (``quiet`` days ago)."""
        rng = self.rng
        found = []
        monday = _monday(start_day)
        steady_from = last_day - timedelta(days=14) if plan.ending == "at_risk" else last_day + timedelta(days=1)
        week = 0
        while monday <= last_day:
            for weekday, hour in slots if week % plan.every == 0 else ():
                day = monday + timedelta(days=weekday)
                if day < start_day or day > last_day or any(a <= day <= b for a, b in days_off):
                    continue
                if day < steady_from and rng.random() < plan.skip:
                    continue
                wanted = [hour]
                if weekday < SATURDAY and rng.random() < 0.12:
                    wanted.insert(0, hour + rng.choice((-1, 1)))  # moved by an hour this week
                usual = SESSION_HOURS if weekday < SATURDAY else SATURDAY_HOURS
                wanted += sorted(usual, key=lambda other: abs(other - hour))  # or the nearest free hour
                free = [h for h in wanted if h in usual and self.at(day, h) not in booked]
                if not free:
                    continue
                starts_at = self.at(day, free[0])
                booked.add(starts_at)
                found.append(starts_at)
            monday += timedelta(weeks=1)
            week += 1
        return found

    def _outcome(self, *, first: bool, last: bool) -> str:
        if first or last:
            return "complete"
        roll = self.rng.random()
        for outcome, share in OUTCOMES:
            if roll < share:
                return outcome
            roll -= share
        return "complete"

    def _when(self, outcome: str, starts_at: datetime) -> datetime:
        """When a session is closed: after it (done, no-show) or the moment it is cancelled."""
        if outcome == "complete":
            return starts_at + timedelta(minutes=60)
        if outcome == "no_show":
            return starts_at + timedelta(minutes=20)
        hours = {"cancel_client": (26, 96), "cancel_late": (2, 20), "cancel_trainer": (3, 48)}[outcome]
        return starts_at - timedelta(hours=self.rng.randint(*hours), minutes=self.rng.choice((0, 15, 30, 45)))

    def _close(self, trainer, session, outcome, when) -> tuple[int, str]:
        """Close a past session through the services as of the moment it happened (``when``); returns the credits
        it used and the audit action."""
        if outcome == "complete":
            session = session_complete(actor=trainer, session=session, now=when)
        elif outcome == "no_show":
            session = session_no_show(actor=trainer, session=session, now=when)
        else:
            by_trainer = outcome == "cancel_trainer"
            session = session_cancel(actor=trainer, session=session, now=when, by_trainer=by_trainer)
        action = {"complete": "session.complete", "no_show": "session.no_show"}.get(outcome, "session.cancel")
        return int(session.used_credit), action

    def _older_session(self, trainer, client, package, starts_at, outcome, when) -> tuple[Session, int]:
        """A session before the cut-off, closed by the same rules as the services (``_close``) but not saved yet.
        Its package has a credit left (``client`` buys one before), so a late cancellation uses it."""
        session = Session(client=client, trainer=trainer, package=package, starts_at=starts_at, status_changed_at=when)
        if outcome in ("complete", "no_show"):
            session.status = SessionStatus.COMPLETED if outcome == "complete" else SessionStatus.NO_SHOW
            session.used_credit = True
        else:
            session.status = SessionStatus.CANCELLED
            if outcome == "cancel_trainer":
                session.cancellation = Cancellation.TRAINER
            elif is_late_cancellation(session, when):
                session.cancellation, session.used_credit = Cancellation.LATE, True
            else:
                session.cancellation = Cancellation.CLIENT
        return session, int(session.used_credit)

    def _write_older(self, sessions: list[Session]) -> None:
        """Save the sessions before the cut-off and count their credits on their packages (before any service reads
        those packages)."""
        if not sessions:
            return
        Session.objects.bulk_create(sessions)
        used = Counter(session.package_id for session in sessions if session.used_credit)
        for package_id, credits in used.items():
            SessionPackage.objects.filter(pk=package_id).update(used_sessions=F("used_sessions") + credits)
        SessionPackage.objects.filter(
            pk__in=list(used), status=PackageStatus.ACTIVE, used_sessions=F("total_sessions")
        ).update(status=PackageStatus.USED_UP)
        sessions.clear()

    # --- money ---------------------------------------------------------------------------------------------------

    def _sell(self, trainer, client, template, sold_at):
        package = package_sell(actor=trainer, client=client, pricing_template=template)
        expires = sold_at.astimezone(self.zone).date() + timedelta(days=template.validity_days)
        self.packages[package.pk] = (sold_at, expires)
        return package, expires

    def _pay(self, trainer, package, sold_at, *, owes, whole):
        """In full at the sale, or half then and the rest two to four weeks later; ``owes``: the rest is still due."""
        rng = self.rng
        method = rng.choices([PaymentMethod.CARD, PaymentMethod.TRANSFER, PaymentMethod.CASH], [6, 3, 1])[0]
        gross = package.gross_amount
        rest_at = sold_at + timedelta(days=rng.randint(14, 28), hours=rng.randint(-3, 3))
        if owes or (not whole and rng.random() < 0.3 and rest_at < self.now):
            half = (gross / 2).quantize(Decimal(1000))
            payment_record(
                actor=trainer, package=package, amount=half, method=method, paid_at=sold_at, note="First half"
            )
            if not owes:
                payment_record(
                    actor=trainer, package=package, amount=gross - half, method=method, paid_at=rest_at, note="The rest"
                )
        else:
            payment_record(actor=trainer, package=package, amount=gross, method=method, paid_at=sold_at)

    def _refund(self, trainer, client, package, left, last_session):
        """The client moves away: the unused credits are refunded, the package cancelled, the client archived."""
        when = last_session + timedelta(days=3, hours=2)
        amount = (package.gross_amount * left / package.total_sessions).quantize(Decimal(1000))
        payment_refund(
            actor=trainer,
            package=package,
            amount=amount,
            method=PaymentMethod.CARD,
            paid_at=when,
            note=f"Moved away: {left} unused sessions refunded",
        )
        package_cancel(actor=trainer, package=package)
        self.cancelled_packages[package.pk] = when
        client_archive(actor=trainer, client=client)
        self.archived[client.pk] = when + timedelta(minutes=5)

    # --- assessments ---------------------------------------------------------------------------------------------

    def _assess(self, trainer, client, delivered, weight, plan):
        """In the first session, then about every three months; the scores creep up."""
        rng = self.rng
        progress = rng.choice((-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5))
        due = delivered[0]
        for starts_at in delivered:
            if starts_at < due:
                continue
            assessment = assessment_create(
                actor=trainer,
                client=client,
                performed_at=starts_at + timedelta(minutes=5),
                results=demo_results(progress, weight),
                clearance_confirmed=plan.screening_flag,
            )
            self.assessments[assessment.pk] = starts_at + timedelta(minutes=5)
            progress += rng.choice((0.25, 0.5, 0.5, 0.75))
            weight -= Decimal("0.5") * rng.randint(0, 3)
            due = starts_at + timedelta(weeks=rng.randint(11, 14))

    # --- moving the stamps back ----------------------------------------------------------------------------------

    def backdate(self):
        """Give the rows written above the times they happened at, instead of the moment of seeding. The team's
        setup (members, profiles, hours, prices: the rest of this fresh gym) dates from two weeks before the first
        client."""
        setup_at = min(self.clients.values()) - timedelta(days=14)
        Trainer.objects.filter(created_at__gt=setup_at).update(created_at=setup_at)
        PricingTemplate.objects.filter(created_at__gt=setup_at).update(created_at=setup_at)
        AssistantLink.objects.filter(created_at__gt=setup_at).update(created_at=setup_at)
        AuditEntry.objects.filter(created_at__gt=setup_at).update(created_at=setup_at)  # then _backdate_audit
        packages = []
        for pk, (sold_at, expires) in self.packages.items():
            packages.append(SessionPackage(pk=pk, sold_at=sold_at, created_at=sold_at, expires_on=expires))
        SessionPackage.objects.bulk_update(packages, ["sold_at", "created_at", "expires_on"], batch_size=500)
        packages_expire(today=self.today)  # the nightly job: packages whose expiry passed with credits left
        sessions = [
            Session(pk=pk, created_at=created, status_changed_at=changed)
            for pk, (created, changed, _action) in self.sessions.items()
        ]
        Session.objects.bulk_update(sessions, ["created_at", "status_changed_at"], batch_size=500)
        Payment.objects.filter(package_id__in=list(self.packages)).update(created_at=F("paid_at"))
        clients = [
            Client(pk=pk, created_at=when, consent_at=when + timedelta(minutes=5)) for pk, when in self.clients.items()
        ]
        Client.objects.bulk_update(clients, ["created_at", "consent_at"])
        for pk, when in self.archived.items():
            Client.objects.filter(pk=pk).update(archived_at=when)
        assessments = [Assessment(pk=pk, created_at=when, updated_at=when) for pk, when in self.assessments.items()]
        Assessment.objects.bulk_update(assessments, ["created_at", "updated_at"], batch_size=500)
        self._backdate_audit()

    def _backdate_audit(self):
        """Each audit entry written above at the moment of what it records: one UPDATE joined with the list of
        (action, object type, object id, moment). Only identifiers of the model go into the text; values are
        parameters."""
        client, package, session = (m._meta.label_lower for m in (Client, SessionPackage, Session))
        stamps = []
        for pk, when in self.clients.items():
            stamps += [
                ("client.create", client, pk, when),
                ("client.screening", client, pk, when + timedelta(minutes=5)),
            ]
        for pk, when in self.archived.items():
            stamps.append(("client.archive", client, pk, when))
        for pk, (sold_at, _expires) in self.packages.items():
            stamps.append(("package.sell", package, pk, sold_at))
        for pk, when in self.cancelled_packages.items():
            stamps.append(("package.cancel", package, pk, when))
        for pk, (created, changed, action) in self.sessions.items():
            stamps.append(("session.schedule", session, pk, created))
            if changed is not None:
                stamps.append((action, session, pk, changed))
        for pk, when in self.assessments.items():
            stamps.append(("assessment.create", Assessment._meta.label_lower, pk, when))
        payments = Payment.objects.filter(package_id__in=list(self.packages)).values_list("pk", "paid_at", "amount")
        for pk, paid_at, amount in payments:
            stamps.append(
                ("payment.record" if amount > 0 else "payment.refund", Payment._meta.label_lower, pk, paid_at)
            )
        for pk, expires in SessionPackage.objects.filter(
            pk__in=list(self.packages), status=PackageStatus.EXPIRED
        ).values_list("pk", "expires_on"):
            stamps.append(("package.expire", package, pk, self.at(expires + timedelta(days=1), 0, 5)))
        table = AuditEntry._meta.db_table
        values = ", ".join(["(%s, %s, %s, %s::timestamptz)"] * len(stamps))
        params = [value for action, kind, pk, when in stamps for value in (action, kind, str(pk), when)]
        with connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{table}" AS a SET created_at = v.at FROM (VALUES {values}) AS v(action, kind, id, at) '  # noqa: S608
                "WHERE a.action = v.action AND a.target_type = v.kind AND a.target_id = v.id",
                params,
            )
