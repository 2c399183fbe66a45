"""First run (issue 14, point 8): the owner's set-up checklist on a new gym's dashboard, ticked from real rows in one
query and put away per gym; empty states that say what to do next instead of zeros and filter messages."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.analytics.setup_checklist import setup_checklist
from apps.audit.models import AuditEntry
from apps.team.gym_settings import gym_settings_update
from apps.trainers.models import PricingTemplate
from tenants.models import DEFAULT_ACCENT_COLOUR, Invitation, Organization, Role
from tests.factories import ClientFactory, SessionFactory, SessionPackageFactory, TrainerFactory


@pytest.fixture
def owner(in_gym_a):
    return TrainerFactory(role=Role.OWNER, user__full_name="Olga Owner")


def ticks(checklist):
    return {step.key: step.done for step in checklist.steps}


def page(client_a, actor, name, **query):
    response = client_a.login_as(actor).get(reverse(name), query)
    connection.set_tenant(client_a.organization)  # the test client goes back to the public schema
    return response


# --- the read model -----------------------------------------------------------------------------------------------


def test_a_new_gym_has_every_step_open_in_one_query(in_gym_a, owner):
    with CaptureQueriesContext(connection) as queries:
        checklist = setup_checklist(actor=owner, organization=in_gym_a)
    assert len(queries) == 1
    assert [step.key for step in checklist.steps] == ["settings", "team", "prices", "client", "session"]
    assert ticks(checklist) == dict.fromkeys(["settings", "team", "prices", "client", "session"], False)
    assert checklist.done_count == 0
    assert [step.url for step in checklist.steps] == [
        "/team/settings/",
        "/team/",
        "/pricing/new/",
        "/clients/new/",
        "/sessions/new/",
    ]


def test_each_step_is_ticked_by_its_rows(in_gym_a, owner):
    gym_settings_update(
        actor=owner,
        name=in_gym_a.name,
        timezone_name="Asia/Seoul",
        late_cancellation_hours=24,
        accent_colour=DEFAULT_ACCENT_COLOUR,
        paper_size="A4",
        currency="KRW",
    )
    assert ticks(setup_checklist(actor=owner, organization=in_gym_a))["settings"] is True

    Invitation.objects.create(
        organization=in_gym_a,
        email="tom@example.com",
        role=Role.TRAINER,
        token_hash="0" * 64,
        expires_at=timezone.now() + timedelta(days=7),
    )
    assert ticks(setup_checklist(actor=owner, organization=in_gym_a))["team"] is True

    PricingTemplate.objects.create(trainer=owner, name="Ten", sessions=10, price=500, validity_days=90)
    client = ClientFactory(trainer=owner)
    checklist = setup_checklist(actor=owner, organization=in_gym_a)
    assert ticks(checklist) == {"settings": True, "team": True, "prices": True, "client": True, "session": False}
    assert checklist.done_count == 4

    SessionFactory(client=client, trainer=owner)
    assert setup_checklist(actor=owner, organization=in_gym_a) is None  # every step done: it goes away


def test_the_owners_own_invitation_does_not_tick_the_team_step(in_gym_a, owner):
    """Provisioning invites the owner: that invites nobody else."""
    Invitation.objects.create(
        organization=in_gym_a,
        email=in_gym_a.owner_email.upper(),
        role=Role.OWNER,
        token_hash="1" * 64,
        expires_at=timezone.now() + timedelta(days=7),
    )
    assert ticks(setup_checklist(actor=owner, organization=in_gym_a))["team"] is False


def test_a_teammate_ticks_the_team_step_without_an_invitation(in_gym_a, owner):
    TrainerFactory(role=Role.TRAINER)
    assert ticks(setup_checklist(actor=owner, organization=in_gym_a))["team"] is True


@pytest.mark.parametrize("role", [Role.SENIOR, Role.TRAINER, Role.ASSISTANT])
def test_only_the_owner_has_a_checklist(in_gym_a, owner, role):
    assert setup_checklist(actor=TrainerFactory(role=role), organization=in_gym_a) is None


# --- the dashboard, and putting the checklist away ----------------------------------------------------------------


def test_the_new_gyms_dashboard_shows_the_checklist_not_six_zero_tiles(in_gym_a, client_a, owner):
    response = page(client_a, owner, "dashboard")
    content = response.content.decode()
    assert "Set up your gym" in content and "0 of 5 done" in content
    assert 'href="/pricing/new/">Add a pricing template</a>' in content
    assert "Nothing to count yet" in content
    assert 'class="figures"' not in content  # no zero tiles
    assert "Every active package has at least two sessions left." not in content
    assert "No active packages yet. Sell one from a client's page." in content


def test_the_dashboard_reads_the_checklist_in_one_query_more(in_gym_a, client_a, owner):
    url = reverse("dashboard")
    client_a.login_as(owner).get(url)
    with CaptureQueriesContext(connection) as queries:
        client_a.get(url)
    shown = len(queries)
    client_a.post(reverse("setup_checklist_dismiss"))
    client_a.get(url)
    with CaptureQueriesContext(connection) as queries:
        client_a.get(url)
    assert len(queries) == shown - 1


def test_the_owner_puts_the_checklist_away_for_the_gym(in_gym_a, client_a, owner):
    response = client_a.login_as(owner).post(reverse("setup_checklist_dismiss"))
    assert response.status_code == 302 and response.url == reverse("dashboard")
    connection.set_tenant(client_a.organization)
    assert Organization.objects.get(pk=in_gym_a.pk).setup_checklist_dismissed_at is not None
    [entry] = AuditEntry.objects.filter(action="organization.setup_checklist_dismiss")
    assert (entry.actor_id, entry.sentence) == (owner.pk, "Set-up checklist put away.")
    # Another owner of the same gym does not see it either: it is the gym's, not the person's.
    other_owner = TrainerFactory(role=Role.OWNER)
    assert "Set up your gym" not in page(client_a, other_owner, "dashboard").content.decode()
    # A second dismissal changes nothing and records nothing.
    client_a.login_as(owner).post(reverse("setup_checklist_dismiss"))
    connection.set_tenant(client_a.organization)
    assert AuditEntry.objects.filter(action="organization.setup_checklist_dismiss").count() == 1


@pytest.mark.parametrize("role", [Role.SENIOR, Role.TRAINER, Role.ASSISTANT])
def test_nobody_else_puts_it_away(in_gym_a, client_a, role):
    actor = TrainerFactory(role=role)
    assert (
        client_a.login_as(actor).post(reverse("setup_checklist_dismiss")).status_code == 403
    )  # a role gate: "not available for your role"
    connection.set_tenant(client_a.organization)
    assert Organization.objects.get(pk=in_gym_a.pk).setup_checklist_dismissed_at is None


def test_with_data_the_tiles_come_back(in_gym_a, client_a, owner):
    ClientFactory(trainer=owner)
    content = page(client_a, owner, "dashboard").content.decode()
    assert 'class="figures"' in content and "Nothing to count yet" not in content


def test_packages_with_credit_say_so_and_no_packages_say_what_to_do(in_gym_a, client_a, owner):
    client = ClientFactory(trainer=owner)
    SessionPackageFactory(client=client, total_sessions=10, used_sessions=1)
    content = page(client_a, owner, "dashboard").content.decode()
    assert "Every active package has at least two sessions left." in content
    assert "No active packages yet." not in content


# --- empty lists --------------------------------------------------------------------------------------------------


def test_no_clients_at_all_says_so_and_offers_to_add_one(in_gym_a, client_a, owner):
    content = page(client_a, owner, "client_list").content.decode()
    assert "No clients yet." in content
    assert 'href="/clients/new/">Add a client</a>' in content
    assert "No client matches these filters." not in content
    # Filters on an empty gym: still "no clients yet", which is the truth that matters.
    content = page(client_a, owner, "client_list", q="nobody").content.decode()
    assert "No clients yet." in content and "No client matches these filters." not in content


def test_clients_that_do_not_match_say_so(in_gym_a, client_a, owner):
    ClientFactory(trainer=owner, last_name="Kim")
    content = page(client_a, owner, "client_list", q="nobody").content.decode()
    assert "No client matches these filters." in content and "No clients yet." not in content


def test_an_assistant_without_clients_is_not_offered_to_add_one_they_cannot(in_gym_a, client_a):
    actor = TrainerFactory(role=Role.ASSISTANT)  # linked to nobody: cannot add clients
    content = page(client_a, actor, "client_list").content.decode()
    assert "No clients yet." in content and 'href="/clients/new/"' not in content


def test_the_client_list_queries_do_not_grow(in_gym_a, client_a, owner):
    """An empty page asks one question more (are there clients at all?); pages with rows ask as many as each other."""
    url = reverse("client_list")
    client_a.login_as(owner)
    counts = []
    for total in (0, 3, 30):
        connection.set_tenant(client_a.organization)
        while len(counts) and ClientFactory._meta.model.objects.count() < total:
            ClientFactory(trainer=owner)
        client_a.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client_a.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    empty, few, many = counts
    assert few == many
    assert empty <= few + 1


def test_no_packages_and_no_matching_packages(in_gym_a, client_a, owner):
    content = page(client_a, owner, "package_list").content.decode()
    assert "No packages yet. Sell one from a client" in content
    client = ClientFactory(trainer=owner)
    SessionPackageFactory(client=client, trainer=owner)
    content = page(client_a, owner, "package_list", status="expired").content.decode()
    assert "No package matches these filters." in content and "No packages yet." not in content


def test_a_stale_copy_of_the_gym_does_not_bring_the_checklist_back(in_gym_a, owner):
    """Another process may hold the gym's row from before the owner hid the checklist: the query asks the row."""
    Organization.objects.filter(pk=in_gym_a.pk).update(setup_checklist_dismissed_at=timezone.now())
    assert in_gym_a.setup_checklist_dismissed_at is None  # the stale copy
    with CaptureQueriesContext(connection) as queries:
        assert setup_checklist(actor=owner, organization=in_gym_a) is None
    assert len(queries) == 1


def test_an_empty_audit_log_says_what_will_show_there(in_gym_a, client_a, owner):
    content = page(client_a, owner, "audit_log").content.decode()
    assert "Nothing recorded yet." in content and "Nothing recorded for these filters." not in content
    content = page(client_a, owner, "audit_log", action="client.create").content.decode()
    assert "Nothing recorded for these filters." in content
