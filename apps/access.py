"""Who may act for whom inside a gym: the one home of the access rules.

Every other module asks these functions; none compares a role itself. Four rules live here:

* the role sets (``COACHING_ROLES``, ``TEAM_VIEWER_ROLES``, ``INVITABLE_ROLES_BY_ROLE``, ...);
* the object rule, :func:`acts_for`: may the actor act on data of trainer X;
* the row rule, :func:`own_rows`: the same rule as a queryset filter;
* the trainers an actor may act for or pick (:func:`pickable_trainers`), and the switcher ("view as") built on it.

The module reads the actor through the :class:`Actor` protocol (a ``Trainer`` satisfies it) and imports no model,
so the apps below the trainers (audit) can use it too. Per-app ``permissions.py`` files name predicates built on
these; templates ask :class:`Capabilities`. ARCHITECTURE.md, "Roles and what they may do", is the table this
module implements.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from typing import Any, Protocol

from django.db.models import Model, Q, QuerySet

from tenants.models import Role


class Member(Protocol):
    """A member of the gym's team as the rules read it: the actor, or the trainer a rule is about."""

    pk: Any
    role: str
    is_active: bool


class Actor(Member, Protocol):
    """The signed-in trainer (built once per request by ``apps.trainers.middleware.ActorMiddleware``)."""

    @property
    def assisted_trainer_ids(self) -> frozenset[int]:
        """Ids of the active trainers an assistant works for (empty for other roles), kept for the request."""
        ...

    def assisted_trainer_id_query(self) -> QuerySet[Any, Any]:
        """The same ids as a lazy ``values("trainer_id")`` queryset, for subqueries that spare a round trip."""
        ...


# --------------------------------------------------------------------------------------------- role sets

#: Roles that own clients, sell packages and see prices, payments and revenue (assistants do none of it).
COACHING_ROLES: frozenset[str] = frozenset({Role.OWNER, Role.SENIOR, Role.TRAINER})
#: Roles that see every member of the team.
TEAM_VIEWER_ROLES: frozenset[str] = frozenset({Role.OWNER, Role.SENIOR})
#: Roles that work across trainers: the owner on everyone's data, assistants on the trainers they assist.
ACROSS_TRAINERS_ROLES: frozenset[str] = frozenset({Role.OWNER, Role.ASSISTANT})
#: Whom each role may invite.
INVITABLE_ROLES_BY_ROLE: Mapping[str, frozenset[str]] = {
    Role.OWNER: frozenset({Role.OWNER, Role.SENIOR, Role.TRAINER, Role.ASSISTANT}),
    Role.SENIOR: frozenset({Role.TRAINER, Role.ASSISTANT}),
}
#: Roles a senior may deactivate and reactivate.
SENIOR_MANAGES: frozenset[str] = frozenset({Role.TRAINER, Role.ASSISTANT})

# --------------------------------------------------------------------------------------------- the actor alone


def is_active_member(actor: Member | None) -> bool:
    return actor is not None and actor.is_active


def has_role(*roles: str) -> Callable[[Member | None], bool]:
    """A predicate for pages open to some roles: ``permission = has_role(Role.OWNER)``."""
    allowed = frozenset(Role(role) for role in roles)

    def predicate(actor: Member | None) -> bool:
        return is_active_member(actor) and actor is not None and actor.role in allowed

    predicate.__name__ = "has_role_" + "_".join(sorted(allowed))
    return predicate


def is_owner(actor: Member | None) -> bool:
    """The owner: every trainer's data, the team, money and the gym's settings."""
    return is_active_member(actor) and actor is not None and actor.role == Role.OWNER


def is_assistant(actor: Member | None) -> bool:
    return is_active_member(actor) and actor is not None and actor.role == Role.ASSISTANT


def coaches(actor: Member | None) -> bool:
    """Owns clients and sees money: packages, prices, payments, revenue, pricing templates."""
    return is_active_member(actor) and actor is not None and actor.role in COACHING_ROLES


def can_own_clients(trainer: Member) -> bool:
    """Whether ``trainer`` (active or not) is of a role that clients, packages and sessions can belong to."""
    return trainer.role in COACHING_ROLES


def assists_someone(actor: Actor | None) -> bool:
    return is_assistant(actor) and actor is not None and bool(actor.assisted_trainer_ids)


def works_with_clients(actor: Actor | None) -> bool:
    """Adds clients, assessments and sessions: those who coach, and assistants linked to a trainer."""
    return coaches(actor) or assists_someone(actor)


