"""Client services: roles, refusals at the field, search text, screening, archive, erase, audit."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from apps.audit.models import AuditEntry
from apps.clientfile.services import client_erase
from apps.clients.models import SCREENING_KEYS, Client, ClientStatus, Sex, bmi, bmi_category
from apps.clients.search import normalize
from apps.clients.services import (
    client_archive,
    client_create,
    client_record_viewed,
    client_unarchive,
    client_update,
    screening_update,
)
from apps.core.dates import gym_today
from apps.core.errors import ApplicationError
from tenants.models import Role
from tests.factories import PaymentFactory, SessionFactory, SessionPackageFactory, TrainerFactory

NO = dict.fromkeys(SCREENING_KEYS, False)


def entries(client, action=None):
    rows = AuditEntry.objects.filter(target_type="clients.client", target_id=str(client.pk))
    return rows.filter(action=action) if action else rows


def test_a_trainer_creates_their_own_client_with_every_field(in_gym_a):
    trainer = TrainerFactory(role=Role.TRAINER, public_name="Tara")
    client = client_create(
        actor=trainer,
        first_name="  José ",
        last_name="Müller",
        date_of_birth="1990-05-17",
        sex=Sex.MALE,
        height_cm="180",
        weight_kg="81.25",
        email="Jose@Example.com",
        phone="+82 10-1234-5678",
        goals="Run 10 km",
        notes="",
    )
    client.refresh_from_db()
    assert (client.trainer, client.first_name, client.last_name) == (trainer, "José", "Müller")
    assert (client.date_of_birth, client.height_cm, client.weight_kg) == (
        date(1990, 5, 17),
        Decimal("180.0"),
        Decimal("81.25"),
    )
    assert client.search_text == "jose muller jose@example.com 821012345678"
    assert client.status == ClientStatus.ACTIVE
    entry = entries(client).get()
    assert (entry.action, entry.actor_id, entry.sentence) == ("client.create", trainer.pk, "Client of Tara added.")


def test_age_and_bmi_are_derived(in_gym_a):
    trainer = TrainerFactory(role=Role.TRAINER)
    today = gym_today()
    birth = today.replace(year=today.year - 30) + timedelta(days=1)  # 30th birthday is tomorrow
    client = client_create(actor=trainer, first_name="A", date_of_birth=birth, height_cm=180, weight_kg=81)
    assert client.age == 29
    assert client.bmi == Decimal("25.0")
    assert client.bmi_category == "Overweight"
    assert bmi(Decimal("50"), Decimal("170")) == Decimal("17.3")
    assert bmi_category(Decimal("17.3")) == "Underweight"
    assert bmi_category(Decimal("22")) == "Normal weight"
    assert bmi_category(Decimal("30")) == "Obesity"
    assert bmi(None, Decimal("170")) is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "  ", "This field is required."),
        ("date_of_birth", "tomorrow", "Enter the date of birth as YYYY-MM-DD."),
        ("height_cm", "0", "Enter a value from 50 to 272 cm."),
        ("height_cm", "49.9", "Enter a value from 50 to 272 cm."),
        ("height_cm", "273", "Enter a value from 50 to 272 cm."),
        ("height_cm", "abc", "Enter a number."),
        ("weight_kg", "1.9", "Enter a value from 2 to 500 kg."),
        ("weight_kg", "500.01", "Enter a value from 2 to 500 kg."),
        ("weight_kg", "NaN", "Enter a value from 2 to 500 kg."),
        ("email", "not-an-email", "Enter a valid email address."),
        ("phone", "call me", "Enter a phone number with digits."),
        ("sex", "other", "Choose female, male or not stated."),
    ],
)
def test_impossible_values_are_refused_at_the_field(in_gym_a, field, value, message):
    trainer = TrainerFactory(role=Role.TRAINER)
    fields = {"first_name": "Ann", field: value}
    with pytest.raises(ApplicationError) as refused:
        client_create(actor=trainer, **fields)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not Client.objects.exists()
    assert not AuditEntry.objects.exists()


def test_birth_dates_in_the_future_or_over_120_years_ago_are_refused(in_gym_a):
    trainer = TrainerFactory(role=Role.TRAINER)
    today = gym_today()
    with pytest.raises(ApplicationError, match="cannot be in the future") as refused:
        client_create(actor=trainer, first_name="A", date_of_birth=today + timedelta(days=1))
    assert refused.value.field == "date_of_birth"
    with pytest.raises(ApplicationError, match="more than 120 years ago"):
        client_create(actor=trainer, first_name="A", date_of_birth=today.replace(year=today.year - 121))
    assert client_create(actor=trainer, first_name="A", date_of_birth=today).age == 0


def test_the_owner_assigns_a_trainer_but_not_an_assistant_or_a_deactivated_one(in_gym_a):
    owner = TrainerFactory(role=Role.OWNER)
    trainer = TrainerFactory(role=Role.TRAINER)
    assert client_create(actor=owner, trainer=trainer, first_name="A").trainer == trainer
    for other, message in [
        (TrainerFactory(role=Role.ASSISTANT), "Assistants cannot own clients."),
        (TrainerFactory(role=Role.TRAINER, is_active=False), "Clients can only belong to an active trainer."),
    ]:
        with pytest.raises(ApplicationError) as refused:
            client_create(actor=owner, trainer=other, first_name="B")
        assert (refused.value.field, refused.value.message) == ("trainer", message)


@pytest.mark.parametrize("role", [Role.SENIOR, Role.TRAINER])
def test_seniors_and_trainers_create_only_for_themselves(in_gym_a, role):
    actor = TrainerFactory(role=role)
    other = TrainerFactory(role=Role.TRAINER)
    with pytest.raises(ApplicationError, match="only add clients of your own"):
        client_create(actor=actor, trainer=other, first_name="A")
    assert client_create(actor=actor, first_name="A").trainer == actor


def test_an_assistant_cannot_create_a_client(in_gym_a):
    with pytest.raises(ApplicationError, match="cannot add clients"):
        client_create(actor=TrainerFactory(role=Role.ASSISTANT), first_name="A")


def test_update_changes_fields_refreshes_search_and_audits_without_the_values(in_gym_a):
    trainer = TrainerFactory(role=Role.TRAINER)
    client = client_create(actor=trainer, first_name="Ann", email="ann@example.com")
    client = client_update(actor=trainer, client=client, last_name="Ødegård", notes="knee")
    client.refresh_from_db()
    assert client.search_text == "ann odegard ann@example.com"
    entry = entries(client, "client.update").get()
    assert entry.changes == {"last_name": ["…", "…"], "notes": ["…", "…"]}
    # no change, no entry
    client_update(actor=trainer, client=client, last_name="Ødegård")
    assert entries(client, "client.update").count() == 1


def test_only_the_owner_gives_a_client_to_another_trainer(in_gym_a):
    owner = TrainerFactory(role=Role.OWNER)
    trainer = TrainerFactory(role=Role.TRAINER)
    other = TrainerFactory(role=Role.TRAINER)
    client = client_create(actor=trainer, first_name="A")
    with pytest.raises(ApplicationError, match="Only the owner"):
        client_update(actor=trainer, client=client, trainer=other)
    assert client_update(actor=owner, client=client, trainer=other).trainer == other


def test_a_trainer_cannot_change_another_trainers_client(in_gym_a):
    client = client_create(actor=TrainerFactory(role=Role.TRAINER), first_name="A")
    for role in (Role.SENIOR, Role.TRAINER, Role.ASSISTANT):
        with pytest.raises(ApplicationError, match="cannot change this client"):
            client_update(actor=TrainerFactory(role=role), client=client, first_name="B")


def test_archive_and_unarchive_are_audited_once(in_gym_a):
    trainer = TrainerFactory(role=Role.TRAINER)
    client = client_create(actor=trainer, first_name="A")
    client = client_archive(actor=trainer, client=client)
    assert client.status == ClientStatus.ARCHIVED
    assert client.archived_at is not None
    client_archive(actor=trainer, client=client)
    client = client_unarchive(actor=trainer, client=client)
    assert (client.status, client.archived_at) == (ClientStatus.ACTIVE, None)
    assert list(entries(client).order_by("pk").values_list("action", flat=True)) == [
        "client.create",
        "client.archive",
        "client.unarchive",
    ]


def test_screening_with_consent_and_medical_clearance(in_gym_a):
    trainer = TrainerFactory(role=Role.TRAINER)
    client = client_create(actor=trainer, first_name="A")
    assert client.needs_medical_clearance is False
    with pytest.raises(ApplicationError, match="Answer every question") as refused:
        screening_update(actor=trainer, client=client, answers={"heart_condition": True}, consent=True)
    assert refused.value.field == "chest_pain"
    with pytest.raises(ApplicationError, match="must consent") as refused:
        screening_update(actor=trainer, client=client, answers=NO, consent=False)
    assert refused.value.field == "consent"
    client = screening_update(actor=trainer, client=client, answers=NO, consent=True)
    assert (client.needs_medical_clearance, client.screening_done) == (False, True)
    assert client.consent_at is not None
    client = screening_update(actor=trainer, client=client, answers={**NO, "dizziness": True}, consent=True)
    client.refresh_from_db()
    assert client.needs_medical_clearance is True
    assert entries(client, "client.screening").latest("pk").sentence == (
        "Health screening recorded: needs medical clearance."
    )


def test_opening_a_record_is_audited(in_gym_a):
    trainer = TrainerFactory(role=Role.TRAINER)
    client = client_create(actor=trainer, first_name="A")
    client_record_viewed(actor=trainer, client=client)
    assert entries(client, "client.view").get().actor_id == trainer.pk


def test_erase_anonymises_keeps_records_and_refuses_twice(in_gym_a):
    owner = TrainerFactory(role=Role.OWNER)
    trainer = TrainerFactory(role=Role.TRAINER)
    client = client_create(
        actor=trainer,
        first_name="Min-ji",
        last_name="Kim",
        date_of_birth="1991-03-04",
        sex=Sex.FEMALE,
        height_cm=165,
        weight_kg=60,
        email="minji@example.com",
        phone="010-1111-2222",
        goals="Strength",
        notes="Private",
    )
    client = screening_update(actor=trainer, client=client, answers={**NO, "medication": True}, consent=True)
    package = SessionPackageFactory(client=client)
    session = SessionFactory(client=client, package=package)
    payment = PaymentFactory(package=package)
    about_session = AuditEntry.objects.create(
        action="session.create", target_type="training.session", target_id="1", target_repr="Min-ji Kim 2026-01-01"
    )
    with pytest.raises(ApplicationError, match="Only the owner"):
        client_erase(actor=trainer, client=client)
    client = client_erase(actor=owner, client=client)
    client.refresh_from_db()
    assert (client.first_name, client.last_name, client.email, client.phone) == (
        f"Erased client #{client.pk}",
        "",
        "",
        "",
    )
    assert (client.date_of_birth, client.birth_year, client.goals, client.notes) == (None, 1991, "", "")
    assert (client.screening, client.consent_at, client.search_text) == ({}, None, "")
    assert (client.sex, client.height_cm, client.status) == (Sex.FEMALE, Decimal("165.0"), ClientStatus.ARCHIVED)
    assert client.erased_at is not None
    assert package.__class__.objects.filter(pk=package.pk, client=client).exists()
    assert session.__class__.objects.filter(pk=session.pk, client=client).exists()
    assert payment.__class__.objects.filter(pk=payment.pk, client=client).exists()
    assert set(entries(client).values_list("target_repr", flat=True)) == {f"Erased client #{client.pk}"}
    assert not entries(client).exclude(changes={}).exists()
    assert entries(client, "client.erase").get().actor_id == owner.pk
    about_session.refresh_from_db()
    assert about_session.target_repr == f"Erased client #{client.pk} 2026-01-01"
    with pytest.raises(ApplicationError, match="already erased"):
        client_erase(actor=owner, client=client)
    with pytest.raises(ApplicationError, match="was erased"):
        client_update(actor=owner, client=client, first_name="Back")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("José", "jose"), ("MÜLLER", "muller"), ("Straße", "strasse"), ("김민지", "김민지"), ("ＡＢＣ", "abc")],
)
def test_normalize(text, expected):
    assert normalize(text) == expected
