"""Every URL pattern of a gym's host, with every method and role, against objects of the actor, of another trainer
and of another gym: the answer is what ``route_table.ROUTES`` says, and a refused request changes nothing.

The world (tests/security/world.py) is built once for the module in an outer transaction; every case runs in a
savepoint of its own and is rolled back, so allowed writes do not leak into the next case.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone

from apps.access import SWITCHER_SESSION_KEY as SESSION_KEY
from apps.assessments.scoring import SCORING_VERSION
from apps.clients.models import SCREENING_KEYS, Sex
from tenants.models import Role
from tests.conftest import GymClient
from tests.factories import PASSWORD, TrainerFactory

from .route_table import NO_GET, ROUTES
from .world import (
    ACTIVE_ROLES,
    FOREIGN,
    INVITATION_TOKEN_A,
    INVITATION_TOKEN_B,
    OTHER,
    OWN,
    ROLES,
    SIGNED_OUT_ROLES,
    gym_a_ids,
    snapshot,
)

URLCONF = "config.urls_tenant"
LOGIN_URL = "/accounts/login/"


# --- the URL configuration ----------------------------------------------------------------------------------------


def _kwarg_names(pattern):
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    return list(pattern.regex.groupindex)


def walk(patterns, prefix="", kwargs=()):
    """(key, route, kwarg names, callback) of every pattern, through includes. Key: the name, else the route."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        names = [*kwargs, *_kwarg_names(entry.pattern)]
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, route, names)
        elif isinstance(entry, URLPattern):
            yield entry.name or route, route, names, entry.callback


# The API's routes have their own table and test (api_route_table.py, test_api_route_access.py).
API_PREFIX = "api/v1/"
PATTERNS = {
    key: (route, names, callback)
    for key, route, names, callback in walk(get_resolver(URLCONF).url_patterns)
    if not route.startswith(API_PREFIX)
}


def accepts_post(callback):
    view_class = getattr(callback, "view_class", None)
    if view_class is None:
        return None  # a function view: the table decides
    return hasattr(view_class, "post") and "post" in view_class.http_method_names


def test_every_pattern_has_exactly_one_entry_and_every_entry_a_pattern():
    all_keys = [key for key, route, *_ in walk(get_resolver(URLCONF).url_patterns) if not route.startswith(API_PREFIX)]
    assert len(all_keys) == len(set(all_keys)), "two patterns share a key"
    missing = sorted(set(PATTERNS) - set(ROUTES))
    assert not missing, f"patterns without an access decision in tests/security/route_table.py: {missing}"
    gone = sorted(set(ROUTES) - set(PATTERNS))
    assert not gone, f"route_table.py entries whose pattern no longer exists: {gone}"


def test_the_table_declares_post_exactly_for_the_views_that_accept_it():
    wrong = []
    for key, (_route, _names, callback) in PATTERNS.items():
        accepts = accepts_post(callback)
        if key in ROUTES and accepts is not None and accepts != (ROUTES[key].post is not None):
            wrong.append(key)
    assert not wrong, f"POST declared for a view without post(), or missing for one with it: {sorted(wrong)}"


def test_kinds_match_the_ids_in_the_pattern():
    for key, route in ROUTES.items():
        names = PATTERNS.get(key, (None, []))[1]
        ids = KINDS[route.kind]["ids"](None, None, OWN) if route.kind else ()
        assert len(names) == len(ids), key


def test_no_debug_media_route_under_test_settings():
    """``serve_gym_media`` is added to the gym URLconf only when DEBUG is on: not here, so not in the table."""
    assert not settings.DEBUG
    media = settings.MEDIA_URL.lstrip("/")
    assert media
    assert not [route for route, *_ in PATTERNS.values() if route.startswith(media)]
    assert not [key for key, (_r, _n, callback) in PATTERNS.items() if callback.__name__ == "serve_gym_media"]


# --- the world, once per module -----------------------------------------------------------------------------------


