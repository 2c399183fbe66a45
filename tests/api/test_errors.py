"""Paths under /api/v1/ that no view answers still answer in the API's JSON error shape."""

from tests.factories import ClientFactory
from tests.support import in_gym


def test_an_unknown_api_path_is_json_404(client_a, people, api_as):
    api = api_as(people["trainer"])
    for path in ("clients/-1.5e-72/", "clients/abc/", "no-such-thing/"):
        response = api.get(path)
        assert response.status_code == 404 and response["Content-Type"] == "application/json"
        assert response.json()["code"] == "not_found"
    assert "text/html" in client_a.get("/no-such-page/")["Content-Type"]


def test_times_with_impossible_offsets_are_400_not_500(gym_a, people, api_as):
    api = api_as(people["owner"])
    response = api.get("payments/", paid_after="0319-04-02T03:56:05+16:00")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"paid_after"}
    booked = api.post("sessions/", {"client": 1, "starts_at": "2026-12-04T10:00:00+15:30"})
    assert booked.status_code == 400 and "starts_at" in booked.json()["fields"]
    assert api.post("clients/", {"first_name": "A", "trainer": 10**30}).status_code == 400


def test_a_suspended_gym_answers_every_api_path_before_any_key_is_read(gym_a, client_a, people, key_for):
    from apps.trainers.models import ApiKey
    from tenants.services import organization_suspend
    from tests.api.conftest import Api
    from tests.support import in_gym

    key, secret = key_for(people["trainer"])
    organization_suspend(organization=gym_a)
    for path in ("me/", "clients/", "no-such-thing/"):
        response = Api(client_a, secret).get(path)
        assert response.status_code == 403
        assert response.json()["code"] == "organization_suspended" and set(response.json()) == {
            "code",
            "message",
            "fields",
        }
    assert in_gym(gym_a, ApiKey.objects.get, pk=key.pk).last_used_at is None  # authentication never ran


def test_nothing_of_a_gym_on_the_root_host(root_client, people, key_for):
    _key, secret = key_for(people["trainer"])
    for path in ("/api/v1/me/", "/api/v1/clients/", "/api/v1/docs/"):
        assert root_client.get(path, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 404


def test_nul_characters_never_reach_the_database(gym_a, client_a, people, api_as):
    """Found by schemathesis: each of these once answered 500."""
    from tests.api.conftest import Api

    assert Api(client_a, "gk_\x00\x00\x00\x00\x00\x00\x00\x00_" + "a" * 43).get("me/").status_code == 401
    api = api_as(people["trainer"])
    echoed = api.post("clients/", {"first_name": "A", "bad\x00field": 1}, headers={"Idempotency-Key": "nul-1"})
    replayed = api.post("clients/", {"first_name": "A", "bad\x00field": 1}, headers={"Idempotency-Key": "nul-1"})
    assert echoed.status_code == replayed.status_code == 400 and replayed["Idempotent-Replayed"] == "true"
    client = in_gym(gym_a, ClientFactory, trainer=people["trainer"])
    response = api.post("assessments/", {"client": client.pk, "results": {"push_ups": {"reps": "1\x00"}}})
    assert response.status_code == 400 and "results" in response.json()["fields"]
