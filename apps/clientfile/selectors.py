"""A client's whole file, read across apps: the client list with packages and scores, the page's timeline and the
owner's JSON export. Every read goes through ``visible_to(actor)``."""

from datetime import date, datetime
from typing import Any, cast

from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet
from django.db.models.expressions import Combinable
from django.db.models.functions import Lower

from apps.access import Actor
from apps.assessments.models import Assessment
from apps.assessments.selectors import (
    NOT_ASSESSED,
    SCORE_BANDS,
    assessment_export_for_client,
    latest_overall_score_subquery,
)
from apps.audit.selectors import audit_entries_about
from apps.clients.models import Client
from apps.clients.search import search_q
from apps.core.dates import gym_today
from apps.training.models import PackageStatus, Payment, Session, SessionPackage

SORTS: dict[str, list[str | Combinable]] = {
    "name": [Lower("last_name"), Lower("first_name"), "pk"],
    "newest": ["-created_at", "-pk"],
    # Youngest first; clients without a date of birth last.
    "age": [F("date_of_birth").desc(nulls_last=True), "pk"],
    "-age": [F("date_of_birth").asc(nulls_last=True), "pk"],
}
TIMELINE_LIMIT = 50


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def client_list(
    *,
    actor: Actor | None,
    query: str | None = "",
    status: str | None = None,
    trainer_id: int | None = None,
    age_min: int | None = None,
    age_max: int | None = None,
    has_active_package: bool | None = None,
    score_band: str | None = None,
    sort: str = "name",
) -> QuerySet[Client]:
    """Clients the actor may see, filtered and sorted.

    Each row carries ``has_active_package`` and ``latest_overall`` (the overall score of the latest assessment, or
    None). ``score_band`` is a key of SCORE_BANDS or NOT_ASSESSED.
    """
    today = gym_today()
    active_packages = SessionPackage.objects.visible_to(actor).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today), client=OuterRef("pk"), status=PackageStatus.ACTIVE
    )
    clients = (
        Client.objects.visible_to(actor)
        .select_related("trainer__user")
        .annotate(has_active_package=Exists(active_packages), latest_overall=latest_overall_score_subquery())
    )
    if query and query.strip():
        clients = clients.filter(search_q(query))
    if status:
        clients = clients.filter(status=status)
    if trainer_id is not None:
        clients = clients.filter(trainer_id=trainer_id)
    if age_min is not None:
        # At least ``age_min`` years old: born on or before today minus age_min years.
        clients = clients.filter(date_of_birth__lte=_years_ago(today, age_min))
    if age_max is not None:
        # At most ``age_max``: born after today minus (age_max + 1) years.
        clients = clients.filter(date_of_birth__gt=_years_ago(today, age_max + 1))
    if has_active_package is not None:
        clients = clients.filter(has_active_package=has_active_package)
    if score_band == NOT_ASSESSED:
        clients = clients.filter(latest_overall__isnull=True)
    elif score_band in SCORE_BANDS:
        low, high = SCORE_BANDS[score_band]
        clients = clients.filter(latest_overall__gte=low, latest_overall__lte=high)
    # The scoped queryset yields Any (ScopedQuerySet is a QuerySet[Any]), and a typed one would refuse the
    # annotations in filters: say what it is at the end.
    return cast("QuerySet[Client]", clients.order_by(*SORTS.get(sort, SORTS["name"])))


# What the list page shows of a client and of their trainer (issue 16: the file's other columns, notes and the
# screening's JSON among them, were read and decoded for every row).
LIST_COLUMNS = [
    "id",
    "trainer_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "phone",
    "status",
    "trainer__id",
    "trainer__is_active",
    "trainer__public_name",
    "trainer__user_id",
    "trainer__user__id",
    "trainer__user__full_name",
    "trainer__user__email",
]


def client_list_rows(*, actor: Actor | None, **filters: Any) -> QuerySet[Client]:
    """``client_list`` with only the columns of the list page (``LIST_COLUMNS``)."""
    return client_list(actor=actor, **filters).only(*LIST_COLUMNS)