def test_ids_of_gym_b_do_not_exist_in_gym_a(w):
    connection.set_tenant(w.gym_b)
    try:
        held = w.foreign
        pairs = [
            ("clients_client", held.client.pk),
            ("assessments_assessment", held.assessment.pk),
            ("assessments_testresult", held.result.pk),
            ("training_sessionpackage", held.package.pk),
            ("training_session", held.session.pk),
            ("trainers_trainer", held.trainer.pk),
            ("trainers_trainer", w.foreign_assistant.pk),
            ("trainers_pricingtemplate", held.pricing.pk),
            ("trainers_certification", held.certification.pk),
            ("trainers_availabilityslot", held.slot.pk),
            ("trainers_timeoff", held.time_off.pk),
            ("trainers_specialty", w.specialties[FOREIGN].pk),
        ]
        for table, pk in pairs:
            assert pk not in gym_a_ids(w, table), (table, pk)
    finally:
        connection.set_schema_to_public()


# --- what the URL's ids name --------------------------------------------------------------------------------------

# Whose objects are "own" for each role: an assistant's are those of the trainer they assist; visitors who are not
# members of gym A get a trainer's.
CLIENT_HOLDER = {
    "owner": "owner",
    "senior": "senior",
    "trainer": "trainer",
    "assistant": "trainer",
    "deactivated": "deactivated",
    "anonymous": "trainer",
    "other_gym": "trainer",
}
# For pages about a member (profile, availability, certifications): the actor themselves.
MEMBER_HOLDER = {**CLIENT_HOLDER, "assistant": "assistant"}


def _held(w, role, target, holders, other="other"):
    if target == FOREIGN:
        return w.foreign
    return w.members[holders[role] if target == OWN else other]


def _objects(attribute, holders=CLIENT_HOLDER):
    def ids(w, role, target):
        if w is None:  # arity probe
            return (None,) * len(attribute)
        held = _held(w, role, target, holders)
        return tuple(getattr(held, name).pk for name in attribute)

    return ids


def _member(other):
    def ids(w, role, target):
        if w is None:
            return (None,)
        if target == FOREIGN:
            return (w.foreign.trainer.pk if other != "assistant2" else w.foreign_assistant.pk,)
        return (w.members[MEMBER_HOLDER[role] if target == OWN else other].trainer.pk,)

    return ids


def _keyed(attribute):
    def ids(w, role, target):
        if w is None:
            return (None,)
        return (getattr(w, attribute)[target].pk,)

    return ids


KINDS = {
    "client": {"ids": _objects(["client"])},
    "assessment": {"ids": _objects(["assessment"])},
    "result": {"ids": _objects(["assessment", "result"])},
    "package": {"ids": _objects(["package"])},
    "session": {"ids": _objects(["session"])},
    "pricing": {"ids": _objects(["pricing"])},
    "member": {"ids": _member("other")},
    "inactive_member": {"ids": _member("deactivated")},
    "assistant_member": {"ids": _member("assistant2")},
    "certification": {"ids": _objects(["trainer", "certification"], MEMBER_HOLDER)},
    "api_key": {"ids": _objects(["api_key"], MEMBER_HOLDER)},
    "payment": {"ids": _objects(["payment"])},
    "slot": {"ids": _objects(["trainer", "slot"], MEMBER_HOLDER)},
    "time_off": {"ids": _objects(["trainer", "time_off"], MEMBER_HOLDER)},
    "specialty": {"ids": _keyed("specialties")},
    "invitation": {"ids": _keyed("invitations")},
    "token": {
        "ids": lambda w, role, target: (INVITATION_TOKEN_A if target == OWN else INVITATION_TOKEN_B,),
        "targets": (OWN, FOREIGN),
    },
    # A trainer whose analytics the URL names: for an assistant, "own" is a trainer they assist.
    "coach": {"ids": _objects(["trainer"])},
    "coach_table": {
        "ids": lambda w, role, target: (
            (None, None) if w is None else (*_objects(["trainer"])(w, role, target), "figures")
        )
    },
    "coach_month": {
        "ids": lambda w, role, target: (
            (None, None, None)
            if w is None
            else (*_objects(["trainer"])(w, role, target), timezone.localdate().year, timezone.localdate().month)
        )
    },
    "no_export": {"ids": lambda w, role, target: (2**31 - 1,), "targets": ("ok",)},
    # A table's slug: no object, so the target is "ok" like a page without ids.
    "table": {"ids": lambda w, role, target: ("figures",), "targets": ("ok",)},
    "dummy_key": {"ids": lambda w, role, target: ("1-not-a-key",), "targets": ("-",)},
    # A calendar feed token of the right shape that no feed has (issue 15): 404 for everyone.
    "feed_token": {"ids": lambda w, role, target: ("wrong-feed-token-" + "f" * 43,), "targets": ("-",)},
    "dummy_reset_key": {"ids": lambda w, role, target: ("1", "not-a-key"), "targets": ("-",)},
}


