"""Who may use every route of the REST API (``/api/v1/`` on a gym's host), decided once, here.

Keyed by URL name. ``test_api_route_access.py`` fails for an API pattern without an entry and for an entry whose
pattern is gone. Every entry says what the URL's ids name (``kind``, as in route_table.py) and, per HTTP method, which
active roles may use it on which targets (``access(...)``, the tokens of route_table.py), with the status an allowed
request answers. A method that is not listed answers 405 to every signed-in actor. Requests go with each actor's
read-write API key; deactivated members, requests without a key and keys of another gym answer 401 everywhere but
on the public description of the API.
"""

from dataclasses import dataclass, field

from .route_table import EVERYONE, NOT_ASSISTANTS, SEE_CLIENT, SEE_MONEY, access

METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")
# Packages, payments and prices do not exist for assistants.
NO_MONEY = ("assistant",)
# Writes to one client: like the pages, archiving is not for assistants.
ARCHIVE_CLIENT = access("own other", "own", "own")


@dataclass(frozen=True)
class ApiRoute:
    kind: str | None = None
    methods: dict = field(default_factory=dict)  # method -> (access, ok statuses)
    public: bool = False
    # An allowed write changes the database (False: it only reads or is refused by the service).
    changes: bool = True
    # Roles for which the whole resource does not exist: 404 to every method, as on the pages.
    hidden: tuple = ()


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
    "api-session-detail": ApiRoute(kind="session", methods={"GET": (SEE_CLIENT, (200,))}),
    "api-session-complete": ApiRoute(kind="session", methods={"POST": (SEE_CLIENT, (200,))}),
    "api-session-cancel": ApiRoute(kind="session", methods={"POST": (SEE_CLIENT, (200,))}),
    "api-session-no-show": ApiRoute(kind="session", methods={"POST": (SEE_CLIENT, (200,))}),
}
