"""Demo content for `make run`: a team with profiles, hours, prices, clients and this month's sessions.

Goes through the real services wherever they exist, so the demo shows what the product really does.
Clients, packages, payments and sessions go through their services like everything else.
"""

from datetime import date, time, timedelta
from decimal import Decimal

from django.utils import timezone

from apps.clients.services import client_create
from apps.core.dates import gym_timezone, gym_today
from apps.trainers.models import PricingTemplate, Specialty, Trainer
from apps.trainers.services import availability, pricing, profile
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
            client = client_create(actor=trainer, first_name=first, last_name=last)
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
    return True
