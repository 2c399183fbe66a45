"""Who may do what with packages, sessions and payments. Views, templates and services ask these predicates.

Packages, prices and payments: owner all, senior and trainer their own, assistants none (ARCHITECTURE.md, "Roles").
Sessions: the same until assistant links exist.
"""

from tenants.models import Role


def _active(actor):
    return actor is not None and actor.is_active


def is_owner(actor):
    return _active(actor) and actor.role == Role.OWNER


def can_use_packages(actor):
    """Packages, prices, payments and revenue: never for assistants."""
    return _active(actor) and actor.role in {Role.OWNER, Role.SENIOR, Role.TRAINER}


def can_manage_package(actor, package):
    return can_use_packages(actor) and (actor.role == Role.OWNER or package.trainer_id == actor.pk)


def can_view_calendar(actor):
    """Everyone active; an assistant's calendar is empty until assistant links exist."""
    return _active(actor)


def can_use_calendar(actor):
    """Schedule and close sessions."""
    return _active(actor) and actor.role in {Role.OWNER, Role.SENIOR, Role.TRAINER}


def can_manage_session(actor, session):
    return can_use_calendar(actor) and (actor.role == Role.OWNER or session.trainer_id == actor.pk)


def can_see_all_trainers(actor):
    """The calendar and package list offer a trainer filter."""
    return is_owner(actor)
