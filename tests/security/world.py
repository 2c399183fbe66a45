"""The data the route-access test runs against: a team of every role in gym A with objects of each member, one
trainer with the same objects in gym B (ids that do not exist in gym A), sessions signed in for each role, and a
snapshot of the tables a refused write must not touch.

Built once per module inside an outer transaction that is rolled back at the end; each test case runs in a
savepoint of its own (pytest-django's ``db``), so what an allowed write changes is gone before the next case.
"""

from dataclasses import dataclass, field
from datetime import time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.utils import timezone

from apps.assessments.services import assessment_create
from apps.trainers.models import (
    AssistantLink,
    AvailabilitySlot,
    Certification,
    PricingTemplate,
    Specialty,
    TimeOff,
    Trainer,
)
from apps.trainers.services.api_keys import api_key_create
from apps.training.services import packages as package_services
from tenants.models import Organization, Role
from tests.conftest import GYM_A, GYM_B, GymClient
from tests.factories import ClientFactory, InvitationFactory, PaymentFactory, SessionFactory, TrainerFactory

# Who makes the requests. Active roles of gym A, then those who must be sent to the login page.
ACTIVE_ROLES = ("owner", "senior", "trainer", "assistant")
SIGNED_OUT_ROLES = ("deactivated", "anonymous", "other_gym")
ROLES = ACTIVE_ROLES + SIGNED_OUT_ROLES

# What the URL's ids name: an object of the actor (for an assistant: of the trainer they assist), one of another
# trainer of the same gym, and an id taken from gym B that does not exist in gym A.
OWN, OTHER, FOREIGN = "own", "other", "foreign"
TARGETS = (OWN, OTHER, FOREIGN)

# Tables a refused write must leave exactly as they were (gym A's schema), and the public invitations.
SNAPSHOT_TABLES = (
    "accounts_user",
    "clients_client",
    "assessments_assessment",
    "assessments_testresult",
    "training_sessionpackage",
    "training_session",
    "training_payment",
    "trainers_trainer",
    "trainers_trainer_specialties",
    "trainers_assistantlink",
    "trainers_availabilityslot",
    "trainers_timeoff",
    "trainers_pricingtemplate",
    "trainers_certification",
    "trainers_specialty",
    "training_calendarfeed",
)
PUBLIC_SNAPSHOT_TABLES = ("tenants_invitation",)
# Tables watched on some columns only: an API key's last use is noted on every (even refused) request.
PARTIAL_SNAPSHOT_TABLES = {
    "trainers_apikey": "id, trainer_id, name, prefix, secret_hash, writable, expires_at, revoked_at"
}

# Gym B's sequences start this far past gym A's, so an id of gym B is never one of gym A (the test asserts it).
FOREIGN_ID_OFFSET = 1_000_000

INVITATION_TOKEN_A = "route-access-token-alpha-" + "a" * 40
INVITATION_TOKEN_B = "route-access-token-bravo-" + "b" * 40


@dataclass
class Holdings:
    """One member and the objects that are theirs."""

    trainer: Trainer
    client: object = None
    assessment: object = None
    result: object = None
    package: object = None
    session: object = None
    pricing: object = None
    certification: object = None
    slot: object = None
    time_off: object = None
    payment: object = None
    api_key: object = None
    api_secret: str = ""


@dataclass
class World:
    gym_a: Organization
    gym_b: Organization
    members: dict  # key -> Holdings, in gym A: owner, senior, trainer, other, assistant, assistant2, deactivated
    foreign: Holdings  # gym B
    specialties: dict  # own / other / foreign -> Specialty
    invitations: dict  # own / other / foreign -> Invitation
    foreign_assistant: Trainer
    session_keys: dict = field(default_factory=dict)  # role -> session cookie value (None: anonymous)
    api_keys: dict = field(default_factory=dict)  # role -> a read-write API key (None: anonymous)


