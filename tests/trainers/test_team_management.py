from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session as DjangoSession
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.clients.models import Client
from apps.core.errors import ApplicationError
from apps.team import services
from apps.trainers.models import Trainer
from apps.training.models import PackageStatus, Session, SessionStatus
from tenants.models import Role
from tests.factories import (
    ClientFactory,
    InvitationFactory,
    SessionFactory,
    SessionPackageFactory,
    TrainerFactory,
)


@pytest.fixture
def owner(in_gym_a):
    return TrainerFactory(role=Role.OWNER, user__full_name="Olga Owner")


def entries(action):
    return [(e.actor_name, e.target_repr, e.sentence) for e in AuditEntry.objects.filter(action=action).order_by("pk")]


# --- roles ------------------------------------------------------------------------------------


def test_owner_changes_a_role_and_it_is_audited(owner):
    tara = TrainerFactory(role=Role.TRAINER, user__full_name="Tara")
    services.trainer_change_role(actor=owner, trainer=tara, role=Role.SENIOR)
    tara.refresh_from_db()
    assert tara.role == Role.SENIOR
    entry = AuditEntry.objects.get(action="trainer.role_change")
    assert (entry.actor_id, entry.target_repr, entry.changes) == (owner.pk, "Tara", {"role": ["trainer", "senior"]})


@pytest.mark.parametrize("role", [Role.SENIOR, Role.TRAINER, Role.ASSISTANT])
def test_only_the_owner_changes_roles(in_gym_a, role):
    actor = TrainerFactory(role=role)
    other = TrainerFactory(role=Role.ASSISTANT)
    with pytest.raises(ApplicationError, match="Only the owner"):
        services.trainer_change_role(actor=actor, trainer=other, role=Role.TRAINER)
    other.refresh_from_db()
    assert other.role == Role.ASSISTANT


def test_the_last_owner_cannot_be_demoted(owner):
    with pytest.raises(ApplicationError, match="last active owner"):
        services.trainer_change_role(actor=owner, trainer=owner, role=Role.TRAINER)
    second = TrainerFactory(role=Role.OWNER)
    services.trainer_change_role(actor=owner, trainer=owner, role=Role.SENIOR)
    with pytest.raises(ApplicationError, match="last active owner"):
        services.trainer_change_role(actor=second, trainer=second, role=Role.TRAINER)


def test_an_inactive_owner_does_not_count_as_a_remaining_owner(owner):
    TrainerFactory(role=Role.OWNER, is_active=False)
    with pytest.raises(ApplicationError, match="last active owner"):
        services.trainer_change_role(actor=owner, trainer=owner, role=Role.TRAINER)


# --- deactivation -----------------------------------------------------------------------------


def test_deactivation_ends_access_at_once_and_deletes_nothing(owner, gym_a, client_a):
    tara = TrainerFactory(role=Role.TRAINER, user__email="tara@example.com")
    client = ClientFactory(trainer=tara)
    connection.set_schema_to_public()
    client_a.post("/accounts/login/", {"login": "tara@example.com", "password": "a-Strong-passw0rd"})
    assert client_a.get("/").status_code == 200
    key = client_a.session.session_key

    connection.set_tenant(gym_a)
    services.trainer_deactivate(actor=owner, trainer=tara)
    assert not DjangoSession.objects.filter(session_key=key).exists()
    tara.refresh_from_db()
    assert (tara.is_active, tara.user.is_active) == (False, False)
    assert tara.deactivated_at is not None
    assert Client.objects.get(pk=client.pk).trainer_id == tara.pk
    assert entries("trainer.deactivate")[0][2] == (
        "Deactivated. Sign-in sessions ended: 1. Clients who need a trainer: 1."
    )

    connection.set_schema_to_public()
    response = client_a.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client_a.post("/accounts/login/", {"login": "tara@example.com", "password": "a-Strong-passw0rd"})
    assert client_a.get("/").status_code == 302