def client_timeline(*, actor: Actor | None, client: Client) -> list[tuple[datetime, str, Model]]:
    """Assessments, sessions, packages and payments of the client the actor may see, newest first:
    [(when, kind, object)], at most TIMELINE_LIMIT of each kind."""
    assessments = Assessment.objects.visible_to(actor).filter(client=client).select_related("trainer__user")
    sessions = Session.objects.visible_to(actor).filter(client=client).select_related("trainer__user", "package")
    packages = SessionPackage.objects.visible_to(actor).filter(client=client).select_related("trainer__user")
    payments = Payment.objects.visible_to(actor).filter(client=client).select_related("package")
    items = [(a.performed_at, "assessment", a) for a in assessments.order_by("-performed_at", "-pk")[:TIMELINE_LIMIT]]
    items += [(session.starts_at, "session", session) for session in sessions.order_by("-starts_at")[:TIMELINE_LIMIT]]
    items += [(package.created_at, "package", package) for package in packages.order_by("-created_at")[:TIMELINE_LIMIT]]
    items += [(payment.paid_at, "payment", payment) for payment in payments.order_by("-paid_at")[:TIMELINE_LIMIT]]
    items.sort(key=lambda item: item[0], reverse=True)
    return items


def client_data_export(*, actor: Actor | None, client: Client) -> dict[str, Any]:
    """Everything about one client as plain JSON-ready data (the owner's "export everything")."""

    def iso(value: object) -> object:
        return value.isoformat() if isinstance(value, date) else value

    def dec(value: object) -> str | None:
        return None if value is None else str(value)

    return {
        "format": "gym-platform.client-export/1",
        "client": {
            "id": client.pk,
            "trainer": {"id": client.trainer_id, "name": client.trainer.display_name},
            "first_name": client.first_name,
            "last_name": client.last_name,
            "date_of_birth": iso(client.date_of_birth),
            "birth_year": client.birth_year,
            "sex": client.sex,
            "height_cm": dec(client.height_cm),
            "weight_kg": dec(client.weight_kg),
            "email": client.email,
            "phone": client.phone,
            "goals": client.goals,
            "notes": client.notes,
            "status": client.status,
            "created_at": iso(client.created_at),
            "archived_at": iso(client.archived_at),
            "erased_at": iso(client.erased_at),
        },
        "screening": {
            "answers": client.screening,
            "needs_medical_clearance": client.needs_medical_clearance,
            "consent_at": iso(client.consent_at),
        },
        "sessions": [
            {
                "id": session.pk,
                "trainer_id": session.trainer_id,
                "package_id": session.package_id,
                "starts_at": iso(session.starts_at),
                "duration_minutes": session.duration_minutes,
                "status": session.status,
                "notes": session.notes,
                "cancellation_reason": session.cancellation_reason,
            }
            for session in Session.objects.visible_to(actor).filter(client=client).order_by("starts_at", "pk")
        ],
        "packages": [
            {
                "id": package.pk,
                "trainer_id": package.trainer_id,
                "name": package.name,
                "total_sessions": package.total_sessions,
                "status": package.status,
                "expires_on": iso(package.expires_on),
                "created_at": iso(package.created_at),
            }
            for package in SessionPackage.objects.visible_to(actor).filter(client=client).order_by("created_at", "pk")
        ],
        "payments": [
            {
                "id": payment.pk,
                "package_id": payment.package_id,
                "amount": dec(payment.amount),
                "method": payment.method,
                "paid_at": iso(payment.paid_at),
            }
            for payment in Payment.objects.visible_to(actor).filter(client=client).order_by("paid_at", "pk")
        ],
        "assessments": assessment_export_for_client(actor=actor, client=client),
        "audit": [
            {
                "at": iso(entry.created_at),
                "actor": entry.actor_name,
                "action": entry.action,
                "summary": entry.sentence,  # in the language of whoever exports
                "event": entry.event,
                "params": entry.params,
                "changes": entry.changes,
            }
            for entry in audit_entries_about(actor=actor, target=client)
        ],
    }
