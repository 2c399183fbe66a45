"""Fill one gym with a realistic large data set: 10,000 clients, 50,000 assessments, 200,000 sessions.

Provisions its own gym (``bench-seed-<random>``) through ``organization_provision``, creates the owner and
20 trainers directly (users + Trainer rows), then loads, inside the gym's schema, with PostgreSQL ``COPY``:

* clients (round-robin over the trainers, so each has 500), ``search_text`` from the clients app's normaliser;
* assessments (5 per client) with their test results, scored in Python by the real engine
  (``apps.assessments.scoring.score_assessment``) and mapped to rows by ``assessment_rows``, the same function
  ``assessment_create`` uses;
* every trainer's weekly availability (AvailabilitySlot: weekday mornings and afternoons, most also on Saturday,
  a few on Sunday, hours varied per trainer) and time off (one or two periods of one or two weeks a year);
* packages (2 of 10 sessions per client, amounts from ``apps.training.pricing_math.breakdown``, sold by the
  trainer), payments (full, split in two, or none yet; credited to the trainer) and 200,000 sessions (20 per
  client) on the trainers' free hourly slots outside their time off, never double-booked, past ones completed /
  cancelled (by the client 70 %, late 25 %, by the trainer 5 %) / no-show with the package's credit used
  accordingly (a late cancellation uses one).

``--keep`` leaves the gym in place for ``bench/pages.py`` and prints its slug; by default it is dropped at
the end. Timings per phase on stderr and in the table; the last line of stdout is the JSON. Target: under
5 minutes for the default sizes.

    python bench/seed_data.py [--clients 10000] [--trainers 20] [--keep]
"""

import argparse
import os
import random
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import _common  # noqa: E402

TARGET_SECONDS = 300
ASSESSMENTS_PER_CLIENT = 5
SESSIONS_PER_CLIENT = 20
SESSIONS_PER_PACKAGE = 10
DAYS_BACK = 900
DAYS_AHEAD = 60
FIRST_HOUR, LAST_HOUR = 7, 20  # hourly slots 07:00 to 20:00
BATCH = 20_000

FIRST_NAMES = [
    "Anna", "José", "Zoë", "Liam", "Chloé", "Mateo", "Søren", "Ana", "Noah", "Émilie", "Lukas", "Björn",
    "Sofía", "Jan", "Mia", "Hugo", "Inès", "Oliver", "Léa", "Ethan", "Nuria", "Kai", "Ava", "Jiří", "민지",
    "Paul", "Aylin", "Omar", "Grace", "Tomás",
]  # fmt: skip
LAST_NAMES = [
    "Müller", "García", "Smith", "Nguyen", "Dubois", "Kowalski", "Rossi", "Jensen", "O'Brien", "Novák",
    "Fernández", "Schmidt", "Brown", "Łukasz", "Øster", "Martin", "Silva", "Kim", "Papadopoulos", "Yılmaz",
    "Johnson", "Lefèvre", "Haddad", "Ivanova", "Costa", "Weiß", "Taylor", "Moreau", "Jansen", "김",
]  # fmt: skip


def log_phase(timings, name, started):
    seconds = _common.now() - started
    timings[name] = round(seconds, 2)
    _common.log(f"  {name}: {seconds:.1f} s")


def copy_rows(cursor, model, rows, columns):
    """COPY ``rows`` (tuples in ``columns`` order) into ``model``'s table of the current schema."""
    table = model._meta.db_table
    names = ", ".join(f'"{column}"' for column in columns)
    with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


def model_columns(model):
    return [field.column for field in model._meta.concrete_fields]


def model_row(instance, fields, now):
    """One instance as a COPY row: attnames, JSON wrapped as jsonb, auto timestamps filled as ``save`` would."""
    from psycopg.types.json import Jsonb

    row = []
    for field in fields:
        value = getattr(instance, field.attname)
        if field.get_internal_type() == "JSONField":
            value = Jsonb(value)
        elif value is None and (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)):
            value = now
        row.append(value)
    return tuple(row)


def copy_instances(cursor, model, instances, now):
    fields = list(model._meta.concrete_fields)
    copy_rows(cursor, model, (model_row(i, fields, now) for i in instances), [f.column for f in fields])


