"""Who may use every route of the REST API (``/api/v1/`` on a gym's host), decided once, here.

Keyed by URL name. ``test_api_route_access.py`` fails for an API pattern without an entry and for an entry whose
pattern is gone. Every entry says what the URL's ids name (``kind``, as in route_table.py) and, per HTTP method, which
active roles may use it on which targets (``access(...)``, the tokens of route_table.py), with the status an allowed
request answers. A method that is not listed answers 405 to every signed-in actor. Requests go with each actor's
read-write API key; deactivated members, requests without a key and keys of another gym answer 401 everywhere but
on the public description of the API.
"""

from dataclasses import dataclass, field

from .route_table import (
    EDIT_MEMBER,
    EVERYONE,
    NOT_ASSISTANTS,
    OWNER,
    OWNER_ANY,
    OWNER_SENIOR,
    SEE_CLIENT,
    SEE_MEMBER,
    SEE_MONEY,
    access,
)

METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")
# Packages, payments and prices do not exist for assistants.
NO_MONEY = ("assistant",)
NOT_OWNER = ("senior", "trainer", "assistant")
TEAM_MANAGERS_ONLY = ("trainer", "assistant")
INVITES = access("own other", "own")
# Deactivate, reactivate, link assistants: the owner and seniors, never on themselves.
MANAGE_MEMBER = access("other", "other")
# Writes to one client: like the pages, archiving is not for assistants.
ARCHIVE_CLIENT = access("own other", "own", "own")
# A trainer's analytics: the owner and seniors any coaching member's, trainers their own, assistants those of the
# trainers they assist (on "coach" ids, an assistant's own is that trainer).
SEE_ANALYTICS = access("own other", "own other", "own", "own")


@dataclass(frozen=True)
class ApiRoute:
    kind: str | None = None
    methods: dict = field(default_factory=dict)  # method -> (access, ok statuses)
    public: bool = False
    # An allowed write changes the database (False: it only reads or is refused by the service).
    changes: bool = True
    # Roles for which the whole resource does not exist: 404 to every method, as on the pages.
    hidden: tuple = ()
    # What a "~" target answers: the service refuses on the data's state, and nothing changes.
    refused: tuple = (409,)


