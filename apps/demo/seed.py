"""Demo content for `make run`: a team with profiles, hours, prices, clients and this month's sessions.

Goes through the real services wherever they exist, so the demo shows what the product really does.
Clients, packages, payments and sessions go through their services like everything else.
"""

from datetime import date, time, timedelta
from decimal import Decimal

from django.utils import timezone

from apps.assessments.services import assessment_create
from apps.clients.models import SCREENING_KEYS
from apps.clients.services import client_create, screening_update
from apps.core.dates import gym_timezone, gym_today
from apps.trainers.models import PricingTemplate, Specialty, Trainer
from apps.trainers.services import availability, pricing, profile
from apps.trainers.services.assistants import assistant_set_trainers
from apps.trainers.services.specialties import specialty_create
from apps.training.models import PaymentMethod
from apps.training.services.packages import package_sell
from apps.training.services.payments import payment_record
from apps.training.services.sessions import session_complete, session_schedule
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
CLIENTS = {
    Role.OWNER: [("Minji", "Kim"), ("Daniel", "Park")],
    Role.SENIOR: [("Hannah", "Lee"), ("Joon", "Choi"), ("Emily", "Jung")],
    Role.TRAINER: [("Seo-yeon", "Han"), ("Marcus", "Yoon"), ("Grace", "Lim"), ("Tom", "Kang")],
}


# Birth date, sex, height (cm), weight (kg) for the demo clients.
BODIES = [
    (date(1990, 4, 12), "female", 165, Decimal("58.5")),
    (date(1985, 9, 3), "male", 178, Decimal("82.0")),
    (date(1999, 1, 25), "female", 160, Decimal("54.0")),
    (date(1978, 6, 30), "male", 172, Decimal("90.5")),
]


def demo_results(progress, body_weight):
    """A full assessment; ``progress`` 1 is the same client a few months later, a little fitter."""
    return {
        "deep_squat": {"raw": {"compensations": [] if progress else ["knees_valgus"], "heel_lift_compensations": []}},
        "shoulder_mobility": {
            "raw": {"left_cm": 14 - 2 * progress, "right_cm": 22 - 4 * progress, "hand_length_cm": 18}
        },
        "sit_and_reach": {"raw": {"reach_cm": 27 + 4 * progress}, "protocol": {"box_zero_offset_cm": 23}},
        "push_ups": {"raw": {"reps": 14 + 6 * progress}, "protocol": {"variant": "standard"}},
        "farmers_carry": {
            "raw": {"load_kg": 40 + 10 * progress, "body_weight_kg": float(body_weight), "distance_m": 40, "time_s": 38}
        },
        "balance_eyes_open": {"raw": {"left_s": 30 + 8 * progress, "right_s": 28 + 9 * progress}},
        "balance_eyes_closed": {"raw": {"left_s": 6 + 2 * progress, "right_s": 5 + 3 * progress}},
        "step_test": {
            "raw": {"recovery_hr_bpm": 118 - 12 * progress},
            "protocol": {"protocol": "ymca", "step_height_cm": 30.5},
        },
    }


def seed_demo_content():
    if Specialty.objects.exists():
        return False  # seeded before: leave whatever the demo users changed
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
            availability.availability_slot_add(
                actor=trainer, trainer=trainer, weekday=weekday, starts_at=time(9), ends_at=time(12)
            )
            availability.availability_slot_add(
                actor=trainer, trainer=trainer, weekday=weekday, starts_at=time(14), ends_at=time(20)
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
    availability.time_off_add(
        actor=trainers[Role.TRAINER],
        trainer=trainers[Role.TRAINER],
        starts_on=gym_today() + timedelta(days=14),
        ends_on=gym_today() + timedelta(days=18),
        reason="Conference",
    )
    zone = gym_timezone()
    month_start = gym_today().replace(day=1)
    now = timezone.now()
    for role, names in CLIENTS.items():
        trainer = trainers[role]
        template = PricingTemplate.objects.filter(trainer=trainer, name="10 sessions").first()
        for index, (first, last) in enumerate(names):
            born, sex, height, weight = BODIES[(len(first) + index) % len(BODIES)]
            client = client_create(
                actor=trainer,
                first_name=first,
                last_name=last,
                date_of_birth=born,
                sex=sex,
                height_cm=height,
                weight_kg=weight,
                goals="Get stronger and move without pain.",
            )
            for months_ago, progress in ((3, 0), (0, 1)):
                assessment_create(
                    actor=trainer,
                    client=client,
                    performed_at=now - timedelta(days=30 * months_ago + 2),
                    results=demo_results(progress, weight),
                )
            # Screened after the assessments, so one demo client shows the medical-clearance warning.
            screening_update(
                actor=trainer,
                client=client,
                answers={key: key == "bone_joint" and index == 1 for key in SCREENING_KEYS},
                consent=True,
            )
            package = package_sell(actor=trainer, client=client, pricing_template=template)
            payment_record(actor=trainer, package=package, amount=package.gross_amount // 2, method=PaymentMethod.CARD)
            for week in range(4):
                day = month_start + timedelta(days=7 * week + index)
                starts_at = timezone.datetime.combine(day, time(10 + index), tzinfo=zone)
                session = session_schedule(
                    actor=trainer, client=client, starts_at=starts_at, package=package, confirm_unavailable=True
                )
                if starts_at < now:
                    session_complete(actor=trainer, session=session)
    # The assistant helps the trainer and the senior, so their login shows clients and sessions but no money.
    assistant_set_trainers(
        actor=owner, assistant=trainers[Role.ASSISTANT], trainers=[trainers[Role.TRAINER], trainers[Role.SENIOR]]
    )
    return True
