"""Who may do what with clients. Views, templates and the API ask these predicates; visibility is
``Client.objects.visible_to(actor)``."""

from apps.core.visibility import sees_several_trainers
from tenants.models import Role

# Roles that own clients. Assistants work on the clients of the trainers they assist.
CLIENT_OWNER_ROLES = {Role.OWNER, Role.SENIOR, Role.TRAINER}


def _active(actor):
    return actor is not None and actor.is_active


def works_for(actor, trainer_id):
    """The client's trainer is the actor, or one the assistant works for; the owner works for everyone."""
    if actor.role == Role.OWNER:
        return True
    if actor.role == Role.ASSISTANT:
        return trainer_id in actor.assisted_trainer_ids
    return trainer_id == actor.pk


def can_use_clients(actor):
    return _active(actor)


def can_create_client(actor):
    if not _active(actor):
        return False
    return actor.role in CLIENT_OWNER_ROLES or bool(actor.assisted_trainer_ids)


def can_pick_client_trainer(actor):
    """The new-client form and the import ask whose client it is: the owner (anyone) and assistants (theirs)."""
    return sees_several_trainers(actor)


def can_choose_trainer(actor):
    """Give a client to another trainer: the owner only."""
    return _active(actor) and actor.role == Role.OWNER


def can_edit_client(actor, client):
    if not _active(actor) or client.erased_at is not None:
        return False
    return works_for(actor, client.trainer_id)


def can_archive_client(actor, client):
    """Archiving takes a client off the lists: not for assistants, who never remove anything."""
    return can_edit_client(actor, client) and actor.role != Role.ASSISTANT


def can_export_client_data(actor):
    return _active(actor) and actor.role == Role.OWNER


def can_erase_client(actor, client):
    return can_export_client_data(actor) and client.erased_at is None