def targets_of(route):
    if route.kind is None:
        return ("-",)
    return KINDS[route.kind].get("targets", (OWN, OTHER, FOREIGN))


def url_of(w, key, role, target):
    route = ROUTES[key]
    names = PATTERNS[key][1]
    values = KINDS[route.kind]["ids"](w, role, target) if route.kind else ()
    kwargs = dict(zip(names, values, strict=True))
    if key == PATTERNS[key][0]:  # an unnamed pattern, keyed by its route
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(kwargs[match.group(1)]), key)
    return reverse(key, urlconf=URLCONF, kwargs=kwargs)


# --- what is posted -----------------------------------------------------------------------------------------------


def _day(days):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _own(w, role):
    return w.members[CLIENT_HOLDER[role]]


ASSESSMENT = {
    "setting": "indoor",
    "push_ups_variant": "standard",
    "push_ups_reps": "25",
    "step_protocol": "ymca",
    "step_harvard_form": "long",
}

PAYLOADS = {
    "account_login": lambda w, role, t: {"login": "nobody@example.com", "password": "wrong"},
    "account_signup": lambda w, role, t: {
        "email": "signup-attempt@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
    },
    "account_reset_password": lambda w, role, t: {"email": w.members["trainer"].trainer.user.email},
    "account_reset_password_from_key": lambda w, role, t: {"password1": PASSWORD, "password2": PASSWORD},
    "set_language": lambda w, role, t: {"language": "ko", "next": "/"},
    "invitation_accept": lambda w, role, t: {"full_name": "New Member", "password1": PASSWORD, "password2": PASSWORD},
    "calendar_feed": lambda w, role, t: {"action": "new"},
    "client_create": lambda w, role, t: {
        "first_name": "New",
        "last_name": "Client",
        "sex": Sex.NOT_STATED,
        "trainer": w.members["trainer"].trainer.pk,
    },
    "client_update": lambda w, role, t: {
        "first_name": "Renamed",
        "last_name": "Client",
        "sex": Sex.NOT_STATED,
        "trainer": _held(w, role, t, CLIENT_HOLDER).trainer.pk if t != FOREIGN else w.foreign.trainer.pk,
    },
    "client_screening": lambda w, role, t: {**dict.fromkeys(SCREENING_KEYS, "no"), "consent": "on"},
    "client_erase": lambda w, role, t: {"confirm": "ERASE"},
    "assessment_create": lambda w, role, t: ASSESSMENT,
    "assessment_preview": lambda w, role, t: ASSESSMENT,
    "assessment_result_override": lambda w, role, t: {"score": "50", "reason": "Re-checked on video"},
    "assessment_report_details": lambda w, role, t: {"reassess_on": "", "note": "Keep going"},
    "assessment_rescore": lambda w, role, t: {"from_version": "2026.3", "to_version": SCORING_VERSION},
    "client_report_language": lambda w, role, t: {"language": "ko", "next": "/"},
    "report_exports": lambda w, role, t: {"first_day": "2026-01-01", "last_day": "2026-01-31"},
    "package_sell": lambda w, role, t: {
        "client": _own(w, role).client.pk,
        "name": "Five",
        "total_sessions": "5",
        "price": "250",
        "pricing_mode": "inclusive",
    },
    "payment_create": lambda w, role, t: {"pay-amount": "10", "pay-method": "card"},
    "client_payment_create": lambda w, role, t: {
        "package": _held(w, role, t, CLIENT_HOLDER).package.pk,
        "amount": "1",
        "method": "cash",
    },
    "payment_refund": lambda w, role, t: {"refund-amount": "10", "refund-method": "card"},
    "session_schedule": lambda w, role, t: {
        "client": _own(w, role).client.pk,
        "day": _day(3),
        "start": "10:00",
        "duration_minutes": "60",
        "confirm_unavailable": "on",
    },
    "session_edit": lambda w, role, t: {
        "day": _day(4),
        "start": "11:00",
        "duration_minutes": "45",
        "notes": "Moved",
        "confirm_unavailable": "on",
    },
    "session_cancel": lambda w, role, t: {"reason": "Ill", "by": "client"},
    "session_complete": lambda w, role, t: {"notes": "Good session"},
    "invitation_create": lambda w, role, t: {"email": "invitee-new@example.com", "role": "trainer"},
    "team_member_role": lambda w, role, t: {"role": "senior"},
    "team_member_transfer": lambda w, role, t: {"to_trainer": w.members["trainer"].trainer.pk, "everyone": "on"},
    "team_member_assists": lambda w, role, t: {"trainers": [w.members["other"].trainer.pk]},
    "view_as": lambda w, role, t: {"trainer": w.members["trainer"].trainer.pk},
    "trainer_profile_edit": lambda w, role, t: {"public_name": "Renamed", "bio": "New bio"},
    "certification_create": lambda w, role, t: {"name": "CPR", "issuing_body": "Red Cross", "earned_on": _day(-30)},
    "certification_update": lambda w, role, t: {"name": "CPR", "issuing_body": "Red Cross", "earned_on": _day(-30)},
    "specialty_list": lambda w, role, t: {"name": "Yoga"},
    "specialty_rename": lambda w, role, t: {"name": "Renamed"},
    "availability_slot_add": lambda w, role, t: {"add-weekday": "4", "add-starts_at": "14:00", "add-ends_at": "16:00"},
    "availability_slot_edit": lambda w, role, t: {
        "edit-weekday": "3",
        "edit-starts_at": "13:00",
        "edit-ends_at": "15:00",
    },
    "time_off_add": lambda w, role, t: {"timeoff-starts_on": _day(60), "timeoff-ends_on": _day(61)},
    "pricing_create": lambda w, role, t: {
        "name": "Five",
        "sessions": "5",
        "price": "250",
        "validity_days": "60",
        "is_active": "on",
        "trainer": w.members["trainer"].trainer.pk,
    },
    "pricing_update": lambda w, role, t: {"name": "Renamed", "sessions": "5", "price": "250", "validity_days": "60"},
    "pricing_toggle": lambda w, role, t: {"is_active": "0"},
    "api_keys": lambda w, role, t: {"name": "Website", "writable": "1"},
}


