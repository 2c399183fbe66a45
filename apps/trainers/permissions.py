"""Who may do what with the team. Views, templates and (later) the API all ask these."""

from tenants.invitations import INVITABLE_ROLES_BY_ROLE
from tenants.models import Role


def can_view_team(actor):
    return actor is not None and actor.is_active and actor.role in {Role.OWNER, Role.SENIOR}


def can_invite(actor):
    return actor is not None and actor.is_active and actor.role in INVITABLE_ROLES_BY_ROLE


def invitable_roles(actor):
    allowed = INVITABLE_ROLES_BY_ROLE.get(actor.role, set()) if actor else set()
    return [(value, label) for value, label in Role.choices if value in allowed]
