"""The issue's new client, in a browser: every wrong value is named on the first submit, on a phone and a desktop."""

import uuid

import pytest
from django.contrib.sessions.models import Session as HttpSession
from django.db import connection
from playwright.sync_api import expect

from apps.clients.models import Client
from apps.trainers.models import Role
from tests.e2e.conftest import remove_member
from tests.factories import PASSWORD, TrainerFactory, UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def trainer(gym_a):
    connection.set_tenant(gym_a)
    sessions_before = set(HttpSession.objects.values_list("session_key", flat=True))
    email = f"errors-{uuid.uuid4().hex[:6]}@alpha.example"
    try:
        person = TrainerFactory(user=UserFactory(email=email, full_name="Erin Errors"), role=Role.TRAINER)
        connection.set_schema_to_public()
        yield person
    finally:
        remove_member(gym_a, email, sessions_before)


def test_a_new_client_with_every_value_wrong_hears_of_each_at_once(trainer, gym_a, app_server, browser, screenshots):
    url = lambda path="/": app_server.gym_url(gym_a.slug, path)  # noqa: E731
    for width, height in ((390, 844), (1280, 800)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
        page = context.new_page()
        page.goto(url("/accounts/login/"))
        page.locator("input[name=login]").fill(trainer.user.email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(url("/clients/new/"))
        page.get_by_label("First name").fill("Minji")
        page.get_by_label("Date of birth").fill("2090-01-01")
        # The browser's own checks would stop the submit first: the server's answer is what is tested here.
        page.locator("form:has([name=first_name])").evaluate("form => form.noValidate = true")
        for name, value in (("height_cm", "1000"), ("weight_kg", "-4"), ("email", "minji@"), ("phone", "abc")):
            page.locator(f"[name={name}]").fill(value)
        page.get_by_role("button", name="Add client").click()
        for message in (
            "The date of birth cannot be in the future.",
            "Enter a value from 50 to 272 cm.",
            "Enter a value from 2 to 500 kg.",
            "Enter a valid email address.",
            "Enter a phone number with digits.",
        ):
            expect(page.get_by_text(message)).to_be_visible()
        screenshots(page, f"new-client-errors-{width}")
        context.close()
    connection.set_tenant(gym_a)
    try:
        assert not Client.objects.filter(trainer=trainer).exists()
    finally:
        connection.set_schema_to_public()