def works_across_trainers(actor: Member | None) -> bool:
    """The owner (everyone) and assistants (those they assist): their lists filter by trainer and name whose row
    is whose, and their forms ask for whom a client or session is."""
    return is_active_member(actor) and actor is not None and actor.role in ACROSS_TRAINERS_ROLES


def sees_team(actor: Member | None) -> bool:
    return is_active_member(actor) and actor is not None and actor.role in TEAM_VIEWER_ROLES


def removes_data(actor: Member | None) -> bool:
    """Archive, cancel or otherwise take things off the lists: everyone but assistants, who never delete."""
    return is_active_member(actor) and not is_assistant(actor)


def can_read_audit_log(actor: Member | None) -> bool:
    return is_owner(actor)


def can_edit_gym_settings(actor: Member | None) -> bool:
    """The gym's name, timezone, late-cancellation window and branding (logo, accent colour, paper size)."""
    return is_owner(actor)


def invitable_roles(actor: Member | None) -> frozenset[str]:
    """The roles ``actor`` may invite (and whose pending invitations they manage)."""
    if not is_active_member(actor) or actor is None:
        return frozenset()
    return INVITABLE_ROLES_BY_ROLE.get(actor.role, frozenset())


# --------------------------------------------------------------------------------------------- the object rule


def acts_for(actor: Actor | None, trainer_id: Any) -> bool:
    """May ``actor`` act on data belonging to the trainer ``trainer_id``: the owner on everyone's, an assistant on
    the active trainers they assist, seniors and trainers on their own."""
    if not is_active_member(actor) or actor is None:
        return False
    if actor.role == Role.OWNER:
        return True
    if actor.role == Role.ASSISTANT:
        return trainer_id in actor.assisted_trainer_ids
    return bool(trainer_id == actor.pk)


def on_team_member(actor: Member | None, trainer: Member, *, managers: frozenset[str]) -> bool:
    """Profile-like data of ``trainer``: the trainer themselves, or an actor of one of the ``managers`` roles."""
    if not is_active_member(actor) or actor is None:
        return False
    return bool(actor.pk == trainer.pk) or actor.role in managers


def can_deactivate(actor: Member | None, trainer: Member) -> bool:
    """Owner: anyone but themselves (the last-owner rule is the service's). Senior: trainers and assistants."""
    if not is_active_member(actor) or actor is None or actor.pk == trainer.pk:
        return False
    if actor.role == Role.OWNER:
        return True
    return actor.role == Role.SENIOR and trainer.role in SENIOR_MANAGES


def can_link_assistants(actor: Member | None, assistant: Member) -> bool:
    """The owner or a senior decides which trainers an (active) assistant works for."""
    return sees_team(actor) and assistant.role == Role.ASSISTANT and assistant.is_active


# --------------------------------------------------------------------------------------------- the row rule


def own_rows[ModelT: Model](
    queryset: QuerySet[ModelT, Any], actor: Actor | None, *, trainer_field: str = "trainer", assistants: bool = True
) -> QuerySet[ModelT, Any]:
    """:func:`acts_for` as a filter: the owner all rows, seniors and trainers the rows of ``trainer_field`` that are
    theirs, assistants those of the active trainers they assist, where ``assistants`` allows it (never for packages,
    prices and payments)."""
    if not is_active_member(actor) or actor is None:
        return queryset.none()
    if actor.role == Role.OWNER:
        return queryset
    if actor.role in COACHING_ROLES:
        return queryset.filter(**{trainer_field: actor.pk})
    if actor.role == Role.ASSISTANT and assistants:
        return queryset.filter(**{f"{trainer_field}__in": actor.assisted_trainer_id_query()})
    return queryset.none()


def personal_rows[ModelT: Model](
    queryset: QuerySet[ModelT, Any], actor: Member | None, *, trainer_field: str = "trainer"
) -> QuerySet[ModelT, Any]:
    """Things each member has for themselves (API keys): their own; the owner sees everyone's, to revoke them."""
    if not is_active_member(actor) or actor is None:
        return queryset.none()
    if actor.role == Role.OWNER:
        return queryset
    return queryset.filter(**{trainer_field: actor.pk})


def team_rows[ModelT: Model](queryset: QuerySet[ModelT, Any], actor: Member | None) -> QuerySet[ModelT, Any]:
    """Trainer rows: owners and seniors see the whole team, everyone else themselves."""
    if not is_active_member(actor) or actor is None:
        return queryset.none()
    if actor.role in TEAM_VIEWER_ROLES:
        return queryset
    return queryset.filter(pk=actor.pk)