def reset_sequences(cursor, models):
    for model in models:
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), COALESCE(MAX(id), 0) + 1, false) "
            f'FROM "{table}"'
        )


def create_team(slug, trainers):
    """The owner and ``trainers`` trainers: users with an unusable password, Trainer rows, bulk-created."""
    from django.contrib.auth.hashers import make_password

    from apps.accounts.models import User
    from apps.trainers.models import Trainer
    from tenants.models import Role

    unusable = make_password(None)
    people = [("owner", Role.OWNER, "Olivia Owner")] + [
        (f"trainer{i:02d}", Role.TRAINER, f"Trainer {i:02d}") for i in range(1, trainers + 1)
    ]
    users = User.objects.bulk_create(
        [User(email=f"{local}@{slug}.example.com", full_name=name, password=unusable) for local, _r, name in people]
    )
    return Trainer.objects.bulk_create(
        [Trainer(user=user, role=role) for user, (_l, role, _n) in zip(users, people, strict=True)]
    )


def availability_for(rng, trainer_id):
    """A trainer's week: Monday to Friday a morning and an afternoon (start, lunch and end varied), most trainers
    also on Saturday morning, a few on Sunday morning; a weekday off for some part-timers."""
    from datetime import time

    from apps.trainers.models import AvailabilitySlot

    start = rng.choice([6, 7, 7, 8])
    lunch = rng.choice([12, 12, 13])
    back = lunch + rng.choice([1, 1, 2])
    end = rng.choice([19, 20, 20, 21])
    day_off = rng.choice([None, None, None, 2, 4])  # Wednesday or Friday off for some
    slots = []
    for weekday in range(5):
        if weekday == day_off:
            continue
        slots.append((weekday, start, lunch))
        slots.append((weekday, back, end))
    if rng.random() < 0.75:
        slots.append((5, rng.choice([8, 9]), rng.choice([12, 13, 14])))
    if rng.random() < 0.2:
        slots.append((6, 9, 13))
    return [
        AvailabilitySlot(trainer_id=trainer_id, weekday=weekday, starts_at=time(first), ends_at=time(last))
        for weekday, first, last in slots
    ]


def time_off_for(rng, trainer_id, today):
    """One or two periods of 5 to 14 days in each year of the seeded span (DAYS_BACK ago to DAYS_AHEAD ahead)."""
    from apps.trainers.models import TimeOff

    periods = []
    first_day = today - timedelta(days=DAYS_BACK)
    for year_start in range(0, DAYS_BACK + DAYS_AHEAD, 365):
        span = min(365, DAYS_BACK + DAYS_AHEAD - year_start)
        count = rng.choice([1, 2, 2])
        for part in range(count):
            length = rng.choice([5, 7, 7, 10, 14])
            # Each period in its own share of the year, so that they never overlap.
            share = span // count
            if share <= length:
                continue
            begin = first_day + timedelta(days=year_start + part * share + rng.randint(0, share - length - 1))
            periods.append(
                TimeOff(
                    trainer_id=trainer_id,
                    starts_on=begin,
                    ends_on=begin + timedelta(days=length - 1),
                    reason=rng.choice(["Holiday", "Holiday", "Course", "Family"]),
                )
            )
    return periods


def seed_schedules(rng, trainers, today, timings):
    """Availability and time off for every trainer, bulk-created. Returns {trainer id: [(first, last) days off]}."""
    from apps.trainers.models import AvailabilitySlot, TimeOff

    started = _common.now()
    slots, time_off = [], []
    for trainer in trainers:
        slots.extend(availability_for(rng, trainer.pk))
        time_off.extend(time_off_for(rng, trainer.pk, today))
    AvailabilitySlot.objects.bulk_create(slots)
    TimeOff.objects.bulk_create(time_off)
    away = {}
    for period in time_off:
        away.setdefault(period.trainer_id, []).append((period.starts_on, period.ends_on))
    log_phase(timings, "availability", started)
    return {"availability_slots": len(slots), "time_off": len(time_off)}, away