def test_nobody_deactivates_themselves(owner):
    with pytest.raises(ApplicationError, match="yourself"):
        services.trainer_deactivate(actor=owner, trainer=owner)


@pytest.mark.parametrize(
    ("target_role", "allowed"), [("trainer", True), ("assistant", True), ("senior", False), ("owner", False)]
)
def test_senior_deactivates_only_trainers_and_assistants(in_gym_a, target_role, allowed):
    TrainerFactory(role=Role.OWNER)
    senior = TrainerFactory(role=Role.SENIOR)
    target = TrainerFactory(role=target_role)
    if allowed:
        services.trainer_deactivate(actor=senior, trainer=target)
        services.trainer_reactivate(actor=senior, trainer=target)
    else:
        with pytest.raises(ApplicationError):
            services.trainer_deactivate(actor=senior, trainer=target)
    target.refresh_from_db()
    assert target.is_active


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ASSISTANT])
def test_trainers_and_assistants_cannot_deactivate(in_gym_a, role):
    actor = TrainerFactory(role=role)
    with pytest.raises(ApplicationError):
        services.trainer_deactivate(actor=actor, trainer=TrainerFactory(role=Role.ASSISTANT))


def test_an_owner_may_deactivate_another_owner_but_one_owner_always_remains(owner):
    second = TrainerFactory(role=Role.OWNER)
    services.trainer_deactivate(actor=owner, trainer=second)
    with pytest.raises(ApplicationError):
        services.trainer_deactivate(actor=owner, trainer=owner)
    assert Trainer.objects.filter(role=Role.OWNER, is_active=True).count() == 1


def test_reactivation_respects_the_seat_limit(owner, gym_a):
    tara = TrainerFactory(role=Role.TRAINER)
    services.trainer_deactivate(actor=owner, trainer=tara)
    gym_a.seat_limit = 2
    gym_a.save(update_fields=["seat_limit"])
    TrainerFactory()  # owner + this one fill both seats
    connection.set_tenant(gym_a)
    with pytest.raises(ApplicationError, match="seats are taken"):
        services.trainer_reactivate(actor=owner, trainer=tara)
    gym_a.seat_limit = 3
    gym_a.save(update_fields=["seat_limit"])
    connection.set_tenant(gym_a)
    services.trainer_reactivate(actor=owner, trainer=tara)
    tara.refresh_from_db()
    assert tara.is_active and tara.user.is_active and tara.deactivated_at is None
    assert entries("trainer.reactivate")


def test_a_trainer_row_that_owns_data_cannot_be_deleted(owner):
    from django.db.models import ProtectedError

    tara = TrainerFactory()
    ClientFactory(trainer=tara)
    with pytest.raises(ProtectedError):
        tara.delete()


# --- transfer ---------------------------------------------------------------------------------


@pytest.fixture
def handover(owner):
    leaving = TrainerFactory(role=Role.TRAINER, user__full_name="Leaving")
    taking = TrainerFactory(role=Role.TRAINER, user__full_name="Taking")
    client = ClientFactory(trainer=leaving, first_name="Cora", last_name="Client")
    now = timezone.now()
    return {
        "leaving": leaving,
        "taking": taking,
        "client": client,
        "future": SessionFactory(client=client, starts_at=now + timedelta(days=2)),
        "past": SessionFactory(client=client, starts_at=now - timedelta(days=2)),
        "completed": SessionFactory(client=client, starts_at=now - timedelta(days=9), status=SessionStatus.COMPLETED),
        "cancelled_future": SessionFactory(
            client=client, starts_at=now + timedelta(days=3), status=SessionStatus.CANCELLED
        ),
        "active_package": SessionPackageFactory(client=client),
        "used_package": SessionPackageFactory(client=client, status=PackageStatus.USED_UP),
    }


