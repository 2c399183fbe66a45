"""Who may do what with packages, sessions and payments. Views, templates and services ask these predicates.

Packages, prices and payments: owner all, senior and trainer their own, assistants none (ARCHITECTURE.md, "Roles").
Sessions: owner all, senior and trainer their own, assistants those of the trainers they assist.
"""

from apps.clients.permissions import works_for
from apps.core.visibility import sees_several_trainers
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
    """Everyone active; an assistant sees the sessions of the trainers they assist."""
    return _active(actor)


def can_use_calendar(actor):
    """Schedule and close sessions: trainers for themselves, the owner for all, assistants for their trainers."""
    if not _active(actor):
        return False
    return actor.role in {Role.OWNER, Role.SENIOR, Role.TRAINER} or bool(actor.assisted_trainer_ids)


def can_manage_session(actor, session):
    return can_use_calendar(actor) and works_for(actor, session.trainer_id)


def can_see_all_trainers(actor):
    """The package and payment lists offer a trainer filter: the owner only (assistants see no packages)."""
    return is_owner(actor)


def can_choose_session_trainer(actor):
    """The calendar filters by trainer and the booking form asks whose session it is: owner and assistants."""
    return sees_several_trainers(actor)
