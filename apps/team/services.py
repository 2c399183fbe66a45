"""The team: invitations (create, resend, revoke, accept), roles, deactivation and reactivation, transferring
clients between trainers. These writes reach across apps (a transfer moves clients, sessions and packages; an
acceptance creates the user and the trainer), which is why they sit above the apps they change."""

import zoneinfo
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access import can_own_clients
from apps.audit.services import audit_record
from apps.clients.models import Client
from apps.core.errors import ApplicationError, FieldErrors
from apps.trainers.models import PricingTemplate, Trainer
from apps.trainers.permissions import can_change_roles, can_deactivate, can_manage_invitation, can_transfer_clients
from apps.trainers.services.api_keys import api_keys_revoke_all
from apps.training.models import PackageStatus, Session, SessionPackage, SessionStatus
from tenants.invitations import check_usable, invitation_for_token, issue_invitation, rotate_token
from tenants.models import Invitation, Organization, Role

if TYPE_CHECKING:
    from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper


def _lock_team() -> list[tuple[int, str]]:
    """Serialise team changes: last-owner and seat rules must not be raced past."""
    return list(Trainer.objects.select_for_update().filter(is_active=True).values_list("pk", "role"))


def _is_last_active_owner(trainer: Trainer, team: list[tuple[int, str]]) -> bool:
    owners = [pk for pk, role in team if role == Role.OWNER]
    return trainer.is_active and trainer.role == Role.OWNER and owners == [trainer.pk]


@transaction.atomic
def trainer_change_role(*, actor: Trainer, trainer: Trainer, role: str) -> Trainer:
    if not can_change_roles(actor):
        raise ApplicationError(_("Only the owner changes roles."))
    if role not in Role.values:
        raise ApplicationError(_("Choose a role."), {"field": "role"})
    team = _lock_team()
    trainer = Trainer.objects.locked(trainer)
    if trainer.role == role:
        return trainer
    if role != Role.OWNER and _is_last_active_owner(trainer, team):
        raise ApplicationError(
            _("%(name)s is the last active owner. Make someone else owner first.") % {"name": trainer.display_name},
            {"field": "role", "code": "conflict"},
        )
    old_role = trainer.role
    trainer.role = role
    trainer.full_clean()
    trainer.save(update_fields=["role"])
    withdrawn = 0
    if not can_own_clients(trainer):
        # Assistants never sell: their templates go off sale (kept, so packages sold from them stay intact).
        withdrawn = PricingTemplate.objects.filter(trainer=trainer, is_active=True).update(is_active=False)
    audit_record(
        actor=actor,
        event="trainer.role_change",
        target=trainer,
        params={"old": old_role, "new": role},
        changes={"role": [old_role, role], **({"pricing_templates_off_sale": withdrawn} if withdrawn else {})},
    )
    return trainer


def _end_sessions(user: AbstractBaseUser) -> int:
    from allauth.usersessions.models import UserSession

    ended = 0
    for user_session in UserSession.objects.filter(user=user):
        user_session.end()
        ended += 1
    return ended


@transaction.atomic
def trainer_deactivate(*, actor: Trainer, trainer: Trainer) -> Trainer:
    """End the trainer's access at once; keep every row of theirs (their clients then need a trainer)."""
    if actor.pk == trainer.pk:
        raise ApplicationError(_("You cannot deactivate yourself."))
    if not can_deactivate(actor, trainer):
        raise ApplicationError(_("You cannot deactivate this member."))
    team = _lock_team()
    trainer = Trainer.objects.locked(trainer)
    if not trainer.is_active:
        raise ApplicationError(
            _("%(name)s is already deactivated.") % {"name": trainer.display_name}, {"code": "conflict"}
        )
    if _is_last_active_owner(trainer, team):
        raise ApplicationError(_("The organization must keep at least one active owner."), {"code": "conflict"})
    trainer.is_active = False
    trainer.deactivated_at = timezone.now()
    trainer.save(update_fields=["is_active", "deactivated_at"])
    trainer.user.is_active = False
    trainer.user.save(update_fields=["is_active"])
    ended = _end_sessions(trainer.user)
    api_keys_revoke_all(trainer=trainer)  # the API refuses the trainer's programs from now on, like the pages
    clients = Client.objects.filter(trainer=trainer).active().count()
    audit_record(
        actor=actor,
        event="trainer.deactivate",
        target=trainer,
        params={"sessions": ended, "clients": clients},
    )
    return trainer


