"""Every route of the REST API, with every method, for every actor (by API key), against objects of the actor, of
another trainer and of another gym: the answer is what ``api_route_table.API_ROUTES`` says, refusals answer in the
error shape, nothing answers 5xx, and a refused request changes nothing."""

import json
from datetime import timedelta

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from apps.clients.models import SCREENING_KEYS

from .api_route_table import API_ROUTES, METHODS
from .test_route_access import API_PREFIX, CLIENT_HOLDER, KINDS, URLCONF, _snapshot, targets_of, walk
from .world import FOREIGN, ROLES, SIGNED_OUT_ROLES

API_PATTERNS = {
    key: (route, names)
    for key, route, names, _callback in walk(get_resolver(URLCONF).url_patterns)
    if route.startswith(API_PREFIX)
}


def test_every_api_pattern_has_exactly_one_entry_and_every_entry_a_pattern():
    assert sorted(set(API_PATTERNS) - set(API_ROUTES)) == [], "API routes without an access decision"
    assert sorted(set(API_ROUTES) - set(API_PATTERNS)) == [], "entries whose API route no longer exists"


def api_url(w, key, role, target):
    route = API_ROUTES[key]
    names = API_PATTERNS[key][1]
    values = KINDS[route.kind]["ids"](w, role, target) if route.kind else ()
    return reverse(key, urlconf=URLCONF, kwargs=dict(zip(names, values, strict=True)))


def payload(w, key, role):
    own = w.members[CLIENT_HOLDER[role]]
    in_three_days = (timezone.now() + timedelta(days=3)).replace(microsecond=0).isoformat()
    return {
        "api-client-list": {"first_name": "New", "trainer": own.trainer.pk},
        "api-client-detail": {"goals": "Run a marathon"},
        "api-package-list": {
            "client": own.client.pk if own.client else 1,
            "name": "Five",
            "total_sessions": 5,
            "price": "250",
        },
        "api-package-payments": {"amount": "10"},
        "api-trainer-detail": {"bio": "New bio"},
        "api-trainer-certifications": {"name": "CPR", "issuing_body": "Red Cross", "earned_on": "2024-01-10"},
        "api-trainer-slots": {"weekday": 4, "starts_at": "14:00", "ends_at": "16:00"},
        "api-trainer-time-off": {
            "starts_on": (timezone.localdate() + timedelta(days=60)).isoformat(),
            "ends_on": (timezone.localdate() + timedelta(days=61)).isoformat(),
        },
        "api-pricing-template-list": {"name": "Five", "sessions": 5, "price": "250", "validity_days": 60},
        "api-pricing-template-detail": {"name": "Renamed"},
        "api-invitation-list": {"email": "invitee-api@example.com", "role": "trainer"},
        "api-client-screening": {"answers": dict.fromkeys(SCREENING_KEYS, False), "consent": True},
        "api-client-erase": {"confirm": True},
        "api-assessment-list": {"client": own.client.pk if own.client else 1, "results": {"push_ups": {"reps": 20}}},
        "api-trainer-role": {"role": "senior"},
        "api-trainer-assists": {"trainers": [w.members["trainer"].trainer.pk]},
        "api-package-refunds": {"amount": "10"},
        "api-session-detail": {"duration_minutes": 45, "notes": "Bring water", "confirm_unavailable": True},
        "api-session-list": {
            "client": own.client.pk if own.client else 1,
            "starts_at": in_three_days,
            "confirm_unavailable": True,
        },
    }.get(key, {})


def expected(route, method, role, target):
    spec = route.methods.get(method)
    if route.public:
        return "public" if method == "GET" else "405-or-401"
    if role in SIGNED_OUT_ROLES:
        return "401"
    if role in route.hidden:
        return "404"
    if spec is None:
        return "405"
    tokens = spec[0][role]
    if target == FOREIGN:
        return "404"
    name = target if route.kind else "ok"
    if name in tokens:
        return "ok"
    return "noop" if "~" + name in tokens else "404"


def cases():
    for key in sorted(API_ROUTES):
        for method in METHODS:
            for role in ROLES:
                for target in targets_of(API_ROUTES[key]):
                    yield pytest.param(key, method, role, target, id=f"{key}-{method}-{role}-{target}")


@pytest.mark.parametrize(("key", "method", "role", "target"), list(cases()))
def test_api_route_access(w, client_a, key, method, role, target):
    route = API_ROUTES[key]
    url = api_url(w, key, role, target)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {w.api_keys[role]}"} if w.api_keys[role] else {}
    before = _snapshot(w)
    body = json.dumps(payload(w, key, role)) if method in {"POST", "PATCH", "PUT"} else None
    response = getattr(client_a, method.lower())(url, body, content_type="application/json", **headers)
    status = response.status_code
    described = f"{method} {url} as {role} ({target}): {status}"
    assert status < 500, described
    outcome = expected(route, method, role, target)
    if outcome == "ok":
        assert status in route.methods[method][1], f"{described}: {response.content[:300]}"
    elif outcome == "noop":
        assert status in route.refused, f"{described}: {response.content[:300]}"
    elif outcome == "public":
        assert status == 200, described
    elif outcome == "405-or-401":
        assert status in {401, 405}, described
    else:
        assert status == int(outcome), described
    if outcome not in {"ok", "public"} and not route.public:
        assert set(response.json()) == {"code", "message", "fields"}, described
    after = _snapshot(w)
    if outcome != "ok" or method == "GET":
        assert after == before, f"{described} changed the database"
    elif route.changes:
        assert after != before, f"{described} changed nothing: check the test's payload"