API_ROUTES = {
    "api-me": ApiRoute(methods={"GET": (EVERYONE, (200,))}),
    "api-schema": ApiRoute(public=True, methods={"GET": ("public", (200,))}),
    "api-docs": ApiRoute(public=True, methods={"GET": ("public", (200,))}),
    "api-redoc": ApiRoute(public=True, methods={"GET": ("public", (200,))}),
    "api-client-list": ApiRoute(methods={"GET": (EVERYONE, (200,)), "POST": (EVERYONE, (201,))}),
    "api-client-detail": ApiRoute(kind="client", methods={"GET": (SEE_CLIENT, (200,)), "PATCH": (SEE_CLIENT, (200,))}),
    "api-client-archive": ApiRoute(kind="client", methods={"POST": (ARCHIVE_CLIENT, (200,))}),
    "api-client-unarchive": ApiRoute(kind="client", methods={"POST": (ARCHIVE_CLIENT, (200,))}, changes=False),
    "api-package-list": ApiRoute(
        hidden=NO_MONEY, methods={"GET": (NOT_ASSISTANTS, (200,)), "POST": (NOT_ASSISTANTS, (201,))}
    ),
    "api-package-detail": ApiRoute(hidden=NO_MONEY, kind="package", methods={"GET": (SEE_MONEY, (200,))}),
    "api-package-cancel": ApiRoute(hidden=NO_MONEY, kind="package", methods={"POST": (SEE_MONEY, (200,))}),
    "api-package-payments": ApiRoute(hidden=NO_MONEY, kind="package", methods={"POST": (SEE_MONEY, (201,))}),
    "api-package-refunds": ApiRoute(hidden=NO_MONEY, kind="package", methods={"POST": (SEE_MONEY, (201,))}),
    "api-payment-list": ApiRoute(hidden=NO_MONEY, methods={"GET": (NOT_ASSISTANTS, (200,))}),
    "api-payment-detail": ApiRoute(hidden=NO_MONEY, kind="payment", methods={"GET": (SEE_MONEY, (200,))}),
    "api-session-list": ApiRoute(methods={"GET": (EVERYONE, (200,)), "POST": (EVERYONE, (201,))}),
    "api-session-detail": ApiRoute(
        kind="session", methods={"GET": (SEE_CLIENT, (200,)), "PATCH": (SEE_CLIENT, (200,))}
    ),
    # The test's sessions are scheduled: nothing to undo, so the service refuses (409) and nothing changes.
    "api-session-undo": ApiRoute(
        kind="session", methods={"POST": (access("~own ~other", "~own", "~own", "~own"), (200,))}
    ),
    "api-session-complete": ApiRoute(kind="session", methods={"POST": (SEE_CLIENT, (200,))}),
    "api-session-cancel": ApiRoute(kind="session", methods={"POST": (SEE_CLIENT, (200,))}),
    "api-session-no-show": ApiRoute(kind="session", methods={"POST": (SEE_CLIENT, (200,))}),
    "api-trainer-list": ApiRoute(methods={"GET": (EVERYONE, (200,))}),
    "api-trainer-detail": ApiRoute(
        kind="member", methods={"GET": (SEE_MEMBER, (200,)), "PATCH": (EDIT_MEMBER, (200,))}
    ),
    "api-trainer-availability": ApiRoute(kind="member", methods={"GET": (SEE_MEMBER, (200,))}),
    # The owner cannot stop being the last owner: 409, nothing changes.
    "api-trainer-role": ApiRoute(kind="member", methods={"POST": (access("~own other"), (200,))}),
    "api-trainer-deactivate": ApiRoute(kind="member", methods={"POST": (MANAGE_MEMBER, (200,))}),
    "api-trainer-reactivate": ApiRoute(kind="inactive_member", methods={"POST": (MANAGE_MEMBER, (200,))}),
    "api-trainer-assists": ApiRoute(kind="assistant_member", methods={"POST": (MANAGE_MEMBER, (200,))}),
    "api-assistant-link-list": ApiRoute(methods={"GET": (EVERYONE, (200,))}),
    "api-trainer-certifications": ApiRoute(kind="member", methods={"POST": (EDIT_MEMBER, (201,))}),
    "api-trainer-certification": ApiRoute(kind="certification", methods={"DELETE": (EDIT_MEMBER, (204,))}),
    "api-trainer-slots": ApiRoute(kind="member", methods={"POST": (EDIT_MEMBER, (201,))}),
    "api-trainer-slot": ApiRoute(kind="slot", methods={"DELETE": (EDIT_MEMBER, (204,))}),
    "api-trainer-time-off": ApiRoute(kind="member", methods={"POST": (EDIT_MEMBER, (201,))}),
    "api-trainer-time-off-item": ApiRoute(kind="time_off", methods={"DELETE": (EDIT_MEMBER, (204,))}),
    "api-pricing-template-list": ApiRoute(
        hidden=NO_MONEY, methods={"GET": (NOT_ASSISTANTS, (200,)), "POST": (NOT_ASSISTANTS, (201,))}
    ),
    "api-pricing-template-detail": ApiRoute(kind="pricing", hidden=NO_MONEY, methods={"PATCH": (SEE_MONEY, (200,))}),
    "api-invitation-list": ApiRoute(
        hidden=TEAM_MANAGERS_ONLY, methods={"GET": (OWNER_SENIOR, (200,)), "POST": (OWNER_SENIOR, (201,))}
    ),
    # "own": an invitation of a trainer (seniors may manage it), "other": of a senior (the owner only).
    "api-invitation-resend": ApiRoute(
        kind="invitation", hidden=TEAM_MANAGERS_ONLY, methods={"POST": (INVITES, (200,))}
    ),
    "api-invitation-revoke": ApiRoute(
        kind="invitation", hidden=TEAM_MANAGERS_ONLY, methods={"POST": (INVITES, (200,))}
    ),
    "api-audit-entry-list": ApiRoute(hidden=NOT_OWNER, methods={"GET": (OWNER, (200,))}),
    "api-client-screening": ApiRoute(kind="client", methods={"POST": (SEE_CLIENT, (200,))}),
    "api-client-export": ApiRoute(kind="client", methods={"GET": (OWNER_ANY, (200,))}),
    "api-client-erase": ApiRoute(kind="client", methods={"POST": (OWNER_ANY, (200,))}),
    "api-assessment-list": ApiRoute(methods={"GET": (EVERYONE, (200,)), "POST": (EVERYONE, (201,))}),
    "api-assessment-detail": ApiRoute(kind="assessment", methods={"GET": (SEE_CLIENT, (200,))}),
    # Without ids (the table's URL carries no query): the clear 400 that names them.
    "api-assessment-compare": ApiRoute(methods={"GET": (EVERYONE, (400,))}),
    "api-specialty-list": ApiRoute(methods={"GET": (EVERYONE, (200,))}),
    # Analytics: everyone their own scope, a trainer's as on the analytics pages, the gym's for the owner only.
    "api-analytics": ApiRoute(methods={"GET": (EVERYONE, (200,))}),
    "api-analytics-trainer": ApiRoute(kind="coach", methods={"GET": (SEE_ANALYTICS, (200,))}),
    "api-analytics-gym": ApiRoute(hidden=NOT_OWNER, methods={"GET": (OWNER, (200,))}),
}
