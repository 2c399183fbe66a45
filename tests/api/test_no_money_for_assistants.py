"""Assistants never see money: every response schema an assistant can receive has no money field at all (absent,
not null), and the answers they actually get carry none either."""

from pathlib import Path

import yaml
from django.urls import resolve

from apps.trainers.models import AssistantLink
from tests.factories import SessionFactory, SessionPackageFactory
from tests.security.api_route_table import API_ROUTES
from tests.support import in_gym

SCHEMA = yaml.safe_load((Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml").read_text())
MONEY_FIELDS = {
    "price",
    "amount",
    "net_amount",
    "vat_amount",
    "fee_amount",
    "gross_amount",
    "paid_amount",
    "balance_due",
    "vat_rate",
    "card_fee_rate",
    "revenue",
    "revenue_this_month",
}


def properties(schema, seen=()):
    """Every property name reachable from ``schema`` (through $ref, arrays, allOf/oneOf)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return set()
        return properties(SCHEMA["components"]["schemas"][name], (*seen, name))
    names = set()
    for key, value in (schema.get("properties") or {}).items():
        names |= {key} | properties(value, seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            names |= properties(schema[key], seen)
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, []):
            names |= properties(part, seen)
    return names


def assistant_may_receive(path, method):
    route = API_ROUTES[resolve(path.replace("{id}", "1"), urlconf="config.urls_tenant").url_name]
    if route.public or "assistant" in route.hidden:
        return False
    spec = route.methods.get(method.upper())
    return spec is not None and bool(spec[0]["assistant"])


def test_no_response_schema_an_assistant_can_receive_has_money():
    checked = 0
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            if not assistant_may_receive(path, method):
                continue
            for code, response in operation["responses"].items():
                if not code.startswith("2"):
                    continue
                for content in response.get("content", {}).values():
                    found = properties(content["schema"]) & MONEY_FIELDS
                    assert not found, f"{method.upper()} {path} ({code}) can show an assistant {sorted(found)}"
                    checked += 1
    assert checked >= 10  # sessions, clients, me... (the test must not pass by finding nothing)


def walk(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


def test_what_an_assistant_gets_carries_no_money(gym_a, people, api_as):
    in_gym(gym_a, AssistantLink.objects.create, assistant=people["assistant"], trainer=people["trainer"])
    package = in_gym(gym_a, SessionPackageFactory, trainer=people["trainer"])
    session = in_gym(gym_a, SessionFactory, trainer=people["trainer"], client=package.client, package=package)
    api = api_as(people["assistant"])
    answers = [api.get(path) for path in ("me/", "clients/", "sessions/", f"sessions/{session.pk}/")]
    assert all(answer.status_code == 200 for answer in answers)
    assert answers[3].json()["package"] == {"id": package.pk, "name": package.name}
    assert not {key for answer in answers for key in walk(answer.json())} & MONEY_FIELDS
    assert api.get("packages/").status_code == 404 and api.get("payments/").status_code == 404
