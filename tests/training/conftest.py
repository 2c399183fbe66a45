from decimal import Decimal

import pytest
from django.db import connection

from apps.trainers.models import PricingTemplate
from tenants.models import Role
from tests.factories import ClientFactory, TrainerFactory


@pytest.fixture
def gym(in_gym_a):
    """Gym A with known money settings, in memory (what selectors and pages read) and in its row (what the sale and
    cancellation services read afresh; the test's transaction rolls the row back)."""
    organization = connection.tenant
    known = {
        "currency": "USD",
        "default_vat_rate": Decimal("0.1000"),
        "default_card_fee_rate": Decimal("0.0250"),
        "late_cancellation_hours": 24,
        "timezone": "UTC",
    }
    saved = {name: getattr(organization, name) for name in known}
    for name, value in known.items():
        setattr(organization, name, value)
    type(organization).objects.filter(pk=organization.pk).update(**known)
    yield organization
    for name, value in saved.items():
        setattr(organization, name, value)


@pytest.fixture
def owner(gym):
    return TrainerFactory(role=Role.OWNER, user__full_name="Olga Owner")


@pytest.fixture
def coach(gym):
    return TrainerFactory(role=Role.TRAINER, user__full_name="Tom Trainer")


@pytest.fixture
def senior(gym):
    return TrainerFactory(role=Role.SENIOR, user__full_name="Sam Senior")


@pytest.fixture
def assistant(gym):
    return TrainerFactory(role=Role.ASSISTANT, user__full_name="Ann Assistant")


@pytest.fixture
def client_of_coach(coach):
    return ClientFactory(trainer=coach, first_name="Cora", last_name="Client")


@pytest.fixture
def template(coach):
    return PricingTemplate.objects.create(
        trainer=coach, name="Ten", sessions=10, price=Decimal("500.00"), validity_days=90
    )