def _hold(trainer, owner, *, clients=True, pricing=True):
    """Give ``trainer`` one of each object (in the current schema)."""
    held = Holdings(trainer=trainer)
    if clients:
        held.client = ClientFactory(
            trainer=trainer, last_name=f"Client-of-{trainer.user.full_name.split()[0]}", date_of_birth="1990-01-01"
        )
        held.assessment = assessment_create(
            actor=owner,
            client=held.client,
            performed_at=timezone.now() - timedelta(days=3),
            results={"push_ups": {"raw": {"reps": 20}}},
        )
        held.result = held.assessment.results.first()
        held.package = package_services.package_sell(
            actor=owner,
            client=held.client,
            name="Ten",
            total_sessions=10,
            price=Decimal("500"),
            # Ends within the "expiring soon" list's default 14 days, so that page has rows to lay out.
            expires_on=timezone.localdate() + timedelta(days=10),
        )
        held.payment = PaymentFactory(package=held.package, amount=Decimal("100"))
        held.session = SessionFactory(
            client=held.client, trainer=trainer, package=held.package, starts_at=timezone.now() - timedelta(hours=3)
        )
    if pricing:
        held.pricing = PricingTemplate.objects.create(
            trainer=trainer, name="Ten", sessions=10, price=Decimal("500.00"), validity_days=90
        )
    held.certification = Certification.objects.create(
        trainer=trainer, name="CPT", issuing_body="NASM", earned_on=timezone.localdate() - timedelta(days=400)
    )
    held.api_key, held.api_secret = api_key_create(actor=trainer, name="script", writable=True)
    held.slot = AvailabilitySlot.objects.create(trainer=trainer, weekday=2, starts_at=time(9), ends_at=time(12))
    held.time_off = TimeOff.objects.create(
        trainer=trainer,
        starts_on=timezone.localdate() + timedelta(days=30),
        ends_on=timezone.localdate() + timedelta(days=31),
    )
    return held


def _advance_sequences(own_schema, other_schema):
    """Move every id sequence of ``own_schema`` past the same table's in ``other_schema`` by FOREIGN_ID_OFFSET.

    Sequences are not transactional, so this outlives the test's rollback; it only makes later ids larger.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT seq.relname
            FROM pg_class seq
            JOIN pg_namespace ns ON ns.oid = seq.relnamespace
            WHERE seq.relkind = 'S' AND ns.nspname = %s
            """,
            [own_schema],
        )
        for (sequence,) in cursor.fetchall():
            cursor.execute("SELECT to_regclass(%s)", [f'"{other_schema}"."{sequence}"'])
            if cursor.fetchone()[0] is None:
                continue
            cursor.execute(
                f'SELECT last_value FROM "{other_schema}"."{sequence}"'  # noqa: S608 - names from the catalog
            )
            theirs = cursor.fetchone()[0]
            cursor.execute(f'SELECT last_value FROM "{own_schema}"."{sequence}"')  # noqa: S608
            ours = cursor.fetchone()[0]
            if ours < theirs + FOREIGN_ID_OFFSET:
                cursor.execute("SELECT setval(%s, %s)", [f'"{own_schema}"."{sequence}"', theirs + FOREIGN_ID_OFFSET])


def _session_key(organization, trainer):
    return GymClient(organization).login_as(trainer).cookies[settings.SESSION_COOKIE_NAME].value


