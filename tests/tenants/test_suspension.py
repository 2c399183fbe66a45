import pytest
from django.db import connection

from apps.core.errors import ApplicationError
from apps.trainers.models import Trainer
from tenants.services import organization_reactivate, organization_suspend
from tests.factories import TrainerFactory


@pytest.fixture
def member(in_gym_a):
    trainer = TrainerFactory(role="owner")
    connection.set_schema_to_public()
    return trainer


@pytest.mark.parametrize("path", ["/", "/team/", "/accounts/login/", "/invitations/whatever/", "/nope/"])
def test_a_suspended_gym_answers_every_page_with_a_clear_page(gym_a, client_a, member, path):
    client_a.login_as(member)
    organization_suspend(organization=gym_a)
    response = client_a.get(path)
    assert response.status_code == 403
    assert b"This organization is suspended" in response.content
    assert client_a.post(path, {}).status_code == 403


def test_a_suspended_gym_answers_api_calls_with_json(gym_a, client_a):
    organization_suspend(organization=gym_a)
    response = client_a.get("/api/anything/")
    assert response.status_code == 403
    assert response.json()["code"] == "organization_suspended"


def test_suspension_deletes_nothing_and_reactivation_restores_access(gym_a, client_a, member):
    client_a.login_as(member)
    organization_suspend(organization=gym_a)
    assert client_a.get("/").status_code == 403
    gym_a.refresh_from_db()
    organization_reactivate(organization=gym_a)
    assert client_a.get("/").status_code == 200
    connection.set_tenant(gym_a)
    assert Trainer.objects.filter(pk=member.pk).exists()


def test_other_gyms_are_unaffected(gym_a, gym_b, client_b):
    organization_suspend(organization=gym_a)
    assert client_b.get("/accounts/login/").status_code == 200


def test_suspending_twice_or_reactivating_an_active_gym_is_refused(gym_a):
    with pytest.raises(ApplicationError):
        organization_reactivate(organization=gym_a)
    organization_suspend(organization=gym_a)
    with pytest.raises(ApplicationError):
        organization_suspend(organization=gym_a)


def test_suspension_reaches_a_warm_host_cache_at_once(gym_a, client_a):
    assert client_a.get("/accounts/login/").status_code == 200  # cached as active
    organization_suspend(organization=gym_a)
    assert client_a.get("/accounts/login/").status_code == 403
