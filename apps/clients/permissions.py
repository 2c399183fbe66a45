"""Who may do what with clients: named predicates on the rules of ``apps.access``. Visibility is
``Client.objects.visible_to(actor)``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.access import (
    Actor,
    Member,
    acts_for,
    is_active_member,
    is_owner,
    removes_data,
    works_across_trainers,
    works_with_clients,
)

if TYPE_CHECKING:
    from .models import Client


def can_use_clients(actor: Member | None) -> bool:
    return is_active_member(actor)


def can_create_client(actor: Actor | None) -> bool:
    return works_with_clients(actor)


def can_pick_client_trainer(actor: Member | None) -> bool:
    """The new-client form and the import ask whose client it is: the owner (anyone) and assistants (theirs)."""
    return works_across_trainers(actor)


def can_choose_trainer(actor: Member | None) -> bool:
    """Give a client to another trainer."""
    return is_owner(actor)


def can_export_client_data(actor: Member | None) -> bool:
    return is_owner(actor)


def can_edit_client(actor: Actor | None, client: Client) -> bool:
    return client.erased_at is None and acts_for(actor, client.trainer_id)


def can_archive_client(actor: Actor | None, client: Client) -> bool:
    """Archiving takes a client off the lists: not for assistants, who never remove anything."""
    return can_edit_client(actor, client) and removes_data(actor)


def can_erase_client(actor: Actor | None, client: Client) -> bool:
    return can_export_client_data(actor) and client.erased_at is None