@transaction.atomic
def trainer_reactivate(*, actor: Trainer, trainer: Trainer) -> Trainer:
    if not can_deactivate(actor, trainer):
        raise ApplicationError(_("You cannot reactivate this member."))
    organization = Organization.objects.select_for_update().get(pk=cast("TenantDatabaseWrapper", connection).tenant.pk)
    team = _lock_team()
    trainer = Trainer.objects.locked(trainer)
    if trainer.is_active:
        raise ApplicationError(_("%(name)s is already active.") % {"name": trainer.display_name}, {"code": "conflict"})
    if len(team) >= organization.seat_limit:
        raise ApplicationError(
            _("All %(seats)d seats are taken. Deactivate someone or ask for more seats.")
            % {"seats": organization.seat_limit},
            {"code": "conflict"},
        )
    trainer.is_active = True
    trainer.deactivated_at = None
    trainer.save(update_fields=["is_active", "deactivated_at"])
    trainer.user.is_active = True
    trainer.user.save(update_fields=["is_active"])
    audit_record(actor=actor, event="trainer.reactivate", target=trainer)
    return trainer


def clean_transfer_fields(values: Mapping[str, Any]) -> None:
    """The trainer (active, may own clients) and the clients (at least one) of a transfer among ``values``, or one
    ApplicationError naming both. The transfer form calls it on the fields it could parse."""
    errors = FieldErrors()
    to_trainer = values.get("to_trainer")
    if to_trainer is not None and not to_trainer.is_active:
        errors.add("to_trainer", _("Clients can only go to an active trainer."))
    elif to_trainer is not None and not can_own_clients(to_trainer):
        errors.add("to_trainer", _("Assistants cannot own clients."))
    if "clients" in values and not values["clients"]:
        errors.add("clients", _("Choose at least one client, or all of them."))
    errors.raise_if_any()


@transaction.atomic
def clients_transfer(*, actor: Trainer, clients: Iterable[Client], to_trainer: Trainer) -> int:
    """Move clients to another active trainer, with their future scheduled sessions and active packages.

    Past and completed sessions keep the trainer who did them. One transaction; one audit entry per client.
    Returns the number of clients moved.
    """
    if not can_transfer_clients(actor):
        raise ApplicationError(_("Only the owner transfers clients."))
    to_trainer = Trainer.objects.locked(to_trainer)
    clients = list(clients)
    clean_transfer_fields({"to_trainer": to_trainer, "clients": clients})
    client_ids = [client.pk for client in clients]
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
            event="client.transfer",
            target=client,
            params={
                "old": previous.display_name,
                "new": to_trainer.display_name,
                "sessions": sessions,
                "packages": packages,
            },
            changes={"trainer": [previous.display_name, to_trainer.display_name]},
        )
        moved += 1
    return moved


# --- invitations ------------------------------------------------------------------------------------------


def _active_member_count() -> int:
    return Trainer.objects.active().count()


def _is_member(email: str) -> bool:
    return get_user_model().objects.filter(email__iexact=email).exists()


