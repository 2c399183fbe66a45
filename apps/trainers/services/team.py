"""Team management: roles, deactivation and reactivation, transferring clients between trainers."""

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.clients.models import Client
from apps.core.errors import ApplicationError
from apps.training.models import PackageStatus, Session, SessionPackage, SessionStatus
from tenants.models import Organization, Role

from ..models import PricingTemplate, Trainer
from ..permissions import can_change_roles, can_deactivate, can_transfer_clients


def _lock_team():
    """Serialise team changes: last-owner and seat rules must not be raced past."""
    return list(Trainer.objects.select_for_update().filter(is_active=True).values_list("pk", "role"))


def _is_last_active_owner(trainer, team):
    owners = [pk for pk, role in team if role == Role.OWNER]
    return trainer.is_active and trainer.role == Role.OWNER and owners == [trainer.pk]


@transaction.atomic
def trainer_change_role(*, actor, trainer, role):
    if not can_change_roles(actor):
        raise ApplicationError(_("Only the owner changes roles."))
    if role not in Role.values:
        raise ApplicationError(_("Choose a role."), {"field": "role"})
    team = _lock_team()
    trainer = Trainer.objects.select_for_update().select_related("user").get(pk=trainer.pk)
    if trainer.role == role:
        return trainer
    if role != Role.OWNER and _is_last_active_owner(trainer, team):
        raise ApplicationError(
            _("%(name)s is the last active owner. Make someone else owner first.") % {"name": trainer.display_name},
            {"field": "role"},
        )
    old_role = trainer.role
    trainer.role = role
    trainer.full_clean()
    trainer.save(update_fields=["role"])
    withdrawn = 0
    if role == Role.ASSISTANT:
        # Assistants never sell: their templates go off sale (kept, so packages sold from them stay intact).
        withdrawn = PricingTemplate.objects.filter(trainer=trainer, is_active=True).update(is_active=False)
    audit_record(
        actor=actor,
        action="trainer.role_change",
        target=trainer,
        summary=_("Role changed from %(old)s to %(new)s.") % {"old": Role(old_role).label, "new": Role(role).label},
        changes={"role": [old_role, role], **({"pricing_templates_off_sale": withdrawn} if withdrawn else {})},
    )
    return trainer


def _end_sessions(user):
    from allauth.usersessions.models import UserSession

    ended = 0
    for user_session in UserSession.objects.filter(user=user):
        user_session.end()
        ended += 1
    return ended


@transaction.atomic
def trainer_deactivate(*, actor, trainer):
    """End the trainer's access at once; keep every row of theirs (their clients then need a trainer)."""
    if actor.pk == trainer.pk:
        raise ApplicationError(_("You cannot deactivate yourself."))
    if not can_deactivate(actor, trainer):
        raise ApplicationError(_("You cannot deactivate this member."))
    team = _lock_team()
    trainer = Trainer.objects.select_for_update().select_related("user").get(pk=trainer.pk)
    if not trainer.is_active:
        raise ApplicationError(_("%(name)s is already deactivated.") % {"name": trainer.display_name})
    if _is_last_active_owner(trainer, team):
        raise ApplicationError(_("The organization must keep at least one active owner."))
    trainer.is_active = False
    trainer.deactivated_at = timezone.now()
    trainer.save(update_fields=["is_active", "deactivated_at"])
    trainer.user.is_active = False
    trainer.user.save(update_fields=["is_active"])
    ended = _end_sessions(trainer.user)
    clients = Client.objects.filter(trainer=trainer).active().count()
    audit_record(
        actor=actor,
        action="trainer.deactivate",
        target=trainer,
        summary=_("Deactivated; %(sessions)d sign-in session(s) ended, %(clients)d client(s) need a trainer.")
        % {"sessions": ended, "clients": clients},
    )
    return trainer


@transaction.atomic
def trainer_reactivate(*, actor, trainer):
    if not can_deactivate(actor, trainer):
        raise ApplicationError(_("You cannot reactivate this member."))
    organization = Organization.objects.select_for_update().get(pk=connection.tenant.pk)
    team = _lock_team()
    trainer = Trainer.objects.select_for_update().select_related("user").get(pk=trainer.pk)
    if trainer.is_active:
        raise ApplicationError(_("%(name)s is already active.") % {"name": trainer.display_name})
    if len(team) >= organization.seat_limit:
        raise ApplicationError(
            _("All %(seats)d seats are taken. Deactivate someone or ask for more seats.")
            % {"seats": organization.seat_limit}
        )
    trainer.is_active = True
    trainer.deactivated_at = None
    trainer.save(update_fields=["is_active", "deactivated_at"])
    trainer.user.is_active = True
    trainer.user.save(update_fields=["is_active"])
    audit_record(actor=actor, action="trainer.reactivate", target=trainer, summary=_("Reactivated."))
    return trainer


@transaction.atomic
def clients_transfer(*, actor, clients, to_trainer):
    """Move clients to another active trainer, with their future scheduled sessions and active packages.

    Past and completed sessions keep the trainer who did them. One transaction; one audit entry per client.
    Returns the number of clients moved.
    """
    if not can_transfer_clients(actor):
        raise ApplicationError(_("Only the owner transfers clients."))
    to_trainer = Trainer.objects.select_for_update().filter(pk=to_trainer.pk).first()
    if to_trainer is None or not to_trainer.is_active:
        raise ApplicationError(_("Clients can only go to an active trainer."), {"field": "to_trainer"})
    if to_trainer.role == Role.ASSISTANT:
        raise ApplicationError(_("Assistants cannot own clients."), {"field": "to_trainer"})
    client_ids = [client.pk for client in clients]
    if not client_ids:
        raise ApplicationError(_("Choose at least one client."), {"field": "clients"})
    locked = list(Client.objects.select_for_update().filter(pk__in=client_ids).select_related("trainer__user"))
    now = timezone.now()
    moved = 0
    for client in locked:
        if client.trainer_id == to_trainer.pk:
            continue
        previous = client.trainer
        sessions = Session.objects.filter(client=client, status=SessionStatus.SCHEDULED, starts_at__gte=now).update(
            trainer=to_trainer
        )
        packages = SessionPackage.objects.filter(client=client, status=PackageStatus.ACTIVE).update(trainer=to_trainer)
        client.trainer = to_trainer
        client.save(update_fields=["trainer"])
        audit_record(
            actor=actor,
            action="client.transfer",
            target=client,
            summary=_(
                "Transferred from %(old)s to %(new)s with %(sessions)d future session(s) and %(packages)d package(s)."
            )
            % {
                "old": previous.display_name,
                "new": to_trainer.display_name,
                "sessions": sessions,
                "packages": packages,
            },
            changes={"trainer": [previous.display_name, to_trainer.display_name]},
        )
        moved += 1
    return moved