# --- the cases ----------------------------------------------------------------------------------------------------


def expected(route, method, role, target):
    """ "ok" (the route's statuses), "noop" (same, nothing changes), "403", "404", "login", "no-get" or "public"."""
    spec = route.get if method == "GET" else route.post
    if route.public:
        return "public"
    if role in SIGNED_OUT_ROLES:
        return "login"
    if spec == NO_GET:
        return "no-get"
    tokens = spec[role]
    if "never" in tokens:  # the role gate answers before any id is looked at
        return "403"
    if target == FOREIGN:
        return "404"
    name = target if route.kind else "ok"
    if name in tokens:
        return "ok"
    if "~" + name in tokens:
        return "noop"
    return "404"


def cases():
    for key in sorted(set(ROUTES) & set(PATTERNS)):
        route = ROUTES[key]
        for method in ("GET", "POST") if route.post else ("GET",):
            for role in ROLES:
                for target in targets_of(route):
                    marks = []
                    reason = route.xfail.get((method, role, target))
                    if reason:
                        marks.append(pytest.mark.xfail(strict=True, reason=reason))
                    yield pytest.param(key, method, role, target, id=f"{key}-{method}-{role}-{target}", marks=marks)


def client_for(w, role):
    client = GymClient(w.gym_a)
    key = w.session_keys[role]
    if key is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = key
    return client


def _snapshot(w):
    connection.set_tenant(w.gym_a)
    try:
        return snapshot(w)
    finally:
        connection.set_schema_to_public()


