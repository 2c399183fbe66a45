"""Invitations in the public schema: tokens, the row, its email and the lookup of a link. ARCHITECTURE.md,
"Invitations", has the rules.

The token is 256 random bits, appears only in the email and is stored as its SHA-256. Inviting, resending, revoking
and accepting (which creates the account in the gym's schema, with the trainer's role and an audit entry) are the
team's services: ``apps.team.services``.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from apps.core.errors import ApplicationError

from .models import Invitation, Organization, hash_token


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _enqueue_email(invitation: Invitation, token: str) -> None:
    from .tasks import send_invitation_email

    schema_name = invitation.organization.schema_name
    # The mail speaks the language the inviter uses now; the task has no request to ask later.
    language = translation.get_language() or settings.LANGUAGE_CODE

    def send() -> None:
        # Sent from the gym's schema so that the task runs there (tenant-schemas-celery).
        with schema_context(schema_name):
            send_invitation_email.delay(invitation.pk, token, language)

    transaction.on_commit(send)


def issue_invitation(
    *,
    organization: Organization,
    email: str,
    role: str,
    inviter_id: int | None,
    inviter_name: str,
    message: str = "",
    send: bool = True,
) -> tuple[Invitation, str]:
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


def rotate_token(invitation: Invitation) -> Invitation:
    """A new link for ``invitation`` (the old one stops working) with a fresh expiry, emailed after commit."""
    token = new_token()
    invitation.token_hash = hash_token(token)
    invitation.expires_at = timezone.now() + timedelta(days=invitation.organization.invitation_expiry_days)
    invitation.save(update_fields=["token_hash", "expires_at"])
    _enqueue_email(invitation, token)
    return invitation


def invitation_for_token(*, organization: Organization, token: str | None, lock: bool = False) -> Invitation | None:
    """The invitation behind a link, if it belongs to this host's gym, else None (never another gym's)."""
    queryset = Invitation.objects.select_related("organization")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.filter(token_hash=hash_token(token or ""), organization=organization).first()


def check_usable(invitation: Invitation | None) -> None:
    """Raise ApplicationError with the reason a link cannot be used, else return None."""
    if invitation is None:
        raise ApplicationError(_("This invitation link is not valid. Ask for a new invitation."))
    if invitation.accepted_at:
        raise ApplicationError(_("This invitation has already been used. Sign in instead."))
    if invitation.revoked_at:
        raise ApplicationError(_("This invitation was revoked. Ask for a new invitation."))
    if invitation.expires_at <= timezone.now():
        raise ApplicationError(_("This invitation has expired. Ask for a new one to be sent."))