def make_clients(rng, count, trainer_ids, today, now):
    from apps.clients.models import SCREENING_KEYS, Client, ClientStatus, Sex
    from apps.clients.search import search_text_for

    clients = []
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"client{index}@example.com"
        phone = f"+1 555 {index // 10000:03d} {index % 10000:04d}"
        sex = rng.choices([Sex.FEMALE, Sex.MALE, Sex.NOT_STATED], weights=[48, 48, 4])[0]
        age_days = rng.randint(18 * 365, 72 * 365)
        height = Decimal(rng.randint(150, 198))
        weight = Decimal(rng.randint(4800, 12000)) / 100
        screening = {key: rng.random() < 0.03 for key in SCREENING_KEYS}
        archived = rng.random() < 0.08
        created = now - timedelta(days=DAYS_BACK + 30, minutes=rng.randint(0, 60 * 24 * 60))
        clients.append(
            Client(
                id=index + 1,
                trainer_id=trainer_ids[index % len(trainer_ids)],
                first_name=first,
                last_name=last,
                date_of_birth=today - timedelta(days=age_days),
                sex=sex,
                height_cm=height,
                weight_kg=weight,
                email=email,
                phone=phone,
                screening=screening,
                consent_at=created,
                status=ClientStatus.ARCHIVED if archived else ClientStatus.ACTIVE,
                archived_at=now - timedelta(days=rng.randint(1, 300)) if archived else None,
                search_text=search_text_for(first_name=first, last_name=last, email=email, phone=phone),
                created_at=created,
                updated_at=created,
            )
        )
    return clients


def test_inputs(rng, body_weight, fitness):
    """Raw values for a full assessment; ``fitness`` 0..1 shifts every result; 1 test in 10 left out."""
    f = fitness
    compensations = [] if rng.random() < f else rng.sample(["knees_valgus", "torso_forward_lean", "heels_rise"], 1)
    entries = {
        "deep_squat": {"raw": {"compensations": compensations, "heel_lift_compensations": []}},
        "shoulder_mobility": {
            "raw": {
                "left_cm": round(8 + 20 * (1 - f) * rng.random(), 1),
                "right_cm": round(8 + 20 * (1 - f) * rng.random(), 1),
                "hand_length_cm": rng.choice([17, 18, 19, 20]),
            }
        },
        "sit_and_reach": {"raw": {"reach_cm": round(15 + 25 * f, 1)}, "protocol": {"box_zero_offset_cm": 23}},
        "push_ups": {"raw": {"reps": int(3 + 40 * f)}, "protocol": {"variant": rng.choice(["standard", "knee"])}},
        "farmers_carry": {
            "raw": {
                "load_kg": round(float(body_weight) * (0.3 + 0.7 * f), 1),
                "body_weight_kg": float(body_weight),
                "distance_m": 40,
                "time_s": int(30 + 30 * (1 - f)),
            }
        },
        "balance_eyes_open": {"raw": {"left_s": int(5 + 55 * f), "right_s": int(5 + 55 * rng.random())}},
        "balance_eyes_closed": {"raw": {"left_s": int(1 + 20 * f), "right_s": int(1 + 20 * rng.random())}},
        "step_test": {
            "raw": {"recovery_hr_bpm": int(75 + 70 * (1 - f))},
            "protocol": {"protocol": "ymca", "step_height_cm": 30.5},
        },
    }
    for test in list(entries):
        if rng.random() < 0.1 and len(entries) > 1:
            del entries[test]
    return entries


