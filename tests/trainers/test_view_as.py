"""The trainer switcher: the owner views all trainers or one, an assistant those they assist; nobody widens their
scope by forging the choice; the choice lasts for the browser session and shows on every page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.access import SWITCHER_SESSION_KEY as SESSION_KEY
from apps.trainers.services.assistants import assistant_set_trainers
from apps.training.services import packages as package_services
from tenants.models import Role
from tests.factories import ClientFactory, PaymentFactory, SessionFactory, TrainerFactory


@pytest.fixture
def gym(in_gym_a):
    owner = TrainerFactory(role=Role.OWNER, user__full_name="Olga Owner")
    tom = TrainerFactory(role=Role.TRAINER, user__full_name="Tom Trainer")
    una = TrainerFactory(role=Role.TRAINER, user__full_name="Una Other")
    sam = TrainerFactory(role=Role.SENIOR, user__full_name="Sam Senior")
    ann = TrainerFactory(role=Role.ASSISTANT, user__full_name="Ann Assistant")
    assistant_set_trainers(actor=owner, assistant=ann, trainers=[tom, sam])
    rows = {}
    for trainer in (tom, una, sam):
        client = ClientFactory(trainer=trainer, first_name=f"Client-of-{trainer.user.full_name.split()[0]}")
        package = package_services.package_sell(actor=owner, client=client, name="P", total_sessions=5, price=50)
        PaymentFactory(package=package, amount=10)
        SessionFactory(client=client, trainer=trainer, starts_at=timezone.now() + timedelta(hours=1))
        rows[trainer.pk] = client
    connection.set_schema_to_public()
    return {"owner": owner, "tom": tom, "una": una, "sam": sam, "ann": ann, "clients": rows}


def choose(client_a, trainer_id, **extra):
    return client_a.post("/view-as/", {"trainer": "" if trainer_id is None else trainer_id, **extra})


def stored_choice(client_a):
    """The choice kept in the browser session (sessions live in the gym's schema)."""
    connection.set_tenant(client_a.organization)
    try:
        return client_a.session.get(SESSION_KEY)
    finally:
        connection.set_schema_to_public()


def list_trainers(client_a):
    """Whose rows the lists show: (clients, packages, payments, calendar sessions, dashboard's today sessions)."""
    clients = {c.trainer_id for c in client_a.get("/clients/").context["clients"]}
    export = client_a.get("/clients/export.csv").content.decode()
    packages = {p.trainer_id for p in client_a.get("/packages/").context["packages"]}
    payments = {p.package.trainer_id for p in client_a.get("/payments/").context["payments"]}
    today = timezone.localdate()
    calendar = client_a.get("/sessions/", {"day": today.isoformat()}).context
    if "time_grid" in calendar:  # one trainer's week as a time grid
        sessions = {s.trainer_id for column in calendar["time_grid"].columns for s in column.sessions}
        summary = set()
    else:  # all trainers: counts per trainer and day
        sessions = {s.trainer_id for week in calendar["weeks"] for cell in week for s in cell["sessions"]}
        summary = {e["trainer"].pk for week in calendar["weeks"] for cell in week for e in cell["summary"]}
    dashboard = {s.trainer_id for s in client_a.get("/").context["figures"].today_sessions}
    return clients, export, packages, payments, sessions | summary, dashboard


def test_the_owner_narrows_every_list_to_one_trainer_and_back(gym, client_a):
    client_a.login_as(gym["owner"])
    everyone = {gym["tom"].pk, gym["una"].pk, gym["sam"].pk}
    clients, export, packages, payments, sessions, dashboard = list_trainers(client_a)
    assert clients == packages == payments == sessions == dashboard == everyone

    response = choose(client_a, gym["tom"].pk, next="/clients/")
    assert response.status_code == 302 and response["Location"] == "/clients/"
    clients, export, packages, payments, sessions, dashboard = list_trainers(client_a)
    only_tom = {gym["tom"].pk}
    assert clients == packages == payments == sessions == dashboard == only_tom
    assert "Client-of-Tom" in export and "Client-of-Una" not in export
    html = client_a.get("/packages/").content.decode()
    assert "Showing the data of <strong>Tom Trainer</strong>" in html  # the marker, on every page

    # An object outside the scope stays reachable by its page: switching narrows lists, not rights.
    assert client_a.get(f"/clients/{gym['clients'][gym['una'].pk].pk}/").status_code == 200

    choose(client_a, None)
    assert list_trainers(client_a)[0] == everyone
    assert "Showing the data of" not in client_a.get("/clients/").content.decode()


def test_the_choice_lasts_for_the_browser_session_only(gym, client_a):
    client_a.login_as(gym["owner"])
    choose(client_a, gym["una"].pk)
    assert stored_choice(client_a) == gym["una"].pk
    assert list_trainers(client_a)[0] == {gym["una"].pk}
    client_a.logout()
    client_a.login_as(gym["owner"])
    assert list_trainers(client_a)[0] == {gym["tom"].pk, gym["una"].pk, gym["sam"].pk}


def test_an_assistant_picks_among_the_trainers_they_assist(gym, client_a):
    client_a.login_as(gym["ann"])
    clients = {c.trainer_id for c in client_a.get("/clients/").context["clients"]}
    assert clients == {gym["tom"].pk, gym["sam"].pk}
    html = client_a.get("/").content.decode()
    assert "Tom Trainer" in html and "Una Other" not in html  # the switcher offers only theirs
    assert choose(client_a, gym["sam"].pk).status_code == 302
    assert {c.trainer_id for c in client_a.get("/clients/").context["clients"]} == {gym["sam"].pk}

    # A forged choice (a trainer they do not assist) is refused and the current choice stays.
    assert choose(client_a, gym["una"].pk).status_code == 404
    assert stored_choice(client_a) == gym["sam"].pk
    assert {c.trainer_id for c in client_a.get("/clients/").context["clients"]} == {gym["sam"].pk}


@pytest.mark.parametrize("role", ["tom", "sam"])
def test_seniors_and_trainers_cannot_switch(gym, client_a, role):
    client_a.login_as(gym[role])
    before = {c.trainer_id for c in client_a.get("/clients/").context["clients"]}
    assert before == {gym[role].pk}
    assert choose(client_a, gym["una"].pk).status_code == 403
    assert choose(client_a, None).status_code == 403
    assert stored_choice(client_a) is None
    assert {c.trainer_id for c in client_a.get("/clients/").context["clients"]} == before
    assert 'action="/view-as/"' not in client_a.get("/").content.decode()


@pytest.mark.parametrize("forged", ["abc", "-1", "999999", "1.5"])
def test_nonsense_choices_are_refused(gym, client_a, forged):
    client_a.login_as(gym["owner"])
    choose(client_a, gym["tom"].pk)
    assert client_a.post("/view-as/", {"trainer": forged}).status_code == 404
    assert stored_choice(client_a) == gym["tom"].pk


def test_a_choice_that_is_no_longer_allowed_is_dropped(gym, client_a):
    client_a.login_as(gym["ann"])
    choose(client_a, gym["tom"].pk)
    connection.set_tenant(client_a.organization)
    assistant_set_trainers(actor=gym["owner"], assistant=gym["ann"], trainers=[gym["sam"]])
    connection.set_schema_to_public()
    assert {c.trainer_id for c in client_a.get("/clients/").context["clients"]} == {gym["sam"].pk}
    assert stored_choice(client_a) is None


def test_next_never_leaves_the_gym(gym, client_a):
    client_a.login_as(gym["owner"])
    response = choose(client_a, gym["tom"].pk, next="https://evil.example.com/")
    assert response["Location"] == "/"


def test_the_switcher_costs_one_query_whatever_the_team_size(gym, client_a):
    client_a.login_as(gym["owner"])

    def measure():
        client_a.get("/")
        with CaptureQueriesContext(connection) as queries:
            assert client_a.get("/").status_code == 200
        return len(queries)

    small = measure()
    connection.set_tenant(client_a.organization)
    TrainerFactory.create_batch(30)
    connection.set_schema_to_public()
    assert measure() == small
