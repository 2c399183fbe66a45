"""The dashboard: today's sessions and the month's figures of what the actor sees, in a fixed number of queries."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.analytics.dashboard import dashboard
from apps.core.dates import gym_timezone, gym_today
from apps.trainers.services.assistants import assistant_set_trainers
from apps.training.models import PackageStatus
from tenants.models import Role
from tests.factories import ClientFactory, PaymentFactory, SessionFactory, SessionPackageFactory, TrainerFactory


def today_at(hour):
    return datetime.combine(gym_today(), time(hour), tzinfo=gym_timezone())


@pytest.fixture
def team(in_gym_a):
    owner = TrainerFactory(role=Role.OWNER)
    tom = TrainerFactory(role=Role.TRAINER)
    una = TrainerFactory(role=Role.TRAINER)
    ann = TrainerFactory(role=Role.ASSISTANT)
    assistant_set_trainers(actor=owner, assistant=ann, trainers=[tom])
    return {"owner": owner, "tom": tom, "una": una, "ann": type(ann).objects.get(pk=ann.pk)}


def test_figures_follow_what_the_actor_sees(team):
    tom, una = team["tom"], team["una"]
    toms = ClientFactory(trainer=tom)
    ClientFactory(trainer=tom, status="archived")
    unas = ClientFactory(trainer=una)
    SessionFactory(client=toms, trainer=tom, starts_at=today_at(23))
    SessionFactory(client=toms, trainer=tom, starts_at=today_at(22), status="cancelled")
    SessionFactory(client=toms, trainer=tom, starts_at=today_at(0) + timedelta(days=3))
    SessionFactory(client=unas, trainer=una, starts_at=today_at(23))
    low = SessionPackageFactory(client=toms, total_sessions=5, used_sessions=4)
    SessionPackageFactory(client=toms, total_sessions=5, used_sessions=1)
    SessionPackageFactory(client=unas, total_sessions=5, used_sessions=5, status=PackageStatus.USED_UP)
    PaymentFactory(package=low, amount=Decimal("120"))

    mine = dashboard(actor=tom)
    assert (mine.sessions_today, mine.sessions_week, mine.active_clients) == (1, 2, 1)
    assert [s.client_id for s in mine.today_sessions] == [toms.pk]
    assert mine.active_packages == 2 and mine.low_packages == [low]
    assert mine.revenue_month == Decimal("120")

    everyone = dashboard(actor=team["owner"])
    assert (everyone.sessions_today, everyone.active_clients) == (2, 2)
    assert dashboard(actor=team["owner"], trainer_id=una.pk).sessions_today == 1

    assisting = dashboard(actor=team["ann"])
    assert (assisting.sessions_today, assisting.active_clients) == (1, 1)
    assert assisting.money is False and assisting.revenue_month is None and assisting.low_packages is None


@pytest.mark.parametrize("role", ["owner", "tom"])
def test_the_page_costs_the_same_queries_with_3_and_30_rows(team, client_a, role):
    def fill(count):
        connection.set_tenant(client_a.organization)
        for _ in range(count):
            client = ClientFactory(trainer=team["tom"])
            package = SessionPackageFactory(client=client, total_sessions=2, used_sessions=1)
            PaymentFactory(package=package, amount=10)
            SessionFactory(client=client, trainer=team["tom"], starts_at=today_at(23))
        connection.set_schema_to_public()

    def measure():
        client_a.get("/")
        with CaptureQueriesContext(connection) as queries:
            response = client_a.get("/")
        assert response.status_code == 200
        return len(queries), response

    client_a.login_as(team[role])
    fill(3)
    small, response = measure()
    assert len(response.context["figures"].today_sessions) == 3
    fill(27)
    large, response = measure()
    assert len(response.context["figures"].today_sessions) == 30
    assert small == large
