"""Invitations: how owners and trainers join a gym. Rules are in ARCHITECTURE.md, "Invitations".

The token is 256 random bits, appears only in the email and is stored as its SHA-256.
Invitations live in the public schema; accounts they create live in the gym's schema.
"""

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from apps.audit.services import audit_record
from apps.core.errors import ApplicationError

from .models import Invitation, Role, hash_token

INVITABLE_ROLES_BY_ROLE = {
    Role.OWNER: {Role.OWNER, Role.SENIOR, Role.TRAINER, Role.ASSISTANT},
    Role.SENIOR: {Role.TRAINER, Role.ASSISTANT},
}


def new_token():
    return secrets.token_urlsafe(32)


def invitation_path(token):
    return f"/invitations/{token}/"


def _enqueue_email(invitation, token):
    from .tasks import send_invitation_email

    schema_name = invitation.organization.schema_name

    def send():
        # Sent from the gym's schema so that the task runs there (tenant-schemas-celery).
        with schema_context(schema_name):
            send_invitation_email.delay(invitation.pk, token)

    transaction.on_commit(send)


def _active_member_count():
    from apps.trainers.models import Trainer

    return Trainer.objects.active().count()


def _is_member(email):
    return get_user_model().objects.filter(email__iexact=email).exists()


def issue_invitation(*, organization, email, role, inviter_id, inviter_name, message="", send=True):
    """Create an invitation row and queue its email. Returns (invitation, token). No rule checks."""
    token = new_token()
    now = timezone.now()
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        message=message,
        token_hash=hash_token(token),
        expires_at=now + timedelta(days=organization.invitation_expiry_days),
        invited_by_id=inviter_id,
        invited_by_name=inviter_name,
        created_at=now,
    )
    if send:
        _enqueue_email(invitation, token)
    return invitation, token


def _start_of_day(organization, now):
    import zoneinfo

    local = now.astimezone(zoneinfo.ZoneInfo(organization.timezone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@transaction.atomic
def invitation_create(*, actor, organization, email, role, message=""):
    """A trainer invites someone to their gym. Runs in the gym's schema."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError(_("Enter a valid email address."), {"field": "email"}) from None
    if role not in Role.values:
        raise ApplicationError(_("Choose a role."), {"field": "role"})
    if role not in INVITABLE_ROLES_BY_ROLE.get(actor.role, set()):
        raise ApplicationError(
            _("Your role cannot invite a %(role)s.") % {"role": Role(role).label.lower()}, {"field": "role"}
        )
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
        message=(message or "").strip(),
    )
    audit_record(
        actor=actor,
        action="invitation.create",
        target=invitation,
        summary=_("Invited %(email)s as %(role)s.") % {"email": email, "role": Role(role).label},
    )
    return invitation


def _manageable(actor, invitation):
    return invitation.role in INVITABLE_ROLES_BY_ROLE.get(actor.role, set())


@transaction.atomic
def invitation_resend(*, actor, invitation):
    """Send again with a new token (the old link stops working) and a fresh expiry."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not _manageable(actor, invitation):
        raise ApplicationError(_("You cannot manage this invitation."))
    if invitation.accepted_at or invitation.revoked_at:
        raise ApplicationError(_("Only pending or expired invitations can be resent."))
    token = new_token()
    invitation.token_hash = hash_token(token)
    invitation.expires_at = timezone.now() + timedelta(days=invitation.organization.invitation_expiry_days)
    invitation.save(update_fields=["token_hash", "expires_at"])
    _enqueue_email(invitation, token)
    audit_record(actor=actor, action="invitation.resend", target=invitation, summary=_("Sent again with a new link."))
    return invitation


@transaction.atomic
def invitation_revoke(*, actor, invitation):
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not _manageable(actor, invitation):
        raise ApplicationError(_("You cannot manage this invitation."))
    if invitation.accepted_at:
        raise ApplicationError(_("This invitation was already accepted."))
    if invitation.revoked_at:
        raise ApplicationError(_("This invitation was already revoked."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="invitation.revoke", target=invitation, summary=_("Revoked."))
    return invitation


def invitation_for_token(*, organization, token, lock=False):
    """The invitation behind a link, if it belongs to this host's gym, else None (never another gym's)."""
    queryset = Invitation.objects.select_related("organization")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.filter(token_hash=hash_token(token or ""), organization=organization).first()


def check_usable(invitation):
    """Raise ApplicationError with the reason a link cannot be used, else return None."""
    if invitation is None:
        raise ApplicationError(_("This invitation link is not valid. Ask for a new invitation."))
    if invitation.accepted_at:
        raise ApplicationError(_("This invitation has already been used. Sign in instead."))
    if invitation.revoked_at:
        raise ApplicationError(_("This invitation was revoked. Ask for a new invitation."))
    if invitation.expires_at <= timezone.now():
        raise ApplicationError(_("This invitation has expired. Ask for a new one to be sent."))


@transaction.atomic
def invitation_accept(*, organization, token, full_name, password):
    """Create the user and trainer for an invitation. Two racing accepts make exactly one account."""
    from allauth.account.models import EmailAddress

    from apps.trainers.models import Trainer

    assert connection.schema_name == organization.schema_name, "accept runs in the gym's own schema"
    invitation = invitation_for_token(organization=organization, token=token, lock=True)
    check_usable(invitation)
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
        action="invitation.accept",
        target=invitation,
        summary=_("Joined as %(role)s.") % {"role": Role(invitation.role).label},
    )
    return trainer