@pytest.mark.parametrize(("key", "method", "role", "target"), list(cases()))
def test_route_access(w, key, method, role, target):
    route = ROUTES[key]
    url = url_of(w, key, role, target)
    outcome = expected(route, method, role, target)
    client = client_for(w, role)
    before = _snapshot(w)
    if method == "GET":
        response = client.get(url)
    else:
        payload = PAYLOADS.get(key, lambda *args: {})(w, role, target)
        response = client.post(url, payload)
    status = response.status_code
    described = f"{method} {url} as {role} ({target}): {status}"
    assert status < 500, described

    refused = outcome in {"403", "404", "login", "noop", "no-get"}
    if outcome == "ok":
        assert status in (route.get_ok if method == "GET" else route.post_ok), described
    elif outcome == "noop":
        assert status in route.post_ok, described
    elif outcome == "403":
        assert status == 403, described
        assert "Not available for your role" in response.content.decode(), described
    elif outcome == "404":
        assert status == 404, described
    elif outcome == "login":
        assert status == 302 and response["Location"].startswith(LOGIN_URL), described
    elif outcome == "no-get":
        assert status in (403, 404, 405), described  # 403: the role gate answers before the method is looked at
    elif outcome == "public":
        if route.kind == "token" and target == FOREIGN:
            # Another gym's invitation is no invitation here (a deactivated member is signed out first).
            signed_out = status == 302 and response["Location"].startswith(LOGIN_URL)
            assert status == 404 or (role == "deactivated" and signed_out), described
            refused = True
        elif role == "anonymous":
            assert status in (route.get_ok if method == "GET" else route.post_ok), described
        refused = refused or not (route.kind == "token" and method == "POST")

    after = _snapshot(w)
    if refused or method == "GET":
        assert after == before, f"{described} changed the database"
    elif outcome == "ok" and route.changes:
        # The payload does what the page is for, so the refusals above are refusals of a real write.
        assert after != before, f"{described} changed nothing: check the test's payload"


# --- lists and exports --------------------------------------------------------------------------------------------


def _in_gym_a(w, function):
    connection.set_tenant(w.gym_a)
    try:
        return function()
    finally:
        connection.set_schema_to_public()


def rows_of(w, *keys):
    """The ids of the clients, packages, payments and sessions of the members ``keys``."""
    from apps.clients.models import Client
    from apps.training.models import Payment, Session, SessionPackage

    trainers = [w.members[key].trainer.pk for key in keys]

    def read():
        return {
            "clients": set(Client.objects.filter(trainer__in=trainers).values_list("pk", flat=True)),
            "packages": set(SessionPackage.objects.filter(trainer__in=trainers).values_list("pk", flat=True)),
            "payments": set(Payment.objects.filter(package__trainer__in=trainers).values_list("pk", flat=True)),
            "sessions": set(Session.objects.filter(trainer__in=trainers).values_list("pk", flat=True)),
            "names": set(Client.objects.filter(trainer__in=trainers).values_list("last_name", flat=True)),
        }

    return _in_gym_a(w, read)


def all_client_names(w):
    from apps.clients.models import Client

    return _in_gym_a(w, lambda: set(Client.objects.values_list("last_name", flat=True)))


def lists_seen(w, client, *, money=True):
    """What the lists show: ids of clients, packages, payments, calendar sessions, and the export's client names."""
    seen = {"clients": {c.pk for c in client.get("/clients/").context["clients"]}}
    export = client.get("/clients/export.csv")
    assert export.status_code == 200
    text = export.content.decode()
    seen["names"] = {name for name in all_client_names(w) if name in text}
    if money:
        seen["packages"] = {p.pk for p in client.get("/packages/").context["packages"]}
        seen["payments"] = {p.pk for p in client.get("/payments/").context["payments"]}
    else:
        assert client.get("/packages/").status_code == 403
        assert client.get("/payments/").status_code == 403
    # The calendar: session cards, or for someone who sees several trainers and chose none, counts per trainer.
    sessions, summary = set(), {}
    context = client.get("/sessions/", {"day": w.members["trainer"].session.starts_at.date().isoformat()}).context
    if "time_grid" in context:  # one trainer's week as a time grid
        sessions |= {s.pk for column in context["time_grid"].columns for s in column.sessions}
    for cell in [cell for week in context.get("weeks", []) for cell in week]:
        sessions |= {s.pk for s in cell["sessions"]}
        for entry in cell["summary"]:
            summary[entry["trainer"].pk] = summary.get(entry["trainer"].pk, 0) + entry["count"]
    seen["sessions"], seen["summary"] = sessions, summary
    return seen


