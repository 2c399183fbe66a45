"""Who may do what with trainers and the team. Views, templates and the API all ask these predicates.

``actor`` is the signed-in Trainer; ``trainer`` the one being looked at or changed.
"""

from tenants.invitations import INVITABLE_ROLES_BY_ROLE
from tenants.models import Role

# Roles a senior may deactivate and reactivate (ARCHITECTURE.md, "Roles and what they may do").
SENIOR_MANAGES = {Role.TRAINER, Role.ASSISTANT}


def is_active_member(actor):
    return actor is not None and actor.is_active


def is_owner(actor):
    return is_active_member(actor) and actor.role == Role.OWNER


def can_view_team(actor):
    return is_active_member(actor) and actor.role in {Role.OWNER, Role.SENIOR}


def can_see_revenue(actor):
    return is_owner(actor)


def can_invite(actor):
    return is_active_member(actor) and actor.role in INVITABLE_ROLES_BY_ROLE


def invitable_roles(actor):
    allowed = INVITABLE_ROLES_BY_ROLE.get(actor.role, set()) if actor else set()
    return [(value, label) for value, label in Role.choices if value in allowed]


def can_view_profile(actor, trainer):
    return is_active_member(actor) and (actor.pk == trainer.pk or actor.role in {Role.OWNER, Role.SENIOR})


def can_edit_profile(actor, trainer):
    return is_active_member(actor) and (actor.pk == trainer.pk or actor.role == Role.OWNER)


def can_manage_specialties(actor):
    return is_owner(actor)


def can_view_availability(actor, trainer):
    return can_view_profile(actor, trainer)


def can_edit_availability(actor, trainer):
    return can_edit_profile(actor, trainer)


def can_use_pricing(actor):
    """Assistants never see prices."""
    return is_active_member(actor) and actor.role != Role.ASSISTANT


def can_manage_pricing(actor, trainer):
    return (
        can_use_pricing(actor)
        and trainer.role != Role.ASSISTANT
        and (actor.pk == trainer.pk or actor.role == Role.OWNER)
    )


def can_change_roles(actor):
    return is_owner(actor)


def can_deactivate(actor, trainer):
    """Owner: anyone but themselves (the last-owner rule is the service's). Senior: trainers, assistants."""
    if not is_active_member(actor) or actor.pk == trainer.pk:
        return False
    if actor.role == Role.OWNER:
        return True
    return actor.role == Role.SENIOR and trainer.role in SENIOR_MANAGES


def can_link_assistants(actor, assistant):
    """The owner or a senior decides which trainers an (active) assistant works for."""
    return (
        is_active_member(actor)
        and actor.role in {Role.OWNER, Role.SENIOR}
        and assistant.role == Role.ASSISTANT
        and assistant.is_active
    )


def can_transfer_clients(actor):
    return is_owner(actor)


def can_view_audit_log(actor):
    return is_owner(actor)
