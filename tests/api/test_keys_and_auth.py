"""Personal API keys: created with a secret shown once and stored hashed, bound to the gym, revoked by their
creator or the owner and on deactivation, audited; every refusal is the same 401."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.core.errors import ApplicationError
from apps.team.services import trainer_deactivate
from apps.trainers.models import ApiKey
from apps.trainers.services.api_keys import api_key_revoke
from tests.api.conftest import Api
from tests.support import in_gym, member


def test_the_secret_is_long_shown_once_and_stored_as_a_hash(gym_a, people, key_for):
    key, secret = key_for(people["trainer"])
    prefix, body = secret.removeprefix("gk_").split("_", 1)
    assert prefix == key.prefix and len(prefix) == 8 and len(body) >= 43  # 32 random bytes = 256 bits
    stored = in_gym(gym_a, ApiKey.objects.get, pk=key.pk)
    assert stored.secret_hash == hashlib.sha256(body.encode()).hexdigest() and body not in stored.secret_hash
    assert in_gym(gym_a, AuditEntry.objects.filter(action="api_key.create", target_id=str(key.pk)).count) == 1


def test_a_key_acts_as_its_trainer(client_a, people, api_as):
    response = api_as(people["trainer"]).get("me/")
    assert response.status_code == 200
    assert response.json()["id"] == people["trainer"].pk and response.json()["role"] == "trainer"
    assert response.json()["key_writable"] is True


@pytest.mark.parametrize("case", ["unknown", "malformed", "revoked", "expired", "other_gym", "deactivated"])
def test_every_unusable_key_answers_the_same_401(gym_a, gym_b, client_a, people, key_for, case):
    trainer = people["trainer"]
    key, secret = key_for(trainer)
    if case == "unknown":
        secret = "gk_" + key.prefix + "_" + "x" * 43
    elif case == "malformed":
        secret = "hello"
    elif case == "revoked":
        in_gym(gym_a, api_key_revoke, actor=trainer, key=key)
    elif case == "expired":
        in_gym(gym_a, ApiKey.objects.filter(pk=key.pk).update, expires_at=timezone.now() - timedelta(seconds=1))
    elif case == "other_gym":
        _key, secret = key_for(member(gym_b, "owner"), organization=gym_b)
    elif case == "deactivated":
        in_gym(gym_a, trainer_deactivate, actor=people["owner"], trainer=trainer)
    response = Api(client_a, secret).get("me/")
    assert response.status_code == 401
    assert response.json()["code"] in {"authentication_failed"}
    assert set(response.json()) == {"code", "message", "fields"}


def test_without_credentials_401(client_a, people):
    response = Api(client_a).get("clients/")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_deactivation_revokes_the_keys_in_the_same_transaction(gym_a, people, key_for):
    key, _secret = key_for(people["trainer"])
    in_gym(gym_a, trainer_deactivate, actor=people["owner"], trainer=people["trainer"])
    assert in_gym(gym_a, ApiKey.objects.get, pk=key.pk).revoked_at is not None


def test_who_revokes_what(gym_a, people, key_for):
    mine, _ = key_for(people["trainer"])
    with pytest.raises(ApplicationError):
        in_gym(gym_a, api_key_revoke, actor=people["other"], key=mine)
    in_gym(gym_a, api_key_revoke, actor=people["owner"], key=mine)
    assert in_gym(gym_a, AuditEntry.objects.filter(action="api_key.revoke", target_id=str(mine.pk)).count) == 1
    with pytest.raises(ApplicationError):
        in_gym(gym_a, api_key_revoke, actor=people["trainer"], key=mine)  # already revoked


def test_a_read_only_key_reads_but_never_writes(client_a, people, api_as):
    api = api_as(people["trainer"], writable=False)
    assert api.get("clients/").status_code == 200
    response = api.post("clients/", {"first_name": "Ann"})
    assert response.status_code == 403 and response.json()["code"] == "read_only_key"


def test_last_use_is_recorded(gym_a, client_a, people, key_for):
    key, secret = key_for(people["trainer"])
    Api(client_a, secret).get("me/")
    assert in_gym(gym_a, ApiKey.objects.get, pk=key.pk).last_used_at is not None


def test_the_key_page(gym_a, client_a, people):
    client_a.login_as(people["trainer"])
    created = client_a.post("/profile/api-keys/", {"name": "Website", "writable": "1", "expires_on": ""})
    assert created.status_code == 200 and created["Cache-Control"] == "no-store"
    secret = created.context["secret"]
    assert secret.startswith("gk_") and secret in created.content.decode()
    again = client_a.get("/profile/api-keys/")
    assert secret not in again.content.decode() and created.context["created"].prefix in again.content.decode()
    assert Api(client_a.__class__(gym_a), secret).get("me/").status_code == 200
    key = created.context["created"]
    assert client_a.post(f"/profile/api-keys/{key.pk}/revoke/").status_code == 302
    assert Api(client_a.__class__(gym_a), secret).get("me/").status_code == 401


def test_the_key_page_refuses_bad_input_with_every_error(client_a, people):
    client_a.login_as(people["trainer"])
    response = client_a.post("/profile/api-keys/", {"name": "", "writable": "maybe", "expires_on": "yesterday"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "writable", "expires_on"}


def test_the_browser_session_needs_its_csrf_token_to_write(gym_a, people):
    from tests.conftest import GymClient

    browser = GymClient(gym_a, enforce_csrf_checks=True).login_as(people["trainer"])
    assert browser.get("/api/v1/me/").json()["key_writable"] is None
    refused = browser.post("/api/v1/clients/", '{"first_name": "A"}', content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    browser.get("/profile/api-keys/")  # a page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    made = browser.post(
        "/api/v1/clients/", '{"first_name": "A"}', content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert made.status_code == 201


def test_specialties_to_pick_from(gym_a, people, api_as):
    from apps.trainers.models import Specialty

    in_gym(gym_a, Specialty.objects.create, name="Mobility")
    in_gym(gym_a, Specialty.objects.create, name="Retired", is_active=False)
    assert [row["name"] for row in api_as(people["trainer"]).get("specialties/").json()] == ["Mobility"]
    assert [row["name"] for row in api_as(people["owner"]).get("specialties/").json()] == ["Mobility", "Retired"]
