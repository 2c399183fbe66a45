"""Two gyms on one database: rows, users and sessions of one are invisible in the other."""

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client as DjangoClient

from apps.trainers.models import Trainer
from tests.factories import TrainerFactory

User = get_user_model()


def test_rows_of_one_gym_are_invisible_in_the_other(gym_a, gym_b):
    connection.set_tenant(gym_a)
    trainer = TrainerFactory(user__email="only-in-alpha@example.com")
    assert Trainer.objects.filter(pk=trainer.pk).exists()
    connection.set_tenant(gym_b)
    assert not Trainer.objects.filter(pk=trainer.pk).exists()
    assert not User.objects.filter(email="only-in-alpha@example.com").exists()


def test_gym_tables_do_not_exist_in_the_public_schema(gym_a):
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('public.trainers_trainer'), to_regclass('gym_alpha.trainers_trainer')")
        assert cursor.fetchone() == (None, "gym_alpha.trainers_trainer")


def test_sessions_live_in_their_gyms_schema(gym_a, gym_b, client_a):
    connection.set_tenant(gym_a)
    trainer = TrainerFactory()
    connection.set_schema_to_public()
    client_a.login_as(trainer)
    key = client_a.session.session_key
    connection.set_tenant(gym_a)
    assert Session.objects.filter(session_key=key).exists()
    connection.set_tenant(gym_b)
    assert not Session.objects.filter(session_key=key).exists()


def test_the_platform_admin_is_only_on_the_root_host(gym_a, client_a, root_client):
    assert client_a.get("/admin/").status_code == 404
    assert root_client.get("/admin/").status_code == 302


def test_a_finished_request_leaves_its_connection_on_the_public_schema(gym_a):
    """With persistent connections, whatever runs before the next request's tenant middleware must not be in
    the previous request's gym (tenants/signals.py)."""
    assert DjangoClient(HTTP_HOST=gym_a.host).get("/accounts/login/").status_code == 200
    assert connection.schema_name == "public"