def _start_of_day(organization: Organization, now: datetime) -> datetime:
    local = now.astimezone(zoneinfo.ZoneInfo(organization.timezone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


INVITATION_MESSAGE_LIMIT = 1000


def _invitation_email(value: object) -> str:
    email = str(value or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError(_("Enter a valid email address."), {"field": "email"}) from None
    return email


def _invitation_role(role: object, actor: Trainer) -> str:
    if role not in Role.values:
        raise ApplicationError(_("Choose a role."), {"field": "role"})
    if not can_manage_invitation(actor, role):
        raise ApplicationError(
            _("Your role cannot invite a %(role)s.") % {"role": Role(role).label.lower()}, {"field": "role"}
        )
    return role


def _invitation_message(value: object) -> str:
    message = str(value or "").strip()
    if len(message) > INVITATION_MESSAGE_LIMIT:
        raise ApplicationError(
            _("Use at most %(limit)d characters.") % {"limit": INVITATION_MESSAGE_LIMIT}, {"field": "message"}
        )
    return message


def clean_invitation_fields(values: Mapping[str, object], *, actor: Trainer) -> dict[str, Any]:
    """The e-mail, role (one ``actor`` may invite) and message among ``values``, each cleaned, or one
    ApplicationError naming every field refused. The invitation form calls it on the fields it could parse."""
    errors = FieldErrors()
    cleaned: dict[str, Any] = {}
    if "email" in values:
        cleaned["email"] = errors.check("email", _invitation_email, values["email"])
    if "role" in values:
        cleaned["role"] = errors.check("role", _invitation_role, values["role"], actor)
    if "message" in values:
        cleaned["message"] = errors.check("message", _invitation_message, values["message"])
    errors.raise_if_any()
    return cleaned


@transaction.atomic
def invitation_create(
    *, actor: Trainer, organization: Organization, email: str, role: str, message: str = ""
) -> Invitation:
    """A trainer invites someone to their gym. Runs in the gym's schema."""
    cleaned = clean_invitation_fields({"email": email, "role": role, "message": message}, actor=actor)
    email, message = cleaned["email"], cleaned["message"]
    # Serialise invitations of one organization so the caps below cannot be raced past.
    type(organization).objects.select_for_update().get(pk=organization.pk)
    if _is_member(email):
        raise ApplicationError(_("%(email)s is already a member of this gym.") % {"email": email}, {"field": "email"})
    now = timezone.now()
    pending = Invitation.objects.filter(organization=organization).pending(now)
    if pending.filter(email__iexact=email).exists():
        raise ApplicationError(
            _("%(email)s already has a pending invitation; resend it instead.") % {"email": email}, {"field": "email"}
        )
    if _active_member_count() + pending.count() >= organization.seat_limit:
        raise ApplicationError(
            _("All %(seats)d seats are taken or promised to pending invitations.") % {"seats": organization.seat_limit}
        )
    if pending.count() >= organization.pending_invitation_limit:
        raise ApplicationError(
            _("There are already %(count)d pending invitations. Revoke some before inviting more.")
            % {"count": pending.count()}
        )
    sent_today = Invitation.objects.filter(
        organization=organization, created_at__gte=_start_of_day(organization, now)
    ).count()
    if sent_today >= organization.daily_invitation_limit:
        raise ApplicationError(
            _("This gym has sent its %(limit)d invitations for today. Try again tomorrow.")
            % {"limit": organization.daily_invitation_limit}
        )
    invitation, _token = issue_invitation(
        organization=organization,
        email=email,
        role=role,
        inviter_id=actor.pk,
        inviter_name=actor.display_name,
        message=message,
    )
    audit_record(
        actor=actor,
        event="invitation.create",
        target=invitation,
        params={"email": invitation.email, "role": role},
    )
    return invitation


@transaction.atomic
def invitation_resend(*, actor: Trainer, invitation: Invitation) -> Invitation:
    """Send again with a new token (the old link stops working) and a fresh expiry."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not can_manage_invitation(actor, invitation.role):
        raise ApplicationError(_("You cannot manage this invitation."))
    if invitation.accepted_at or invitation.revoked_at:
        raise ApplicationError(_("Only pending or expired invitations can be resent."), {"code": "conflict"})
    rotate_token(invitation)
    audit_record(actor=actor, event="invitation.resend", target=invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: Trainer, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not can_manage_invitation(actor, invitation.role):
        raise ApplicationError(_("You cannot manage this invitation."))
    if invitation.accepted_at:
        raise ApplicationError(_("This invitation was already accepted."), {"code": "conflict"})
    if invitation.revoked_at:
        raise ApplicationError(_("This invitation was already revoked."), {"code": "conflict"})
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(actor=actor, event="invitation.revoke", target=invitation)
    return invitation


@transaction.atomic
def invitation_accept(*, organization: Organization, token: str, full_name: str, password: str) -> Trainer:
    """Create the user and trainer for an invitation. Two racing accepts make exactly one account."""
    from allauth.account.models import EmailAddress

    assert cast("TenantDatabaseWrapper", connection).schema_name == organization.schema_name, (
        "accept runs in the gym's own schema"
    )
    invitation = invitation_for_token(organization=organization, token=token, lock=True)
    check_usable(invitation)
    assert invitation is not None  # check_usable refuses a missing one; this tells the type checker
    full_name = (full_name or "").strip()
    if not full_name:
        raise ApplicationError(_("Tell us your name."), {"field": "full_name"})
    if _is_member(invitation.email):
        raise ApplicationError(
            _("%(email)s is already a member of this gym. Sign in instead.") % {"email": invitation.email}
        )
    if _active_member_count() >= organization.seat_limit:
        raise ApplicationError(_("This gym has no free seat left. Ask the owner to free one."))
    user = get_user_model().objects.create_user(email=invitation.email, password=password, full_name=full_name)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    trainer = Trainer.objects.create(user=user, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(
        actor=trainer,
        event="invitation.accept",
        target=invitation,
        params={"role": invitation.role},
    )
    return trainer
