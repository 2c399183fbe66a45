"""Who sees whose rows, for models that belong to a trainer (clients, sessions, packages...)."""

from tenants.models import Role


def own_rows(queryset, actor, *, trainer_field="trainer"):
    """Owner: everything. Senior and trainer: their own. Assistant: none until assistant links exist."""
    if actor is None or not actor.is_active:
        return queryset.none()
    if actor.role == Role.OWNER:
        return queryset
    if actor.role in {Role.SENIOR, Role.TRAINER}:
        return queryset.filter(**{trainer_field: actor})
    return queryset.none()