def seed_assessments(cursor, rng, clients, trainer_by_id, today, now, timings):
    """Score every assessment with the engine, then COPY assessments and their results in batches."""
    from apps.assessments.models import Assessment, TestResult
    from apps.assessments.scoring import score_assessment
    from apps.assessments.services import assessment_rows
    from apps.clients.models import age_on

    started = _common.now()
    scoring_seconds = 0.0
    counts = {"assessments": 0, "test_results": 0}
    assessments, results = [], []
    next_result_id = 1
    span = DAYS_BACK - 1

    def flush():
        copy_instances(cursor, Assessment, assessments, now)
        copy_instances(cursor, TestResult, results, now)
        assessments.clear()
        results.clear()

    for client in clients:
        trainer = trainer_by_id[client.trainer_id]
        fitness = rng.random() * 0.7
        days = sorted(rng.sample(range(1, span), ASSESSMENTS_PER_CLIENT), reverse=True)
        for days_ago in days:
            performed_at = datetime.combine(today - timedelta(days=days_ago), datetime.min.time(), UTC) + timedelta(
                hours=rng.randint(FIRST_HOUR, LAST_HOUR)
            )
            fitness = min(1.0, fitness + rng.random() * 0.08)
            age = age_on(client.date_of_birth, performed_at.date())
            tick = _common.now()
            scored = score_assessment(test_inputs(rng, client.weight_kg, fitness), age=age, sex=client.sex)
            scoring_seconds += _common.now() - tick
            assessment, rows = assessment_rows(
                client=client, trainer=trainer, performed_at=performed_at, scored=scored, age=age, sex=client.sex
            )
            counts["assessments"] += 1
            assessment.id = counts["assessments"]
            assessment.created_at = assessment.updated_at = performed_at
            assessments.append(assessment)
            for row in rows:
                row.id = next_result_id
                row.assessment_id = assessment.id
                next_result_id += 1
                results.append(row)
        if len(results) >= BATCH:
            counts["test_results"] += len(results)
            flush()
            _common.log(f"    {counts['assessments']} assessments")
    counts["test_results"] += len(results)
    flush()
    timings["scoring_in_python"] = round(scoring_seconds, 2)
    log_phase(timings, "assessments", started)
    return counts