def analytics_rows[ModelT: Model](
    queryset: QuerySet[ModelT, Any], actor: Actor | None, *, trainer_field: str = "trainer", money: bool = False
) -> QuerySet[ModelT, Any]:
    """Rows an analytics figure may count: :func:`own_rows`, and for team viewers (seniors) the whole team's rows,
    but never money rows beyond their own ("team view without revenue"). Money rows (``money``) are never an
    assistant's. Figures only: pages list rows through ``visible_to``."""
    if not money and sees_team(actor):
        return queryset
    return own_rows(queryset, actor, trainer_field=trainer_field, assistants=not money)


def can_see_analytics_of(actor: Actor | None, trainer: Member) -> bool:
    """A trainer's analytics: their own, any coaching member's for team viewers (owner, seniors), and an
    assistant's trainers'. Assistants have none of their own (they own no clients)."""
    if trainer.role not in COACHING_ROLES:
        return False
    return sees_team(actor) or acts_for(actor, trainer.pk)


def sees_money_of(actor: Actor | None, trainer_id: int | None) -> bool:
    """Money figures of one trainer (``trainer_id``) or of everything the actor sees (None): those who coach, for
    the trainers they act for; the whole gym's only for the owner."""
    if not coaches(actor):
        return False
    return is_owner(actor) if trainer_id is None else acts_for(actor, trainer_id)


def analytics_subject(actor: Actor | None, trainer_id: int | None) -> int | None:
    """Whose analytics a page without a chosen trainer shows: everyone the actor acts for (None) for those who work
    across trainers, else the actor's own (a senior's own page is not the team's)."""
    if trainer_id is not None or works_across_trainers(actor) or actor is None:
        return trainer_id
    return int(actor.pk)


def can_see_gym_analytics(actor: Member | None) -> bool:
    return is_owner(actor)


# --------------------------------------------------------------------------------------------- whom to pick

_NOBODY = Q(pk__in=[])


def pickable_trainers(actor: Actor | None, *, include_inactive: bool = False) -> Q:
    """A filter on trainers: those ``actor`` may act for and pick in a form or filter. The owner: every member who
    can own clients (active ones only unless ``include_inactive``, for lists whose deactivated trainers still own
    rows); an assistant: the active trainers they assist; seniors and trainers: themselves."""
    if not is_active_member(actor) or actor is None:
        return _NOBODY
    if actor.role == Role.OWNER:
        pickable = Q(role__in=COACHING_ROLES)
        return pickable if include_inactive else pickable & Q(is_active=True)
    if actor.role == Role.ASSISTANT:
        return Q(pk__in=actor.assisted_trainer_id_query())
    return Q(pk=actor.pk)


# --------------------------------------------------------------------------------------------- the switcher

#: Where the switcher keeps its choice, in the browser session.
SWITCHER_SESSION_KEY = "view_as_trainer_id"


def can_switch_view(actor: Actor | None) -> bool:
    """The owner views all trainers or one; an assistant all the trainers they assist or one of them."""
    return is_owner(actor) or assists_someone(actor)


def switchable_trainers(actor: Actor | None) -> Q:
    """A filter on trainers: whom ``actor`` may view as. Deactivated trainers too, for the owner: their clients
    wait for a transfer. Switching narrows lists only; what the actor may open is still :func:`acts_for`."""
    if not can_switch_view(actor):
        return _NOBODY
    return pickable_trainers(actor, include_inactive=True)


def switcher_choice(session: Mapping[str, Any]) -> int | None:
    """The trainer id kept in the session, or None; anything else than an id (a forged value) counts as none."""
    chosen = session.get(SWITCHER_SESSION_KEY)
    return chosen if type(chosen) is int else None


def remember_switcher_choice(session: MutableMapping[str, Any], trainer_id: int | None) -> None:
    """Keep the choice (already checked against :func:`switchable_trainers`), or forget it (``None``)."""
    if trainer_id is None:
        session.pop(SWITCHER_SESSION_KEY, None)
    else:
        session[SWITCHER_SESSION_KEY] = trainer_id


# --------------------------------------------------------------------------------------------- for templates


class Capabilities:
    """What the request's actor may do, for templates: ``{% if can.see_money %}``. One per request, read lazily."""

    def __init__(self, actor: Actor | None) -> None:
        self.actor = actor

    @property
    def see_money(self) -> bool:
        return coaches(self.actor)

    @property
    def view_team(self) -> bool:
        return sees_team(self.actor)

    @property
    def switch_view(self) -> bool:
        return can_switch_view(self.actor)

    @property
    def work_across_trainers(self) -> bool:
        return works_across_trainers(self.actor)

    @property
    def is_assistant(self) -> bool:
        return is_assistant(self.actor)

    @property
    def is_owner(self) -> bool:
        return is_owner(self.actor)
