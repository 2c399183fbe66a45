"""Who may do what with packages, sessions and payments: named predicates on the rules of ``apps.access``.

Packages, prices and payments: owner all, senior and trainer their own, assistants none (ARCHITECTURE.md, "Roles").
Sessions: owner all, senior and trainer their own, assistants those of the trainers they assist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.access import (
    Actor,
    Member,
    acts_for,
    coaches,
    is_active_member,
    is_owner,
    works_across_trainers,
    works_with_clients,
)

if TYPE_CHECKING:
    from apps.clients.models import Client

    from .models import Session, SessionPackage


def can_use_packages(actor: Member | None) -> bool:
    """Packages, prices, payments and revenue: never for assistants."""
    return coaches(actor)


def can_view_calendar(actor: Member | None) -> bool:
    """Everyone active; an assistant sees the sessions of the trainers they assist."""
    return is_active_member(actor)


def can_use_calendar(actor: Actor | None) -> bool:
    """Schedule and close sessions: trainers for themselves, the owner for all, assistants for their trainers."""
    return works_with_clients(actor)


def can_see_all_trainers(actor: Member | None) -> bool:
    """The package and payment lists offer a trainer filter: the owner only (assistants see no packages)."""
    return is_owner(actor)


def can_choose_session_trainer(actor: Member | None) -> bool:
    """The calendar filters by trainer and the booking form asks whose session it is: owner and assistants."""
    return works_across_trainers(actor)


def can_manage_package(actor: Actor | None, package: SessionPackage) -> bool:
    return can_use_packages(actor) and acts_for(actor, package.trainer_id)


def can_manage_session(actor: Actor | None, session: Session) -> bool:
    return can_use_calendar(actor) and acts_for(actor, session.trainer_id)


def _books_for(actor: Actor | None, client: Client) -> bool:
    """An active client, not erased, of an active trainer the actor acts for (what selling and booking ask)."""
    return (
        not client.is_archived
        and not client.is_erased
        and client.trainer.is_active
        and acts_for(actor, client.trainer_id)
    )


def can_sell_to(actor: Actor | None, client: Client) -> bool:
    """Sell ``client`` a package (the client's page offers it): those who coach, for the clients they act for."""
    return can_use_packages(actor) and _books_for(actor, client)


def can_take_payment_from(actor: Actor | None, client: Client) -> bool:
    """Record a payment of ``client`` against one of their packages: not for assistants, who see no money."""
    return can_use_packages(actor) and acts_for(actor, client.trainer_id)


def can_book_session_for(actor: Actor | None, client: Client) -> bool:
    """Book ``client`` a session: assistants too, for the trainers they assist."""
    return can_use_calendar(actor) and _books_for(actor, client)
