"""Who may do what with trainers and the team: named predicates on the rules of ``apps.access``.

``actor`` is the signed-in Trainer; ``trainer`` the one being looked at or changed. Views, templates and the API all
ask these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.access import (
    TEAM_VIEWER_ROLES,
    Actor,
    Member,
    can_deactivate,
    can_link_assistants,
    can_own_clients,
    can_read_audit_log,
    coaches,
    invitable_roles,
    is_active_member,
    is_owner,
    on_team_member,
    sees_team,
)
from tenants.models import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = [
    "can_change_roles",
    "can_deactivate",
    "can_edit_availability",
    "can_edit_profile",
    "can_invite",
    "can_link_assistants",
    "can_manage_invitation",
    "can_manage_pricing",
    "can_manage_specialties",
    "can_see_revenue",
    "can_transfer_clients",
    "can_use_pricing",
    "can_view_audit_log",
    "can_view_availability",
    "can_view_profile",
    "can_view_team",
    "invitable_role_choices",
    "is_active_member",
    "is_owner",
]


def can_view_team(actor: Member | None) -> bool:
    return sees_team(actor)


def can_see_revenue(actor: Member | None) -> bool:
    return is_owner(actor)


def can_manage_specialties(actor: Member | None) -> bool:
    return is_owner(actor)


def can_change_roles(actor: Member | None) -> bool:
    return is_owner(actor)


def can_transfer_clients(actor: Member | None) -> bool:
    return is_owner(actor)


def can_view_audit_log(actor: Member | None) -> bool:
    return can_read_audit_log(actor)


def can_use_pricing(actor: Member | None) -> bool:
    """Assistants never see prices."""
    return coaches(actor)


def can_invite(actor: Member | None) -> bool:
    return bool(invitable_roles(actor))


def can_manage_invitation(actor: Member | None, role: str) -> bool:
    """Invite someone as ``role``, or resend and revoke a pending invitation of that role."""
    return role in invitable_roles(actor)


def invitable_role_choices(actor: Member | None) -> list[tuple[str, StrOrPromise]]:
    allowed = invitable_roles(actor)
    return [(value, label) for value, label in Role.choices if value in allowed]


def can_view_profile(actor: Member | None, trainer: Member) -> bool:
    return on_team_member(actor, trainer, managers=TEAM_VIEWER_ROLES)


def can_edit_profile(actor: Member | None, trainer: Member) -> bool:
    return on_team_member(actor, trainer, managers=frozenset({Role.OWNER}))


def can_view_availability(actor: Member | None, trainer: Member) -> bool:
    return can_view_profile(actor, trainer)


def can_edit_availability(actor: Member | None, trainer: Member) -> bool:
    return can_edit_profile(actor, trainer)


def can_manage_pricing(actor: Actor | None, trainer: Member) -> bool:
    """Templates of a trainer who can sell: their own, or anyone's for the owner."""
    return can_use_pricing(actor) and can_own_clients(trainer) and can_edit_profile(actor, trainer)
