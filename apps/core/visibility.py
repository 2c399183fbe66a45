"""Who sees whose rows, for models that belong to a trainer (clients, sessions, packages...)."""

from tenants.models import Role


def own_rows(queryset, actor, *, trainer_field="trainer", assistants=True):
    """Owner: everything. Senior and trainer: their own. Assistant: the rows of the active trainers they assist,
    where ``assistants`` allows it (never for packages, prices and payments)."""
    if actor is None or not actor.is_active:
        return queryset.none()
    if actor.role == Role.OWNER:
        return queryset
    if actor.role in {Role.SENIOR, Role.TRAINER}:
        return queryset.filter(**{trainer_field: actor})
    if actor.role == Role.ASSISTANT and assistants:
        from apps.trainers.models import assisted_trainers_subquery

        return queryset.filter(**{f"{trainer_field}__in": assisted_trainers_subquery(actor).values("trainer_id")})
    return queryset.none()


def sees_several_trainers(actor):
    """The owner (every trainer) and assistants (those they assist) work across trainers: their lists offer a
    trainer filter and show whose row is whose."""
    return actor is not None and actor.is_active and actor.role in {Role.OWNER, Role.ASSISTANT}
