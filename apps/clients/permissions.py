"""Who may do what with clients. Views, templates and the API ask these predicates; visibility is
``Client.objects.visible_to(actor)``."""

from tenants.models import Role

# Roles that own clients. Assistants will work for the trainers they assist once assistant links exist.
CLIENT_OWNER_ROLES = {Role.OWNER, Role.SENIOR, Role.TRAINER}


def _active(actor):
    return actor is not None and actor.is_active


def can_use_clients(actor):
    return _active(actor) and actor.role in CLIENT_OWNER_ROLES


def can_create_client(actor):
    return can_use_clients(actor)


def can_choose_trainer(actor):
    return _active(actor) and actor.role == Role.OWNER


def can_edit_client(actor, client):
    if not can_use_clients(actor) or client.erased_at is not None:
        return False
    return actor.role == Role.OWNER or client.trainer_id == actor.pk


def can_export_client_data(actor):
    return _active(actor) and actor.role == Role.OWNER


def can_erase_client(actor, client):
    return can_export_client_data(actor) and client.erased_at is None
