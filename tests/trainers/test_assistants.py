"""Assistants: linked by the owner or a senior to trainers, they work on those trainers' clients and sessions, never
see prices, payments or revenue, and never remove anything."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from apps.assessments.services import assessment_create
from apps.audit.models import AuditEntry
from apps.clients.models import Client
from apps.clients.services import client_archive, client_create
from apps.core.errors import ApplicationError
from apps.team.services import trainer_deactivate
from apps.trainers.models import AssistantLink
from apps.trainers.services.assistants import assistant_set_trainers
from apps.training.models import Session, SessionPackage
from apps.training.services import packages as package_services
from apps.training.services import sessions as session_services
from tenants.models import Role
from tests.factories import ClientFactory, TrainerFactory


@pytest.fixture
def team(in_gym_a):
    owner = TrainerFactory(role=Role.OWNER, user__full_name="Olga Owner")
    tom = TrainerFactory(role=Role.TRAINER, user__full_name="Tom Trainer")
    una = TrainerFactory(role=Role.TRAINER, user__full_name="Una Other")
    ann = TrainerFactory(role=Role.ASSISTANT, user__full_name="Ann Assistant")
    assistant_set_trainers(actor=owner, assistant=ann, trainers=[tom])
    ann = type(ann).objects.get(pk=ann.pk)  # fresh: assisted_trainer_ids is kept per object
    return {"owner": owner, "tom": tom, "una": una, "ann": ann}


def page(client_a, actor, url, method="get", **data):
    connection.set_schema_to_public()
    response = getattr(client_a.login_as(actor), method)(url, data)
    connection.set_tenant(client_a.organization)
    return response


# --- linking -----------------------------------------------------------------------------------------------------


def test_owner_and_senior_link_others_may_not(team):
    senior = TrainerFactory(role=Role.SENIOR)
    assistant_set_trainers(actor=senior, assistant=team["ann"], trainers=[team["tom"], team["una"]])
    assert set(AssistantLink.objects.filter(assistant=team["ann"]).values_list("trainer_id", flat=True)) == {
        team["tom"].pk,
        team["una"].pk,
    }
    entry = AuditEntry.objects.filter(action="trainer.assists").latest("pk")
    assert entry.changes == {"assists": [["Tom Trainer"], ["Tom Trainer", "Una Other"]]}
    for actor in (team["tom"], team["ann"]):
        with pytest.raises(ApplicationError, match="You cannot choose whom this member assists."):
            assistant_set_trainers(actor=actor, assistant=team["ann"], trainers=[])
    assert AssistantLink.objects.filter(assistant=team["ann"]).count() == 2


def test_only_active_trainers_can_be_assisted(team):
    other_assistant = TrainerFactory(role=Role.ASSISTANT)
    gone = TrainerFactory(role=Role.TRAINER, is_active=False)
    for bad in (other_assistant, gone):
        with pytest.raises(ApplicationError, match="Assistants can only work for active trainers.") as caught:
            assistant_set_trainers(actor=team["owner"], assistant=team["ann"], trainers=[team["una"], bad])
        assert caught.value.field == "trainers"
    # Nothing half-saved: Tom is still the only one.
    assert list(AssistantLink.objects.filter(assistant=team["ann"]).values_list("trainer_id", flat=True)) == [
        team["tom"].pk
    ]
    with pytest.raises(ApplicationError):
        assistant_set_trainers(actor=team["owner"], assistant=team["tom"], trainers=[team["una"]])  # not an assistant


def test_the_link_page(team, client_a):
    url = f"/team/{team['ann'].pk}/assists/"
    assert page(client_a, team["owner"], url).status_code == 200
    response = page(client_a, team["owner"], url, "post", trainers=[team["una"].pk])
    assert response.status_code == 302
    assert list(AssistantLink.objects.filter(assistant=team["ann"]).values_list("trainer_id", flat=True)) == [
        team["una"].pk
    ]
    forged = page(client_a, team["owner"], url, "post", trainers=[team["ann"].pk])  # not a choice
    assert forged.status_code == 400
    assert AssistantLink.objects.filter(assistant=team["ann"]).count() == 1
    assert page(client_a, team["tom"], url).status_code == 403
    assert page(client_a, team["owner"], f"/team/{team['tom'].pk}/assists/").status_code == 404  # not an assistant
    team_page = page(client_a, team["owner"], "/team/").content.decode()
    assert "Assists Una Other" in team_page


# --- what an assistant sees and does -------------------------------------------------------------------------


def test_an_assistant_sees_the_clients_of_their_trainers_only(team, client_a):
    mine = ClientFactory(trainer=team["tom"], first_name="Tomsclient")
    other = ClientFactory(trainer=team["una"], first_name="Unasclient")
    listing = page(client_a, team["ann"], "/clients/")
    assert [client.pk for client in listing.context["clients"]] == [mine.pk]
    assert page(client_a, team["ann"], f"/clients/{mine.pk}/").status_code == 200
    assert page(client_a, team["ann"], f"/clients/{other.pk}/").status_code == 404
    csv = page(client_a, team["ann"], "/clients/export.csv").content.decode()
    assert "Tomsclient" in csv and "Unasclient" not in csv


def test_an_assistant_never_sees_prices_payments_or_revenue(team, client_a):
    client = ClientFactory(trainer=team["tom"])
    package = package_services.package_sell(
        actor=team["owner"], client=client, name="Ten", total_sessions=10, price="987654"
    )
    for url in ["/packages/", f"/packages/{package.pk}/", "/payments/", "/packages/new/", "/pricing/"]:
        assert page(client_a, team["ann"], url).status_code == 403, url
    assert SessionPackage.objects.visible_to(team["ann"]).count() == 0
    for url in [f"/clients/{client.pk}/", "/", "/sessions/", "/sessions/new/"]:
        html = page(client_a, team["ann"], url).content.decode()
        assert "987" not in html, url
        assert "Revenue" not in html, url


def test_an_assistant_adds_clients_assessments_and_sessions_for_their_trainers(team):
    ann, tom, una = team["ann"], team["tom"], team["una"]
    client = client_create(
        actor=ann, trainer=tom, first_name="New", last_name="Client", date_of_birth="1990-05-01", sex="female"
    )
    assert client.trainer_id == tom.pk
    for trainer in (None, una, ann):
        with pytest.raises(ApplicationError, match="Choose one of the trainers you assist.") as caught:
            client_create(actor=ann, trainer=trainer, first_name="No")
        assert caught.value.field == "trainer"

    assessment = assessment_create(
        actor=ann, client=client, performed_at=timezone.now(), results={"push_ups": {"raw": {"reps": 20}}}
    )
    assert assessment.client_id == client.pk

    package = package_services.package_sell(actor=tom, client=client, name="Two", total_sessions=2, price=100)
    session = session_services.session_schedule(
        actor=ann,
        client=client,
        starts_at=timezone.now() - timedelta(hours=2),
        package=package.pk,
        confirm_unavailable=True,
    )
    assert session.trainer_id == tom.pk
    session_services.session_complete(actor=ann, session=session)
    package.refresh_from_db()
    assert package.used_sessions == 1
    with pytest.raises(ApplicationError, match="Choose one of the trainers you assist."):
        session_services.session_schedule(
            actor=ann, client=client, trainer=una, starts_at=timezone.now() + timedelta(days=2)
        )


def test_an_assistant_never_removes_anything(team, client_a):
    client = ClientFactory(trainer=team["tom"])
    with pytest.raises(ApplicationError, match="Assistants cannot archive clients."):
        client_archive(actor=team["ann"], client=client)
    assert page(client_a, team["ann"], f"/clients/{client.pk}/archive/", "post").status_code == 404
    assert page(client_a, team["ann"], f"/clients/{client.pk}/erase/", "post", confirm="ERASE").status_code == 403
    assert Client.objects.get(pk=client.pk).status == "active"
    detail = page(client_a, team["ann"], f"/clients/{client.pk}/").content.decode()
    assert "Archive" not in detail and "Erase" not in detail


def test_a_deactivated_trainer_takes_their_clients_out_of_the_assistants_view(team):
    ClientFactory(trainer=team["tom"])
    assert Client.objects.visible_to(team["ann"]).count() == 1
    trainer_deactivate(actor=team["owner"], trainer=team["tom"])
    ann = type(team["ann"]).objects.get(pk=team["ann"].pk)
    assert Client.objects.visible_to(ann).count() == 0
    assert Session.objects.visible_to(ann).count() == 0
    assert AssistantLink.objects.filter(assistant=ann).count() == 1  # the link is kept for a reactivation


def test_the_calendar_offers_the_assistants_trainers(team, client_a):
    response = page(client_a, team["ann"], "/sessions/")
    field = response.context["filter_form"].fields["trainer"]
    assert [trainer.pk for trainer in field.queryset] == [team["tom"].pk]
    assert field.empty_label == "All my trainers"