def build_world():
    gym_a = Organization.objects.get(slug=GYM_A)
    gym_b = Organization.objects.get(slug=GYM_B)

    connection.set_tenant(gym_a)
    owner = TrainerFactory(role=Role.OWNER, user__full_name="Olga Owner")
    senior = TrainerFactory(role=Role.SENIOR, user__full_name="Sam Senior")
    trainer = TrainerFactory(role=Role.TRAINER, user__full_name="Tom Trainer")
    other = TrainerFactory(role=Role.TRAINER, user__full_name="Una Other")
    assistant = TrainerFactory(role=Role.ASSISTANT, user__full_name="Ann Assistant")
    assistant2 = TrainerFactory(role=Role.ASSISTANT, user__full_name="Abe Unlinked")
    deactivated = TrainerFactory(role=Role.TRAINER, user__full_name="Dee Gone")
    AssistantLink.objects.create(assistant=assistant, trainer=trainer)
    members = {
        "owner": _hold(owner, owner),
        "senior": _hold(senior, owner),
        "trainer": _hold(trainer, owner),
        "other": _hold(other, owner),
        "assistant": _hold(assistant, owner, clients=False, pricing=False),
        "assistant2": _hold(assistant2, owner, clients=False, pricing=False),
        "deactivated": _hold(deactivated, owner),
    }
    Trainer.objects.filter(pk=deactivated.pk).update(is_active=False, deactivated_at=timezone.now())
    deactivated.is_active = False
    specialties = {OWN: Specialty.objects.create(name="Mobility"), OTHER: Specialty.objects.create(name="Boxing")}
    owner.specialties.add(specialties[OTHER])  # in use: not deleted

    connection.set_tenant(gym_b)
    _advance_sequences(gym_b.schema_name, gym_a.schema_name)
    b_owner = TrainerFactory(role=Role.OWNER, user__full_name="Bob Owner")
    b_trainer = TrainerFactory(role=Role.TRAINER, user__full_name="Bea Trainer")
    foreign_assistant = TrainerFactory(role=Role.ASSISTANT, user__full_name="Bart Assistant")
    foreign = _hold(b_trainer, b_owner)
    specialties[FOREIGN] = Specialty.objects.create(name="Boxing B")

    connection.set_schema_to_public()
    invitations = {
        OWN: InvitationFactory(organization=gym_a, role=Role.TRAINER, token=INVITATION_TOKEN_A),
        OTHER: InvitationFactory(organization=gym_a, role=Role.SENIOR),
        FOREIGN: InvitationFactory(organization=gym_b, role=Role.TRAINER, token=INVITATION_TOKEN_B),
    }
    world = World(
        gym_a=gym_a,
        gym_b=gym_b,
        members=members,
        foreign=foreign,
        specialties=specialties,
        invitations=invitations,
        foreign_assistant=foreign_assistant,
    )
    for role in ("owner", "senior", "trainer", "assistant", "deactivated"):
        world.session_keys[role] = _session_key(gym_a, members[role].trainer)
    world.session_keys["anonymous"] = None
    # A member of gym B, signed in on gym B's host; the test sends this cookie to gym A's host.
    world.session_keys["other_gym"] = _session_key(gym_b, b_trainer)
    world.api_keys = {role: members[role].api_secret for role in ("owner", "senior", "trainer", "assistant")}
    world.api_keys["deactivated"] = members["deactivated"].api_secret  # its trainer is deactivated since
    world.api_keys["anonymous"] = None
    world.api_keys["other_gym"] = foreign.api_secret  # gym B's key, sent to gym A's host
    return world


def snapshot(world):
    """Row count and a hash of every row of the tables a refused write must not change."""
    parts = (
        [
            f"SELECT '{table}', count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608
            f'FROM "{world.gym_a.schema_name}"."{table}" t'
            for table in SNAPSHOT_TABLES
        ]
        + [
            f"SELECT '{table}', count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608
            f'FROM public."{table}" t'
            for table in PUBLIC_SNAPSHOT_TABLES
        ]
        + [
            f"SELECT '{table}', count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608
            f'FROM (SELECT {columns} FROM "{world.gym_a.schema_name}"."{table}") t'
            for table, columns in PARTIAL_SNAPSHOT_TABLES.items()
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return {table: (count, digest) for table, count, digest in cursor.fetchall()}


def gym_a_ids(world, table):
    """Every id of ``table`` in gym A's schema."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT id FROM "{world.gym_a.schema_name}"."{table}"')  # noqa: S608
        return {row[0] for row in cursor.fetchall()}
