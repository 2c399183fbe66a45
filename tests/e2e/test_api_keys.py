"""A trainer creates an API key in the browser, copies it (shown once), uses it from a program over HTTP, and
revokes it; afterwards the same key answers 401."""

import json
import urllib.error
import urllib.request
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session as HttpSession
from django.db import connection
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.audit.models import AuditEntry
from apps.trainers.models import ApiKey, Role, Trainer
from tests.factories import PASSWORD, TrainerFactory, UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def trainer(gym_a):
    connection.set_tenant(gym_a)
    sessions_before = set(HttpSession.objects.values_list("session_key", flat=True))
    tag = uuid.uuid4().hex[:6]
    try:
        user = UserFactory(email=f"keys-{tag}@alpha.example", full_name="Kim Keys")
        person = TrainerFactory(user=user, role=Role.TRAINER)
        connection.set_schema_to_public()
        yield person
    finally:
        connection.set_tenant(gym_a)
        try:
            ApiKey.objects.filter(trainer__user__email=f"keys-{tag}@alpha.example").delete()
            AuditEntry.objects.filter(actor_id=person.pk).delete()
            Trainer.objects.filter(user__email=f"keys-{tag}@alpha.example").delete()
            EmailAddress.objects.filter(user__email=f"keys-{tag}@alpha.example").delete()
            User.objects.filter(email=f"keys-{tag}@alpha.example").delete()
            HttpSession.objects.exclude(session_key__in=sessions_before).delete()
        finally:
            connection.set_schema_to_public()


def call_api(server, gym, path, key):
    """A program's call: to 127.0.0.1 with the gym's host name, as a DNS name would route it."""
    headers = {"Authorization": f"Bearer {key}", "Accept-Language": "en", "Host": f"{gym.host}:{server.port}"}
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}", headers=headers)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_create_copy_use_and_revoke_a_key(trainer, gym_a, app_server, browser, screenshots):
    url = lambda path="/": app_server.gym_url(gym_a.slug, path)  # noqa: E731
    for width, height in ((1280, 800), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url("").rstrip("/"))
        page = context.new_page()
        page.goto(url("/accounts/login/"))
        page.locator("input[name=login]").fill(trainer.user.email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()

        page.goto(url("/profile/"))
        page.get_by_role("link", name="API keys").click()
        expect(page.locator("h1")).to_have_text("API keys")
        page.get_by_label("Name").fill(f"Website {width}")
        page.get_by_label("Access").select_option(label="Read and write")
        page.get_by_role("button", name="Create key").click()
        secret = page.locator("#new-key").inner_text()
        assert secret.startswith("gk_")
        page.get_by_role("button", name="Copy").click()
        expect(page.get_by_role("button", name="Copied")).to_be_visible()
        assert page.evaluate("navigator.clipboard.readText()") == secret
        screenshots(page, f"key-created-{width}")

        # Shown once: a reload shows only the prefix.
        page.goto(url("/profile/api-keys/"))
        assert secret not in page.content()
        expect(page.locator("code", has_text=secret[:11])).to_have_count(1)

        status, body = call_api(app_server, gym_a, "/api/v1/me/", secret)
        assert status == 200 and body["id"] == trainer.pk and body["key_writable"] is True
        page.reload()
        row = page.locator("tr", has_text=f"Website {width}")
        expect(row).not_to_contain_text("Never")  # its last use is shown

        page.once("dialog", lambda dialog: dialog.accept())
        row.get_by_role("button", name="Revoke").click()
        expect(page.locator(".messages")).to_contain_text("revoked")
        expect(page.locator("tr", has_text=f"Website {width}")).to_contain_text("Revoked")
        screenshots(page, f"key-revoked-{width}")
        status, body = call_api(app_server, gym_a, "/api/v1/me/", secret)
        assert status == 401 and body["code"] == "authentication_failed"
        context.close()