def expected_lists(w, *keys, money=True, summary=False):
    rows = rows_of(w, *keys)
    if not money:
        rows.pop("packages")
        rows.pop("payments")
    # Every member's one session started three hours ago: in the same calendar week as the trainer's.
    if summary:
        rows["summary"] = {w.members[key].trainer.pk: len(rows_of(w, key)["sessions"]) for key in keys}
        rows["sessions"] = set()
    else:
        rows["summary"] = {}
    return rows


def stored_choice(w, client):
    return _in_gym_a(w, lambda: client.session.get(SESSION_KEY))


def choose(client, trainer):
    return client.post("/view-as/", {"trainer": trainer.pk})


@pytest.mark.parametrize("role", ["trainer", "senior"])
def test_a_trainers_lists_hold_only_their_rows(w, role):
    assert lists_seen(w, client_for(w, role)) == expected_lists(w, role)


def test_an_owner_who_chose_a_trainer_sees_exactly_that_trainers_rows(w):
    client = client_for(w, "owner")
    response = choose(client, w.members["other"].trainer)
    assert response.status_code == 302
    assert lists_seen(w, client) == expected_lists(w, "other")
    choose(client, w.members["trainer"].trainer)
    assert lists_seen(w, client) == expected_lists(w, "trainer")


def test_an_assistant_sees_exactly_the_rows_of_the_trainers_they_assist(w):
    client = client_for(w, "assistant")
    assert lists_seen(w, client, money=False) == expected_lists(w, "trainer", money=False, summary=True)
    assert choose(client, w.members["trainer"].trainer).status_code == 302
    assert lists_seen(w, client, money=False) == expected_lists(w, "trainer", money=False)


def test_an_assistant_choosing_a_trainer_they_do_not_assist_gets_404_and_keeps_the_choice(w):
    client = client_for(w, "assistant")
    assert choose(client, w.members["trainer"].trainer).status_code == 302
    for key in ("other", "senior", "owner", "assistant2"):
        assert choose(client, w.members[key].trainer).status_code == 404, key
    assert client.post("/view-as/", {"trainer": w.foreign.trainer.pk}).status_code == 404
    assert stored_choice(w, client) == w.members["trainer"].trainer.pk
    assert lists_seen(w, client, money=False) == expected_lists(w, "trainer", money=False)


@pytest.mark.parametrize("role", ["senior", "trainer"])
def test_a_view_as_choice_of_a_senior_or_trainer_gets_403_and_changes_nothing(w, role):
    """The switcher is not for their roles: refused whoever is chosen, so the answer tells nothing about anyone."""
    client = client_for(w, role)
    for key in ("other", "owner", "trainer", "senior"):
        assert choose(client, w.members[key].trainer).status_code == 403, key
    assert client.post("/view-as/", {"trainer": ""}).status_code == 403
    assert stored_choice(w, client) is None
    assert lists_seen(w, client) == expected_lists(w, role)


def test_the_roles_cover_the_table():
    assert set(ACTIVE_ROLES) <= set(ROLES)


# --- what a senior may not do to the owner or another senior ------------------------------------------------------


@pytest.mark.parametrize("action", ["role", "deactivate", "reactivate", "assists"])
@pytest.mark.parametrize("role", [Role.OWNER, Role.SENIOR])
def test_a_senior_changes_nothing_about_the_owner_or_another_senior(w, action, role):
    """Seniors deactivate and reactivate trainers and assistants only; roles are the owner's (ARCHITECTURE.md)."""
    connection.set_tenant(w.gym_a)
    peer = TrainerFactory(role=role, is_active=action != "reactivate")
    connection.set_schema_to_public()
    client = client_for(w, "senior")
    before = _snapshot(w)
    response = client.post(f"/team/{peer.pk}/{action}/", {"role": Role.TRAINER, "trainers": [peer.pk]})
    assert response.status_code in (302, 404), response.status_code
    assert _snapshot(w) == before
