"""Idempotency-Key with Stripe's semantics: a replay, a refusal of another body, a 409 while in flight, and two
racing requests on two connections that create exactly one client."""

import threading
import time

import pytest
from django.db import connection, connections

from apps.api.models import IdempotencyRecord
from apps.clients import services as client_services
from apps.clients.models import Client
from apps.trainers.models import ApiKey, Trainer
from tenants.models import Organization
from tests.api.conftest import Api
from tests.conftest import GYM_A, GymClient
from tests.support import in_gym


def test_the_same_key_and_body_replays_the_answer(gym_a, people, api_as):
    api = api_as(people["trainer"])
    first = api.post("clients/", {"first_name": "Once"}, headers={"Idempotency-Key": "k-1"})
    again = api.post("clients/", {"first_name": "Once"}, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert in_gym(gym_a, Client.objects.filter(first_name="Once").count) == 1


def test_the_same_key_with_another_body_is_422(gym_a, people, api_as):
    api = api_as(people["trainer"])
    api.post("clients/", {"first_name": "Once"}, headers={"Idempotency-Key": "k-2"})
    other = api.post("clients/", {"first_name": "Twice"}, headers={"Idempotency-Key": "k-2"})
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert in_gym(gym_a, Client.objects.filter(first_name="Twice").count) == 0


def test_keys_are_per_actor_and_a_key_in_flight_is_409(gym_a, people, api_as):
    api = api_as(people["trainer"])
    api.post("clients/", {"first_name": "A"}, headers={"Idempotency-Key": "k-3"})
    # As if that first request were still running.
    in_gym(gym_a, IdempotencyRecord.objects.filter(key="k-3").update, status_code=None, response_body=None)
    busy = api.post("clients/", {"first_name": "A"}, headers={"Idempotency-Key": "k-3"})
    assert busy.status_code == 409 and busy.json()["code"] == "idempotency_key_in_flight"
    other_actor = api_as(people["owner"]).post(
        "clients/", {"first_name": "A", "trainer": people["owner"].pk}, headers={"Idempotency-Key": "k-3"}
    )
    assert other_actor.status_code == 201


def test_a_refused_request_is_replayed_too_and_a_bad_key_is_400(people, api_as):
    api = api_as(people["trainer"])
    first = api.post("clients/", {"first_name": ""}, headers={"Idempotency-Key": "k-4"})
    again = api.post("clients/", {"first_name": ""}, headers={"Idempotency-Key": "k-4"})
    assert first.status_code == again.status_code == 400 and again["Idempotent-Replayed"] == "true"
    assert api.post("clients/", {"first_name": "A"}, headers={"Idempotency-Key": "x" * 201}).status_code == 400


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        organization = Organization.objects.get(slug=GYM_A)
        connection.set_tenant(organization)
        from tests.factories import TrainerFactory

        trainer = TrainerFactory(role="trainer")
        from apps.trainers.services.api_keys import api_key_create

        _key, secret = api_key_create(actor=trainer, name="race", writable=True)
        connection.set_schema_to_public()
        yield organization, trainer, secret
        connection.set_tenant(organization)
        Client.objects.filter(trainer=trainer).delete()
        IdempotencyRecord.objects.filter(actor_id=trainer.pk).delete()
        from apps.audit.models import AuditEntry

        AuditEntry.objects.filter(actor_id=trainer.pk).delete()
        ApiKey.objects.filter(trainer=trainer).delete()
        user = trainer.user
        Trainer.objects.filter(pk=trainer.pk).delete()
        user.delete()
        connection.set_schema_to_public()


def test_two_racing_requests_with_one_key_create_one_client(committed, monkeypatch):
    organization, trainer, secret = committed
    create = client_services.client_create

    def slow_create(**kwargs):
        time.sleep(0.5)  # the first request is still running when the second arrives
        return create(**kwargs)

    monkeypatch.setattr(client_services, "client_create", slow_create)
    barrier = threading.Barrier(2)
    statuses = []

    def send():
        try:
            api = Api(GymClient(organization), secret)
            barrier.wait(timeout=10)
            response = api.post("clients/", {"first_name": "Racer"}, headers={"Idempotency-Key": "race-1"})
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [201, 409]
    connection.set_tenant(organization)
    try:
        assert Client.objects.filter(trainer=trainer, first_name="Racer").count() == 1
    finally:
        connection.set_schema_to_public()