def test_transfer_moves_exactly_the_future_items(owner, handover):
    moved = services.clients_transfer(actor=owner, clients=[handover["client"]], to_trainer=handover["taking"])
    assert moved == 1
    trainer_of = {
        key: type(obj).objects.get(pk=obj.pk).trainer_id
        for key, obj in handover.items()
        if key not in {"leaving", "taking"}
    }
    taking, leaving = handover["taking"].pk, handover["leaving"].pk
    assert trainer_of == {
        "client": taking,
        "future": taking,
        "active_package": taking,
        "past": leaving,
        "completed": leaving,
        "cancelled_future": leaving,
        "used_package": leaving,
    }
    assert entries("client.transfer") == [
        (
            "Olga Owner",
            "Cora Client",
            "Transferred from Leaving to Taking. Future sessions moved: 1. Packages moved: 1.",
        )
    ]


def test_transfer_of_all_clients_is_one_transaction(owner, handover, monkeypatch):
    second = ClientFactory(trainer=handover["leaving"])
    calls = []

    def failing_audit(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(services, "audit_record", failing_audit)
    with pytest.raises(RuntimeError):
        services.clients_transfer(actor=owner, clients=[handover["client"], second], to_trainer=handover["taking"])
    assert set(
        Client.objects.filter(pk__in=[handover["client"].pk, second.pk]).values_list("trainer_id", flat=True)
    ) == {handover["leaving"].pk}
    assert Session.objects.get(pk=handover["future"].pk).trainer_id == handover["leaving"].pk


def test_transfer_to_an_inactive_trainer_or_an_assistant_is_refused(owner, handover):
    handover["taking"].is_active = False
    handover["taking"].save()
    with pytest.raises(ApplicationError, match="active trainer"):
        services.clients_transfer(actor=owner, clients=[handover["client"]], to_trainer=handover["taking"])
    assistant = TrainerFactory(role=Role.ASSISTANT)
    with pytest.raises(ApplicationError, match="Assistants"):
        services.clients_transfer(actor=owner, clients=[handover["client"]], to_trainer=assistant)
    assert Client.objects.get(pk=handover["client"].pk).trainer_id == handover["leaving"].pk


@pytest.mark.parametrize("role", [Role.SENIOR, Role.TRAINER])
def test_only_the_owner_transfers(in_gym_a, role):
    actor = TrainerFactory(role=role)
    client = ClientFactory(trainer=actor)
    with pytest.raises(ApplicationError):
        services.clients_transfer(actor=actor, clients=[client], to_trainer=TrainerFactory())


# --- pages ------------------------------------------------------------------------------------


def test_team_page_shows_figures_and_clients_needing_a_trainer(owner, gym_a, client_a):
    tara = TrainerFactory(role=Role.TRAINER, user__full_name="Tara")
    ClientFactory.create_batch(2, trainer=tara)
    ClientFactory(trainer=tara, status="archived")
    SessionFactory(trainer=tara, client=Client.objects.filter(trainer=tara).first())
    services.trainer_deactivate(actor=owner, trainer=tara)
    connection.set_schema_to_public()
    content = client_a.login_as(owner).get("/team/").content.decode()
    assert "2 clients need a trainer" in content
    assert f"/team/{tara.pk}/transfer/" in content
    assert f"/team/{tara.pk}/reactivate/" in content


def test_team_page_search_and_filters(owner, client_a):
    TrainerFactory(role=Role.TRAINER, user__full_name="Findable Person", user__email="find@example.com")
    TrainerFactory(role=Role.ASSISTANT, user__full_name="Other Helper", is_active=False)
    connection.set_schema_to_public()
    client_a.login_as(owner)

    def members(query):
        html = client_a.get("/team/", query).content.decode()
        return html[html.index("<tbody>") : html.index("</tbody>")]  # the table, not the switcher in the nav

    assert "Findable" in members({"q": "FIND"})
    assert "Other Helper" not in members({"q": "find"})
    by_role = members({"role": "assistant"})
    assert "Other Helper" in by_role and "Findable" not in by_role
    active = members({"status": "active"})
    assert "Findable" in active and "Other Helper" not in active
    assert client_a.get("/team/", {"role": "emperor"}).status_code == 200


def test_deactivate_and_role_change_through_the_page(owner, client_a):
    tara = TrainerFactory(role=Role.TRAINER)
    connection.set_schema_to_public()
    client_a.login_as(owner)
    response = client_a.post(f"/team/{tara.pk}/role/", {"role": "senior"}, follow=True)
    assert "is now Senior" in response.content.decode()
    response = client_a.post(f"/team/{owner.pk}/role/", {"role": "trainer"}, follow=True)
    assert "last active owner" in response.content.decode()
    response = client_a.post(f"/team/{tara.pk}/deactivate/", follow=True)
    assert "was deactivated" in response.content.decode()
    connection.set_tenant(client_a.organization)
    assert not Trainer.objects.get(pk=tara.pk).is_active


def test_senior_cannot_change_roles_through_the_page(in_gym_a, client_a):
    senior = TrainerFactory(role=Role.SENIOR)
    tara = TrainerFactory(role=Role.TRAINER)
    connection.set_schema_to_public()
    response = client_a.login_as(senior).post(f"/team/{tara.pk}/role/", {"role": "owner"})
    assert response.status_code == 404  # the action does not exist for them, like any page they may not use
    connection.set_tenant(client_a.organization)
    assert Trainer.objects.get(pk=tara.pk).role == Role.TRAINER


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ASSISTANT])
def test_member_actions_are_403_for_trainers_and_assistants(in_gym_a, client_a, role):
    actor = TrainerFactory(role=role)
    other = TrainerFactory(role=Role.ASSISTANT)
    connection.set_schema_to_public()
    client_a.login_as(actor)
    for action in ("role", "deactivate", "reactivate"):
        assert client_a.post(f"/team/{other.pk}/{action}/", {"role": "owner"}).status_code == 403
    assert client_a.get(f"/team/{other.pk}/transfer/").status_code == 403
    assert client_a.get("/team/audit/").status_code == 403


