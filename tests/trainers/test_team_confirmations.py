"""Role changes and deactivation are confirmed first; refusals explain themselves (403 for a role, a deactivated
account names the owners); the landing page's contact is real."""

import pytest
from django.db import connection
from django.test import override_settings

from apps.trainers.models import Trainer
from tenants.models import Role
from tests.factories import PASSWORD, ClientFactory, TrainerFactory
from tests.support import in_gym, member


@pytest.fixture
def people(gym_a):
    def make():
        return {
            "owner": TrainerFactory(role=Role.OWNER, user__full_name="Olga Owner", user__email="olga@alpha.example"),
            "tara": TrainerFactory(role=Role.TRAINER, user__full_name="Tara Trainer", user__email="tara@alpha.example"),
        }

    made = in_gym(gym_a, make)
    in_gym(gym_a, lambda: ClientFactory(trainer=made["tara"]))
    return made


def test_the_team_page_has_no_instant_role_change_and_labels_its_row_actions(people, client_a):
    html = client_a.login_as(people["owner"]).get("/team/").content.decode()
    assert "onchange" not in html
    assert "team_member_role" not in html and 'action="/team/' + str(people["tara"].pk) + '/role/"' not in html
    tara = people["tara"].pk
    assert f'hx-get="/team/{tara}/role/"' in html and f'hx-get="/team/{tara}/deactivate/"' in html
    assert 'Deactivate<span class="visually-hidden"> (Tara Trainer)</span>' in html


def test_changing_a_role_is_a_form_of_its_own(people, client_a):
    client_a.login_as(people["owner"])
    tara = people["tara"]
    page = client_a.get(f"/team/{tara.pk}/role/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Change the role of Tara Trainer" in html
    assert 'type="radio" name="role" value="trainer" checked' in html
    assert "Everything: every trainer&#x27;s clients and money" in html
    assert client_a.post(f"/team/{tara.pk}/role/", {"role": "boss"}).status_code == 400
    assert in_gym(client_a.organization, Trainer.objects.get, pk=tara.pk).role == Role.TRAINER
    response = client_a.post(f"/team/{tara.pk}/role/", {"role": "senior"})
    assert response.status_code == 302
    assert in_gym(client_a.organization, Trainer.objects.get, pk=tara.pk).role == Role.SENIOR


def test_deactivating_asks_first_and_names_the_consequences(people, client_a):
    client_a.login_as(people["owner"])
    tara = people["tara"]
    html = client_a.get(f"/team/{tara.pk}/deactivate/").content.decode()
    for consequence in (
        "They can no longer sign in",
        "Their API keys are revoked.",
        "Their 1 active client is marked as needing a trainer",
        "Nothing is deleted:",
    ):
        assert consequence in html
    assert in_gym(client_a.organization, Trainer.objects.get, pk=tara.pk).is_active  # the GET changed nothing
    response = client_a.post(f"/team/{tara.pk}/deactivate/", follow=True)
    assert "Tara Trainer was deactivated." in response.content.decode()
    assert "Reactivate" in response.content.decode()
    assert not in_gym(client_a.organization, Trainer.objects.get, pk=tara.pk).is_active


def test_a_page_of_another_role_answers_a_friendly_403(people, client_a):
    response = client_a.login_as(people["tara"]).get("/team/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Not available for your role" in html
    assert "You are signed in as <strong>Trainer</strong>." in html
    assert 'aria-label="Main"' in html  # the product's navigation


def test_a_missing_page_keeps_the_navigation(people, client_a):
    response = client_a.login_as(people["tara"]).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and 'aria-label="Main"' in html and 'class="skip-link"' in html


def test_a_deactivated_member_signing_in_is_told_whom_to_contact(gym_a, people, client_a):
    tara = people["tara"]
    in_gym(gym_a, lambda: Trainer.objects.filter(pk=tara.pk).update(is_active=False))
    in_gym(gym_a, lambda: type(tara.user).objects.filter(pk=tara.user.pk).update(is_active=False))
    connection.set_schema_to_public()
    response = client_a.post("/accounts/login/", {"login": "tara@alpha.example", "password": PASSWORD})
    html = response.content.decode()
    assert "Your account was deactivated" in html
    assert "Olga Owner" in html and "mailto:olga@alpha.example" in html
    assert client_a.get("/").status_code == 302
    # Without the right password nobody learns who the owners are.
    assert "Olga Owner" not in client_a.get("/accounts/inactive/").content.decode()


@override_settings(CONTACT_EMAIL="sales@gym.example")
def test_the_landing_page_gives_a_real_contact(root_client):
    html = root_client.get("/").content.decode()
    assert 'href="mailto:sales@gym.example"' in html


def test_an_assistant_gets_403_on_packages_but_404_on_another_trainers_client(gym_a, client_a):
    assistant = member(gym_a, Role.ASSISTANT)
    stranger = in_gym(gym_a, lambda: ClientFactory(trainer=TrainerFactory(role=Role.TRAINER)))
    client_a.login_as(assistant)
    assert client_a.get("/packages/").status_code == 403
    assert client_a.get(f"/clients/{stranger.pk}/").status_code == 404