def trainer_slots(rng, count, today, away=()):
    """``count`` distinct hourly slots (start datetimes, UTC) between DAYS_BACK ago and DAYS_AHEAD ahead, none on
    a day of the trainer's time off (``away``: (first, last) days)."""
    hours = LAST_HOUR - FIRST_HOUR + 1
    first_day = today - timedelta(days=DAYS_BACK)
    days = [
        offset
        for offset in range(DAYS_BACK + DAYS_AHEAD)
        if not any(a <= first_day + timedelta(days=offset) <= b for a, b in away)
    ]
    picks = rng.sample(range(len(days) * hours), count)
    first = datetime.combine(first_day, datetime.min.time(), UTC)
    return [first + timedelta(days=days[p // hours], hours=FIRST_HOUR + p % hours) for p in picks]


def cancellation_for(rng, starts_at, sold_at):
    """Who cancelled (client 70 %, late 25 %, trainer 5 %), whether it used a credit (late ones do; the package
    always has one left here), and when it was recorded: days ahead for the client, inside the 24-hour cut-off
    when late, anywhere from a week to an hour before for the trainer (never before the sale)."""
    from apps.training.models import Cancellation

    kind = rng.choices([Cancellation.CLIENT, Cancellation.LATE, Cancellation.TRAINER], weights=[70, 25, 5])[0]
    if kind == Cancellation.CLIENT:
        before = timedelta(hours=rng.randint(25, 7 * 24))
    elif kind == Cancellation.LATE:
        before = timedelta(hours=rng.randint(1, 23))
    else:
        before = timedelta(hours=rng.randint(1, 7 * 24))
    return kind, kind == Cancellation.LATE, max(starts_at - before, sold_at)


def seed_training(cursor, rng, clients, today, now, currency, timings, away):
    """Packages, payments and sessions: each client's sessions fill their two packages in time order."""
    from apps.training.models import (
        PackageStatus,
        Payment,
        PaymentMethod,
        PricingMode,
        Session,
        SessionPackage,
        SessionStatus,
    )
    from apps.training.pricing_math import breakdown, payment_fee

    started = _common.now()
    vat_rate, fee_rate = Decimal("0.2000"), Decimal("0.0290")
    prices = [Decimal("450.00"), Decimal("500.00"), Decimal("600.00"), Decimal("750.00")]
    by_trainer = {}
    for client in clients:
        by_trainer.setdefault(client.trainer_id, []).append(client)
    packages, payments, sessions = [], [], []
    counts = {"packages": 0, "payments": 0, "sessions": 0}
    for trainer_id, own in by_trainer.items():
        slots = trainer_slots(rng, len(own) * SESSIONS_PER_CLIENT, today, away.get(trainer_id, ()))
        for position, client in enumerate(own):
            mine = sorted(slots[position * SESSIONS_PER_CLIENT : (position + 1) * SESSIONS_PER_CLIENT])
            for start in range(0, len(mine), SESSIONS_PER_PACKAGE):
                chunk = mine[start : start + SESSIONS_PER_PACKAGE]
                price = rng.choice(prices)
                amounts = breakdown(
                    price=price, vat_rate=vat_rate, card_fee_rate=fee_rate, inclusive=True, currency=currency
                )
                sold_at = chunk[0] - timedelta(days=rng.randint(1, 14))
                counts["packages"] += 1
                package = SessionPackage(
                    id=counts["packages"],
                    client_id=client.id,
                    trainer_id=trainer_id,
                    sold_by_id=trainer_id,
                    name=f"{SESSIONS_PER_PACKAGE} sessions",
                    total_sessions=SESSIONS_PER_PACKAGE,
                    used_sessions=0,
                    price=price,
                    currency=currency,
                    vat_rate=vat_rate,
                    card_fee_rate=fee_rate,
                    pricing_mode=PricingMode.INCLUSIVE,
                    net_amount=amounts.net,
                    vat_amount=amounts.vat,
                    fee_amount=amounts.fee,
                    gross_amount=amounts.gross,
                    sold_at=sold_at,
                    expires_on=(sold_at + timedelta(days=365)).date(),
                    created_at=sold_at,
                )
                for starts_at in chunk:
                    cancellation, changed_at = "", None
                    if starts_at >= now:
                        status, used = SessionStatus.SCHEDULED, False
                    else:
                        status = rng.choices(
                            [SessionStatus.COMPLETED, SessionStatus.CANCELLED, SessionStatus.NO_SHOW],
                            weights=[88, 8, 4],
                        )[0]
                        if status == SessionStatus.CANCELLED:
                            cancellation, used, changed_at = cancellation_for(rng, starts_at, sold_at)
                        else:
                            used, changed_at = True, starts_at + timedelta(hours=1)
                    package.used_sessions += used
                    counts["sessions"] += 1
                    sessions.append(
                        Session(
                            id=counts["sessions"],
                            client_id=client.id,
                            trainer_id=trainer_id,
                            package_id=package.id,
                            starts_at=starts_at,
                            duration_minutes=60,
                            status=status,
                            used_credit=used,
                            cancellation=cancellation,
                            status_changed_at=changed_at,
                            created_at=sold_at,
                        )
                    )
                if package.used_sessions >= package.total_sessions:
                    package.status = PackageStatus.USED_UP
                elif package.expires_on < today:
                    package.status = PackageStatus.EXPIRED
                else:
                    package.status = PackageStatus.ACTIVE
                packages.append(package)
                # 80 % paid in full, 15 % in two parts (a balance may remain), 5 % not paid yet.
                roll = rng.random()
                parts = (
                    [] if roll >= 0.95 else [amounts.gross] if roll < 0.8 else [amounts.gross / 2, amounts.gross / 4]
                )
                for number, amount in enumerate(parts):
                    amount = amount.quantize(Decimal("0.01"))
                    method = rng.choices(
                        [PaymentMethod.CARD, PaymentMethod.CASH, PaymentMethod.TRANSFER], [70, 15, 15]
                    )[0]
                    counts["payments"] += 1
                    paid_at = sold_at + timedelta(days=number * 30)
                    payments.append(
                        Payment(
                            id=counts["payments"],
                            client_id=client.id,
                            package_id=package.id,
                            trainer_id=trainer_id,
                            amount=amount,
                            fee_amount=payment_fee(
                                amount=amount,
                                card_fee_rate=fee_rate,
                                is_card=method == PaymentMethod.CARD,
                                currency=currency,
                            ),
                            method=method,
                            paid_at=paid_at,
                            created_at=paid_at,
                        )
                    )
    log_phase(timings, "training_rows_in_python", started)
    started = _common.now()
    copy_instances(cursor, SessionPackage, packages, now)
    copy_instances(cursor, Payment, payments, now)
    for start in range(0, len(sessions), 50_000):
        copy_instances(cursor, Session, sessions[start : start + 50_000], now)
        _common.log(f"    {min(start + 50_000, len(sessions))} sessions")
    log_phase(timings, "training_copy", started)
    return counts


def seed(slug, n_clients, n_trainers, seed_value, timings):
    from django.db import connection, transaction
    from django.utils import timezone

    from apps.assessments.models import Assessment, TestResult
    from apps.clients.models import Client
    from apps.core.dates import gym_today
    from apps.trainers.models import AvailabilitySlot, TimeOff
    from apps.training.models import Payment, Session, SessionPackage
    from tenants.models import Organization
    from tenants.services import organization_provision

    rng = random.Random(seed_value)
    started = _common.now()
    with _common.no_synchronous_refill():
        organization_provision(
            name=f"Bench seed {slug}",
            slug=slug,
            owner_email=f"owner@{slug}.example.com",
            seat_limit=n_trainers + 5,
            send_invitation=False,
        )
    organization = Organization.objects.get(slug=slug)
    connection.set_tenant(organization)
    log_phase(timings, "provision", started)

    started = _common.now()
    team = create_team(slug, n_trainers)
    trainers = [t for t in team if t.role == "trainer"]
    trainer_by_id = {t.pk: t for t in team}
    log_phase(timings, "team", started)
    schedule_counts, away = seed_schedules(rng, trainers, gym_today(), timings)

    now = timezone.now()
    today = gym_today()
    with transaction.atomic(), connection.cursor() as cursor:
        started = _common.now()
        clients = make_clients(rng, n_clients, [t.pk for t in trainers], today, now)
        copy_instances(cursor, Client, clients, now)
        log_phase(timings, "clients", started)

        counts = {"clients": len(clients), "trainers": len(trainers), **schedule_counts}
        counts.update(seed_assessments(cursor, rng, clients, trainer_by_id, today, now, timings))
        counts.update(seed_training(cursor, rng, clients, today, now, organization.currency, timings, away))

        started = _common.now()
        models = [Client, Assessment, TestResult, SessionPackage, Payment, Session]
        reset_sequences(cursor, models)
    log_phase(timings, "commit", started)
    # VACUUM as well as ANALYZE: as autovacuum would have long done in a real gym, so that index-only scans (the
    # analytics' covering indexes) see an up-to-date visibility map instead of visiting the heap.
    started = _common.now()
    with connection.cursor() as cursor:
        for model in [*models, AvailabilitySlot, TimeOff]:
            cursor.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')
    log_phase(timings, "vacuum_analyze", started)
    connection.set_schema_to_public()
    return counts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10_000, help="clients (default 10,000)")
    parser.add_argument("--trainers", type=int, default=20, help="trainers besides the owner (default 20)")
    parser.add_argument("--seed", type=int, default=4, help="random seed (default 4)")
    parser.add_argument("--slug", help="slug of the gym to create (default bench-seed-<random>)")
    parser.add_argument("--keep", action="store_true", help="leave the gym in place (for bench/pages.py)")
    args = parser.parse_args(argv)

    _common.setup_django()
    _common.require_migrated()
    slug = args.slug or f"bench-seed-{_common.run_id()}"
    pool_names_before, pool_size_before = _common.pool_snapshot()
    timings = {}
    kept = False
    started = _common.now()
    _common.log(f"seeding {slug}: {args.clients} clients, {args.trainers} trainers")
    try:
        counts = seed(slug, args.clients, args.trainers, args.seed, timings)
        total = _common.now() - started
        machine = _common.machine()
        kept = args.keep
    finally:
        if not kept:
            _common.log("cleaning up")
            _common.log(f"  {_common.cleanup([slug], pool_names_before, pool_size_before)}")

    print(f"seed_data: gym {slug}, {machine['cpus']} CPUs, PostgreSQL {machine['postgresql']}")
    print(f"{'phase':<28}{'seconds':>9}")
    for name, seconds in timings.items():
        print(f"{name:<28}{seconds:>9.1f}")
    print(f"{'total':<28}{total:>9.1f}")
    print("rows: " + ", ".join(f"{name} {count:,}" for name, count in counts.items()))
    print(f"gym kept: {slug}" if kept else "gym dropped")
    _common.emit(
        {
            "bench": "seed_data",
            "slug": slug,
            "kept": kept,
            **counts,
            "seconds": round(total, 1),
            "phases_seconds": timings,
            "meets_target": total < TARGET_SECONDS,
            **machine,
        }
    )


if __name__ == "__main__":
    main()