def test_transfer_page_moves_all_clients(owner, handover, client_a):
    connection.set_schema_to_public()
    client_a.login_as(owner)
    page = client_a.get(f"/team/{handover['leaving'].pk}/transfer/")
    assert "Cora Client" in page.content.decode()
    response = client_a.post(
        f"/team/{handover['leaving'].pk}/transfer/",
        {"to_trainer": handover["taking"].pk, "everyone": "on"},
        follow=True,
    )
    assert "1 client(s) transferred to Taking" in response.content.decode()
    connection.set_tenant(client_a.organization)
    assert Client.objects.get(pk=handover["client"].pk).trainer_id == handover["taking"].pk


def test_transfer_page_refuses_an_empty_selection(owner, handover, client_a):
    connection.set_schema_to_public()
    client_a.login_as(owner)
    response = client_a.post(f"/team/{handover['leaving'].pk}/transfer/", {"to_trainer": handover["taking"].pk})
    assert response.status_code == 400
    assert "Choose at least one client" in response.content.decode()


def test_transfer_page_of_an_unknown_trainer_is_404(owner, client_a, gym_b):
    connection.set_tenant(gym_b)
    foreign = TrainerFactory()
    connection.set_schema_to_public()
    client_a.login_as(owner)
    assert client_a.get(f"/team/{foreign.pk + 1000}/transfer/").status_code == 404


def test_audit_log_filters(owner, client_a):
    tara = TrainerFactory(role=Role.TRAINER, user__full_name="Tara")
    services.trainer_change_role(actor=owner, trainer=tara, role=Role.SENIOR)
    services.trainer_deactivate(actor=owner, trainer=tara)
    AuditEntry.objects.filter(action="trainer.role_change").update(created_at=timezone.now() - timedelta(days=10))
    connection.set_schema_to_public()
    client_a.login_as(owner)
    content = client_a.get("/team/audit/").content.decode()
    assert "trainer.role_change" in content and "trainer.deactivate" in content
    only_deactivate = client_a.get("/team/audit/", {"action": "trainer.deactivate"}).content.decode()
    assert "Role changed" not in only_deactivate and "Deactivated." in only_deactivate
    recent = client_a.get("/team/audit/", {"since": (timezone.localdate() - timedelta(days=1)).isoformat()})
    assert "Role changed" not in recent.content.decode()
    bad = client_a.get("/team/audit/", {"since": "2026-05-02", "until": "2026-05-01"})
    assert "before its start" in bad.content.decode()


