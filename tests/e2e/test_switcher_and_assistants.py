"""The trainer switcher and assistants through a real browser and a real server.

The owner of gym "alpha" links an assistant to one trainer from the team page, then narrows the lists to another
trainer with the switcher in the navigation (a marker says whose data is shown, on every page, until "all" is
chosen again). The assistant signs in, sees only the assisted trainer's clients, no prices anywhere, adds a
client for that trainer, and narrows their own view among the trainers they assist.
"""

import uuid

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session as HttpSession
from django.db import connection
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.audit.models import AuditEntry
from apps.clients.models import Client
from apps.trainers.models import AssistantLink, Role, Trainer
from tests.factories import PASSWORD, ClientFactory, TrainerFactory, UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def team(gym_a):
    """Committed: an owner, two trainers with a client each, an assistant; all removed afterwards."""
    connection.set_tenant(gym_a)
    sessions_before = set(HttpSession.objects.values_list("session_key", flat=True))
    tag = uuid.uuid4().hex[:6]
    people = {}
    try:
        for key, role, name in [
            ("owner", Role.OWNER, "Olive Owner"),
            ("tara", Role.TRAINER, "Tara Trainer"),
            ("theo", Role.TRAINER, "Theo Trainer"),
            ("ann", Role.ASSISTANT, "Ann Assistant"),
        ]:
            user = UserFactory(email=f"{key}-{tag}@alpha.example", full_name=name)
            people[key] = TrainerFactory(user=user, role=role)
        people["tara_client"] = ClientFactory(trainer=people["tara"], first_name="Tilda", last_name=f"Tara{tag}")
        people["theo_client"] = ClientFactory(trainer=people["theo"], first_name="Otto", last_name=f"Theo{tag}")
        connection.set_schema_to_public()
        yield people
    finally:
        connection.set_tenant(gym_a)
        try:
            trainers = Trainer.objects.filter(user__email__endswith=f"-{tag}@alpha.example")
            ids = list(trainers.values_list("pk", flat=True))
            AssistantLink.objects.filter(assistant__in=ids).delete()
            Client.objects.filter(trainer__in=ids).delete()
            AuditEntry.objects.filter(actor_id__in=ids).delete()
            trainers.delete()
            EmailAddress.objects.filter(user__email__endswith=f"-{tag}@alpha.example").delete()
            User.objects.filter(email__endswith=f"-{tag}@alpha.example").delete()
            HttpSession.objects.exclude(session_key__in=sessions_before).delete()
        finally:
            connection.set_schema_to_public()


def sign_in(page, url, trainer):
    page.goto(url("/accounts/login/"))
    page.locator("input[name=login]").fill(trainer.user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text(f"Hello, {trainer.user.full_name}")


def client_names(page):
    return sorted(page.locator("table tbody tr td:first-child a").all_inner_texts())


def test_the_owner_links_an_assistant_and_switches_trainers(team, gym_a, app_server, new_page, screenshots):
    url = lambda path="/": app_server.gym_url(gym_a.slug, path)  # noqa: E731
    tara_client, theo_client = str(team["tara_client"]), str(team["theo_client"])

    # The owner links Ann to Tara from the team page.
    owner = new_page()
    sign_in(owner, url, team["owner"])
    owner.get_by_role("navigation", name="Main").get_by_role("link", name="Team").click()
    row = owner.locator("tr").filter(has_text="Ann Assistant")
    expect(row).to_contain_text("Assists nobody yet")
    row.get_by_role("link", name="Assists…").click()
    expect(owner.locator("h1")).to_have_text("Whom Ann Assistant assists")
    owner.get_by_label("Tara Trainer").check()
    screenshots(owner, "assistant-links")
    owner.get_by_role("button", name="Save").click()
    expect(owner.locator(".messages")).to_contain_text("Saved whom Ann Assistant assists.")
    expect(owner.locator("tr").filter(has_text="Ann Assistant")).to_contain_text("Assists Tara Trainer")

    # The switcher: only Theo's data, with the marker on every page, until "All trainers".
    owner.goto(url("/clients/"))
    assert tara_client in client_names(owner) and theo_client in client_names(owner)
    owner.get_by_label("Show", exact=True).select_option(label="Theo Trainer")
    expect(owner.locator(".scope-banner")).to_contain_text("Showing the data of Theo Trainer.")
    expect(owner).to_have_url(url("/clients/"))
    assert theo_client in client_names(owner) and tara_client not in client_names(owner)
    screenshots(owner, "owner-viewing-theo")
    owner.get_by_role("navigation", name="Main").get_by_role("link", name="Calendar").click()
    expect(owner.locator(".scope-banner")).to_contain_text("Theo Trainer")
    owner.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(owner.locator(".scope-banner")).to_contain_text("Theo Trainer")
    screenshots(owner, "dashboard-viewing-theo")
    owner.get_by_role("button", name="Show all trainers").click()
    expect(owner.locator(".scope-banner")).to_have_count(0)
    owner.goto(url("/clients/"))
    assert tara_client in client_names(owner) and theo_client in client_names(owner)

    # Ann sees Tara's clients only, never a price, and adds a client for Tara.
    ann = new_page()
    sign_in(ann, url, team["ann"])
    nav = ann.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Packages")).to_have_count(0)
    expect(nav.get_by_role("link", name="Pricing")).to_have_count(0)
    switcher = ann.get_by_label("Show", exact=True)
    assert switcher.locator("option").all_inner_texts() == ["All my trainers", "Tara Trainer"]
    nav.get_by_role("link", name="Clients", exact=True).click()
    assert client_names(ann) == [tara_client]
    ann.get_by_role("link", name=tara_client).click()
    expect(ann.get_by_role("link", name="Start an assessment")).to_be_visible()
    expect(ann.get_by_role("button", name="Archive")).to_have_count(0)
    screenshots(ann, "assistant-client-page")

    ann.goto(url("/clients/new/"))
    expect(ann.get_by_label("Trainer")).to_have_value(str(team["tara"].pk))
    assert ann.get_by_label("Trainer").locator("option").all_inner_texts() == ["Tara Trainer"]
    ann.get_by_label("First name").fill("Nina")
    ann.get_by_label("Last name").fill("Newcomer")
    ann.get_by_role("button", name="Add client").click()
    expect(ann.locator(".messages")).to_contain_text("Client “Nina Newcomer” added.")
    connection.set_tenant(gym_a)
    try:
        assert Client.objects.get(last_name="Newcomer").trainer_id == team["tara"].pk
    finally:
        connection.set_schema_to_public()

    # Forged: a page Ann's role may not use answers 403 and shows nothing of the gym's money.
    response = ann.goto(url("/packages/"))
    assert response.status == 403
