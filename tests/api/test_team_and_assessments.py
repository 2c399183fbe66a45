"""Trainers, team actions, assistant links, pricing templates, the audit log, assessments and the client's
screening, export and erasure through the API: the same rules as the pages, and lists of constant cost."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.clients.models import SCREENING_KEYS, Client
from apps.trainers.models import ApiKey, AssistantLink, Certification, PricingTemplate, Specialty
from tests.api.test_limits_and_queries import count_queries
from tests.factories import ClientFactory, TrainerFactory
from tests.support import in_gym


def test_who_sees_which_trainers(people, api_as):
    everyone = {trainer.pk for trainer in people.values()}
    assert {row["id"] for row in api_as(people["owner"]).get("trainers/").json()["results"]} == everyone
    assert {row["id"] for row in api_as(people["senior"]).get("trainers/").json()["results"]} == everyone
    assert [row["id"] for row in api_as(people["trainer"]).get("trainers/").json()["results"]] == [people["trainer"].pk]
    assert api_as(people["trainer"]).get(f"trainers/{people['other'].pk}/").status_code == 404


def test_profile_edit_and_availability(gym_a, people, api_as):
    specialty = in_gym(gym_a, Specialty.objects.create, name="Mobility")
    api = api_as(people["trainer"])
    changed = api.patch(
        f"trainers/{people['trainer'].pk}/", {"bio": "Runner", "languages": ["English"], "specialties": [specialty.pk]}
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["bio"] == "Runner" and changed.json()["specialties"] == ["Mobility"]
    bad = api.patch(f"trainers/{people['trainer'].pk}/", {"years_of_experience": 200, "phone": "x", "colour": 1})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"colour"}
    # The serializer refuses the years and the tag, the service the phone: one answer names all three.
    bad = api.patch(f"trainers/{people['trainer'].pk}/", {"years_of_experience": 200, "phone": "x", "tags": ["y" * 41]})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"years_of_experience", "phone", "tags.0"}
    assert api.patch(f"trainers/{people['other'].pk}/", {"bio": "x"}).status_code == 404
    hours = api.get(f"trainers/{people['trainer'].pk}/availability/")
    assert hours.status_code == 200 and hours.json()["weekly"] == [] and hours.json()["timezone"]


def test_team_actions_follow_the_pages_rules(gym_a, people, api_as, key_for):
    owner = api_as(people["owner"])
    last_owner = owner.post(f"trainers/{people['owner'].pk}/role/", {"role": "senior"})
    assert last_owner.status_code == 409 and last_owner.json()["code"] == "conflict"
    promoted = owner.post(f"trainers/{people['other'].pk}/role/", {"role": "senior"})
    assert promoted.status_code == 200 and promoted.json()["role"] == "senior"
    assert api_as(people["senior"]).post(f"trainers/{people['trainer'].pk}/role/", {"role": "owner"}).status_code == 404
    key, _secret = key_for(people["trainer"])
    gone = api_as(people["senior"]).post(f"trainers/{people['trainer'].pk}/deactivate/")
    assert gone.status_code == 200 and gone.json()["is_active"] is False
    assert in_gym(gym_a, ApiKey.objects.get, pk=key.pk).revoked_at is not None
    again = owner.post(f"trainers/{people['trainer'].pk}/deactivate/")
    assert again.status_code == 409
    back = owner.post(f"trainers/{people['trainer'].pk}/reactivate/")
    assert back.status_code == 200 and back.json()["is_active"] is True


def test_linking_an_assistant(gym_a, people, api_as):
    linked = api_as(people["senior"]).post(
        f"trainers/{people['assistant'].pk}/assists/", {"trainers": [people["trainer"].pk]}
    )
    assert linked.status_code == 200 and [link["trainer"]["id"] for link in linked.json()] == [people["trainer"].pk]
    links = api_as(people["assistant"]).get("assistant-links/").json()["results"]
    assert [(link["assistant"]["id"], link["trainer"]["id"]) for link in links] == [
        (people["assistant"].pk, people["trainer"].pk)
    ]
    assert (
        api_as(people["trainer"]).post(f"trainers/{people['assistant'].pk}/assists/", {"trainers": []}).status_code
        == 404
    )


def test_pricing_templates_and_the_audit_log_are_for_their_roles(gym_a, people, api_as):
    in_gym(
        gym_a,
        PricingTemplate.objects.create,
        trainer=people["trainer"],
        name="Ten",
        sessions=10,
        price=Decimal("500"),
        validity_days=90,
    )
    assert [row["name"] for row in api_as(people["trainer"]).get("pricing-templates/").json()["results"]] == ["Ten"]
    assert api_as(people["other"]).get("pricing-templates/").json()["results"] == []
    assert api_as(people["assistant"]).get("pricing-templates/").status_code == 404
    api_as(people["trainer"]).post("clients/", {"first_name": "Audited"})
    log = api_as(people["owner"]).get("audit-log/", action="client.create")
    assert log.status_code == 200 and [row["action"] for row in log.json()["results"]] == ["client.create"]
    for role in ("senior", "trainer", "assistant"):
        assert api_as(people[role]).get("audit-log/").status_code == 404


def test_assessments_are_scored_and_compared(gym_a, people, api_as):
    client = in_gym(gym_a, ClientFactory, trainer=people["trainer"], sex="female", date_of_birth="1990-04-02")
    api = api_as(people["trainer"])
    made = []
    for days, reps in ((60, 10), (1, 25)):
        performed = (timezone.now() - timedelta(days=days)).isoformat()
        response = api.post(
            "assessments/", {"client": client.pk, "performed_at": performed, "results": {"push_ups": {"reps": reps}}}
        )
        assert response.status_code == 201, response.json()
        assert response.json()["scoring_version"] and response.json()["results"][0]["computed_score"] is not None
        made.append(response.json())
    assert made[1]["overall_score"] > made[0]["overall_score"]
    compared = api.client.get(f"/api/v1/assessments/compare/?ids={made[0]['id']}&ids={made[1]['id']}", **api.headers)
    assert compared.status_code == 200
    overall = compared.json()["overall"]
    assert overall["values"] == [made[0]["overall_score"], made[1]["overall_score"]] and overall["total_change"] > 0
    assert api.post("assessments/", {"client": client.pk, "results": {"juggling": {}}}).status_code == 400
    other = in_gym(gym_a, ClientFactory, trainer=people["other"])
    refused = api.post("assessments/", {"client": other.pk, "results": {"push_ups": {"reps": 10}}})
    assert refused.status_code == 400 and "client" in refused.json()["fields"]


def test_screening_export_and_erasure(gym_a, people, api_as):
    client = in_gym(gym_a, ClientFactory, trainer=people["trainer"], first_name="Private")
    api = api_as(people["trainer"])
    answers = dict.fromkeys(SCREENING_KEYS, False)
    screened = api.post(f"clients/{client.pk}/screening/", {"answers": answers, "consent": True})
    assert screened.status_code == 200 and screened.json()["consent_at"]
    assert api.post(f"clients/{client.pk}/screening/", {"answers": answers, "consent": False}).status_code == 400
    assert api.get(f"clients/{client.pk}/export/").status_code == 404  # owner only
    owner = api_as(people["owner"])
    exported = owner.get(f"clients/{client.pk}/export/")
    assert exported.status_code == 200 and exported.json()["client"]["first_name"] == "Private"
    assert owner.post(f"clients/{client.pk}/erase/", {"confirm": False}).status_code == 400
    erased = owner.post(f"clients/{client.pk}/erase/", {"confirm": True})
    assert erased.status_code == 200 and erased.json()["erased_at"] and erased.json()["first_name"] != "Private"
    assert in_gym(gym_a, Client.objects.get, pk=client.pk).first_name != "Private"


@pytest.mark.parametrize("path", ["trainers/", "assistant-links/", "pricing-templates/", "audit-log/", "assessments/"])
def test_lists_cost_the_same_with_3_and_30_rows(gym_a, people, api_as, path):
    def add(count):
        for n in range(count):
            trainer = in_gym(gym_a, TrainerFactory, role="trainer")
            in_gym(
                gym_a,
                Certification.objects.create,
                trainer=trainer,
                name="CPT",
                issuing_body="NASM",
                earned_on=timezone.localdate() - timedelta(days=30),
            )
            in_gym(gym_a, AssistantLink.objects.create, assistant=people["assistant"], trainer=trainer)
            in_gym(
                gym_a,
                PricingTemplate.objects.create,
                trainer=trainer,
                name=f"T{n}",
                sessions=5,
                price=Decimal("100"),
                validity_days=30,
            )
            in_gym(gym_a, AuditEntry.objects.create, action="test.row", target_type="x", target_id=str(n))
            client = in_gym(gym_a, ClientFactory, trainer=trainer, date_of_birth="1990-01-01", sex="male")
            from apps.assessments.services import assessment_create

            in_gym(
                gym_a,
                assessment_create,
                actor=people["owner"],
                client=client,
                performed_at=timezone.now() - timedelta(days=1),
                results={"push_ups": {"reps": 20}},
            )

    api = api_as(people["owner"])
    add(3)
    few = count_queries(api, path)
    add(27)
    assert count_queries(api, path) == few
    assert len(api.get(path).json()["results"]) == 25


def test_certifications_hours_and_time_off(gym_a, people, api_as):
    api = api_as(people["trainer"])
    me = people["trainer"].pk
    added = api.post(
        f"trainers/{me}/certifications/", {"name": "CPR", "issuing_body": "Red Cross", "earned_on": "2024-01-10"}
    )
    assert added.status_code == 201 and [c["name"] for c in added.json()["certifications"]] == ["CPR"]
    cert_id = added.json()["certifications"][0]["id"]
    assert (
        api.post(
            f"trainers/{people['other'].pk}/certifications/",
            {"name": "X", "issuing_body": "Y", "earned_on": "2024-01-10"},
        ).status_code
        == 404
    )
    assert api.client.delete(f"/api/v1/trainers/{me}/certifications/{cert_id}/", **api.headers).status_code == 204
    assert in_gym(gym_a, Certification.objects.filter(pk=cert_id).exists) is False

    slot = api.post(f"trainers/{me}/availability/slots/", {"weekday": 0, "starts_at": "09:00", "ends_at": "12:00"})
    assert slot.status_code == 201 and len(slot.json()["weekly"]) == 1
    overlap = api.post(f"trainers/{me}/availability/slots/", {"weekday": 0, "starts_at": "11:00", "ends_at": "13:00"})
    assert overlap.status_code == 400 and overlap.json()["fields"]
    start = timezone.localdate() + timedelta(days=10)
    off = api.post(f"trainers/{me}/time-off/", {"starts_on": start.isoformat(), "ends_on": start.isoformat()})
    assert off.status_code == 201 and len(off.json()["time_off"]) == 1
    from apps.trainers.models import AvailabilitySlot, TimeOff

    slot_id = in_gym(gym_a, AvailabilitySlot.objects.get, trainer=people["trainer"]).pk
    off_id = in_gym(gym_a, TimeOff.objects.get, trainer=people["trainer"]).pk
    assert api.client.delete(f"/api/v1/trainers/{me}/availability/slots/{slot_id}/", **api.headers).status_code == 204
    assert api.client.delete(f"/api/v1/trainers/{me}/time-off/{off_id}/", **api.headers).status_code == 204
    assert api.client.delete(f"/api/v1/trainers/{me}/time-off/abc/", **api.headers).status_code == 404


def test_pricing_templates_are_written_through_the_service(gym_a, people, api_as):
    api = api_as(people["trainer"])
    made = api.post("pricing-templates/", {"name": "Five", "sessions": 5, "price": "250", "validity_days": 60})
    assert made.status_code == 201 and made.json()["trainer"]["id"] == people["trainer"].pk
    template = made.json()["id"]
    off = api.patch(f"pricing-templates/{template}/", {"is_active": False, "price": "260"})
    assert off.status_code == 200 and off.json()["is_active"] is False and off.json()["price"] == "260.00"
    assert api_as(people["other"]).patch(f"pricing-templates/{template}/", {"name": "Mine"}).status_code == 404
    for_other = api_as(people["owner"]).post(
        "pricing-templates/",
        {"trainer": people["other"].pk, "name": "Ten", "sessions": 10, "price": "1", "validity_days": 30},
    )
    assert for_other.status_code == 201 and for_other.json()["trainer"]["id"] == people["other"].pk
    refused = api.post(
        "pricing-templates/",
        {"trainer": people["other"].pk, "name": "X", "sessions": 1, "price": "1", "validity_days": 1},
    )
    assert refused.status_code == 404


def test_invitations(gym_a, people, api_as):
    from tenants.models import Invitation

    senior = api_as(people["senior"])
    invited = senior.post("invitations/", {"email": "new.trainer@example.com", "role": "trainer"})
    assert invited.status_code == 201 and invited.json()["role"] == "trainer"
    not_allowed = senior.post("invitations/", {"email": "boss@example.com", "role": "owner"})
    assert not_allowed.status_code == 400 and "role" in not_allowed.json()["fields"]
    pk = invited.json()["id"]
    assert senior.post(f"invitations/{pk}/resend/").status_code == 200
    assert senior.post(f"invitations/{pk}/revoke/").json()["revoked_at"]
    assert senior.post(f"invitations/{pk}/revoke/").status_code == 409
    assert api_as(people["trainer"]).get("invitations/").status_code == 404
    assert Invitation.objects.filter(pk=pk).exists()
