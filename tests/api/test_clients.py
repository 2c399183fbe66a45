"""The clients resource: the same rules as the pages (services and selectors), the error shape, ETags."""

import pytest

from apps.clients.models import Client
from apps.trainers.models import AssistantLink
from tests.factories import ClientFactory
from tests.support import in_gym


@pytest.fixture
def clients(gym_a, people):
    own = in_gym(gym_a, ClientFactory, trainer=people["trainer"], first_name="Own")
    other = in_gym(gym_a, ClientFactory, trainer=people["other"], first_name="Other")
    in_gym(gym_a, AssistantLink.objects.create, assistant=people["assistant"], trainer=people["trainer"])
    return {"own": own, "other": other}


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_each_role_lists_what_the_pages_show(people, clients, api_as):
    own, other = clients["own"].pk, clients["other"].pk
    assert ids(api_as(people["owner"]).get("clients/")) == {own, other}
    assert ids(api_as(people["trainer"]).get("clients/")) == {own}
    assert ids(api_as(people["assistant"]).get("clients/")) == {own}
    assert ids(api_as(people["senior"]).get("clients/")) == set()


def test_another_trainers_client_is_404_like_a_missing_one(people, clients, api_as):
    api = api_as(people["trainer"])
    assert api.get(f"clients/{clients['other'].pk}/").status_code == 404
    assert api.get("clients/999999999/").status_code == 404
    response = api.patch(f"clients/{clients['other'].pk}/", {"phone": "1"})
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_create_read_update_with_etag(gym_a, people, api_as):
    api = api_as(people["trainer"])
    created = api.post("clients/", {"first_name": "Minji", "last_name": "Kim", "sex": "female"})
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["trainer"]["id"] == people["trainer"].pk and body["sex"] == "female"
    read = api.get(f"clients/{body['id']}/")
    etag = read["ETag"]
    assert etag and read.json()["first_name"] == "Minji"
    changed = api.patch(f"clients/{body['id']}/", {"phone": "+82 10 1234 5678"}, headers={"If-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    stale = api.patch(f"clients/{body['id']}/", {"phone": "000"}, headers={"If-Match": etag})
    assert stale.status_code == 412 and stale.json()["code"] == "stale"
    assert in_gym(gym_a, Client.objects.get, pk=body["id"]).phone == "+82 10 1234 5678"


def test_invalid_input_lists_every_field_and_writes_nothing(gym_a, people, api_as):
    api = api_as(people["trainer"])
    before = in_gym(gym_a, Client.objects.count)
    response = api.post("clients/", {"first_name": "", "sex": "x", "height_cm": "tall", "colour": "red"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["fields"]) == {"colour"}  # unknown fields are refused before anything else
    response = api.post("clients/", {"first_name": "", "sex": "x", "height_cm": "tall", "date_of_birth": "soon"})
    assert set(response.json()["fields"]) == {"first_name", "sex", "height_cm", "date_of_birth"}
    response = api.post("clients/", {"first_name": "Ann", "height_cm": "900"})  # a rule of the service
    assert response.status_code == 400 and set(response.json()["fields"]) == {"height_cm"}
    assert api.post("clients/", "{not json").status_code == 400
    assert api.post("clients/", [1, 2]).status_code == 400
    assert in_gym(gym_a, Client.objects.count) == before


def test_every_bad_field_is_named_in_one_answer(gym_a, people, api_as):
    """The service's rules (birth date, height, weight, phone) and the serializer's (the e-mail) in one 400."""
    api = api_as(people["trainer"])
    before = in_gym(gym_a, Client.objects.count)
    bad = {"date_of_birth": "2090-01-01", "height_cm": "1000", "weight_kg": "-4", "phone": "abc"}
    response = api.post("clients/", {"first_name": "Minji", **bad})
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert response.json()["fields"] == {
        "date_of_birth": ["The date of birth cannot be in the future."],
        "height_cm": ["Enter a value from 50 to 272 cm."],
        "weight_kg": ["Enter a value from 2 to 500 kg."],
        "phone": ["Enter a phone number with digits."],
    }
    # The e-mail is refused by the serializer itself: the service still names the other fields.
    response = api.post("clients/", {"first_name": "Minji", "email": "minji@", **bad})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"email", "date_of_birth", "height_cm", "weight_kg", "phone"}
    assert response.json()["fields"]["height_cm"] == ["Enter a value from 50 to 272 cm."]
    client = in_gym(gym_a, ClientFactory, trainer=people["trainer"])
    response = api.patch(f"clients/{client.pk}/", {"height_cm": "1000", "phone": "abc", "first_name": ""})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"height_cm", "phone", "first_name"}
    assert in_gym(gym_a, Client.objects.count) == before + 1


def test_huge_bodies_are_413(people, api_as):
    response = api_as(people["trainer"]).post("clients/", {"first_name": "A", "notes": "x" * (1024 * 1024 + 1)})
    assert response.status_code == 413 and response.json()["code"] == "too_large"


def test_assistants_may_not_archive_and_others_may(people, clients, api_as):
    target = f"clients/{clients['own'].pk}/archive/"
    assert api_as(people["assistant"]).post(target).status_code == 404
    archived = api_as(people["trainer"]).post(target)
    assert archived.status_code == 200 and archived.json()["status"] == "archived"


def test_messages_follow_accept_language(people, api_as):
    api = api_as(people["trainer"])
    english = api.client.get("/api/v1/clients/999999/", **api.headers, HTTP_ACCEPT_LANGUAGE="en")
    korean = api.client.get("/api/v1/clients/999999/", **api.headers, HTTP_ACCEPT_LANGUAGE="ko")
    assert english.json()["message"] != korean.json()["message"]


def test_pages_are_cursors_of_at_most_100(gym_a, people, api_as):
    for _ in range(3):
        in_gym(gym_a, ClientFactory, trainer=people["trainer"])
    api = api_as(people["trainer"])
    first = api.get("clients/", page_size=2)
    assert len(first.json()["results"]) == 2 and "cursor=" in first.json()["next"]
    second = api.client.get(first.json()["next"], **api.headers)
    assert len(second.json()["results"]) == 1
    assert len(api.get("clients/", page_size=1000).json()["results"]) == 3


def test_field_errors_and_framework_messages_are_korean_when_asked(people, api_as, client_a):
    api = api_as(people["trainer"])
    response = api.client.post(
        "/api/v1/clients/", "{}", content_type="application/json", HTTP_ACCEPT_LANGUAGE="ko", **api.headers
    )
    assert response.status_code == 400 and response.json()["fields"]["first_name"] == ["필수 항목입니다."]
    anonymous = client_a.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="ko")
    assert anonymous.status_code == 401 and anonymous.json()["message"] == "인증 정보가 없습니다."


def test_reminder_consent_is_written_and_read(people, clients, api_as):
    """Issue 15: ``reminders_consent`` records (true) or withdraws (false) the consent; the date comes back."""
    api = api_as(people["trainer"])
    url = f"clients/{clients['own'].pk}/"
    assert api.get(url).json()["reminders_consent_at"] is None
    given = api.patch(url, {"reminders_consent": True}).json()["reminders_consent_at"]
    assert given is not None
    assert api.patch(url, {"phone": "010"}).json()["reminders_consent_at"] == given  # untouched when not sent
    assert api.patch(url, {"reminders_consent": False}).json()["reminders_consent_at"] is None