def test_invitation_services_write_audit_entries(owner, gym_a, in_gym_a):
    from apps.team import services as invitations

    invitation = invitations.invitation_create(actor=owner, organization=gym_a, email="x@example.com", role="trainer")
    invitations.invitation_resend(actor=owner, invitation=invitation)
    invitations.invitation_revoke(actor=owner, invitation=invitation)
    InvitationFactory(organization=gym_a, token="t" * 50, role=Role.ASSISTANT)
    invitations.invitation_accept(organization=gym_a, token="t" * 50, full_name="Ann", password="a-Strong-passw0rd")
    assert list(AuditEntry.objects.order_by("id").values_list("action", "actor_name")) == [
        ("invitation.create", "Olga Owner"),
        ("invitation.resend", "Olga Owner"),
        ("invitation.revoke", "Olga Owner"),
        ("invitation.accept", "Ann"),
    ]


@pytest.mark.parametrize("rows", [3, 30])
def test_team_page_query_count_with_figures(owner, client_a, rows):
    for trainer in TrainerFactory.create_batch(rows):
        client = ClientFactory(trainer=trainer)
        SessionFactory(client=client, trainer=trainer)
    connection.set_schema_to_public()
    client_a.login_as(owner)
    client_a.get("/team/")
    with CaptureQueriesContext(connection) as queries:
        assert client_a.get("/team/").status_code == 200
    assert len(queries.captured_queries) == 9  # see test_team_page.py


@pytest.mark.parametrize("rows", [3, 30])
def test_audit_log_query_count(owner, client_a, rows):
    for _ in range(rows):
        services.trainer_change_role(actor=owner, trainer=TrainerFactory(), role=Role.SENIOR)
    connection.set_schema_to_public()
    client_a.login_as(owner)
    client_a.get("/team/audit/")
    with CaptureQueriesContext(connection) as queries:
        assert client_a.get("/team/audit/").status_code == 200
    assert len(queries.captured_queries) == 9, "\n".join(q["sql"][:80] for q in queries.captured_queries)


def test_demoting_to_assistant_takes_pricing_templates_off_sale(owner):
    from apps.trainers.models import PricingTemplate

    tara = TrainerFactory(role=Role.TRAINER)
    template = PricingTemplate.objects.create(trainer=tara, name="10 x PT", sessions=10, price=500, validity_days=90)
    services.trainer_change_role(actor=owner, trainer=tara, role=Role.ASSISTANT)
    template.refresh_from_db()
    assert not template.is_active
    assert AuditEntry.objects.get(action="trainer.role_change").changes["pricing_templates_off_sale"] == 1


def test_owner_sees_revenue_this_month_and_seniors_do_not(owner, gym_a, client_a):
    from tests.factories import PaymentFactory

    tara = TrainerFactory(role=Role.TRAINER, user__full_name="Tara")
    package = SessionPackageFactory(client=ClientFactory(trainer=tara))
    PaymentFactory(package=package, amount=300)
    PaymentFactory(package=package, amount=-50)  # a refund
    PaymentFactory(package=package, amount=999, paid_at=timezone.now() - timedelta(days=62))
    senior = TrainerFactory(role=Role.SENIOR)
    connection.set_schema_to_public()
    owner_page = client_a.login_as(owner).get("/team/").content.decode()
    assert "Revenue this month" in owner_page
    assert "$250.00" in owner_page
    senior_page = client_a.login_as(senior).get("/team/").content.decode()
    assert "Revenue this month" not in senior_page and "$250.00" not in senior_page
