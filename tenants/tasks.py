"""Background jobs of the public side. Tasks take ids, never model instances, and are idempotent."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from apps.core.dates import gym_locale, zone_named

from .models import Invitation, hash_token, invitation_path

logger = logging.getLogger(__name__)


class WrongSchemaError(RuntimeError):
    """The task was delivered outside the gym whose invitation it sends."""


@shared_task(bind=True, autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def send_invitation_email(self, invitation_id, token, language=None):
    """Mail the link. ``language`` is the inviter's when they invited (the site's default if None); the expiry is
    written in the gym's timezone, whichever timezone the worker runs in."""
    invitation = Invitation.objects.select_related("organization").filter(pk=invitation_id).first()
    if invitation is None or invitation.token_hash != hash_token(token):
        # Revoked, rotated by a resend, or deleted since it was queued: this link must not go out.
        logger.info("invitation %s: token no longer current, not sending", invitation_id)
        return None
    if invitation.accepted_at or invitation.revoked_at:
        return None
    organization = invitation.organization
    if connection.schema_name != organization.schema_name:
        raise WrongSchemaError(
            f"task ran in {connection.schema_name}, invitation belongs to {organization.schema_name}"
        )
    context = {
        "invitation": invitation,
        "organization": organization,
        "accept_url": organization.absolute_url(invitation_path(token)),
        "role": invitation.get_role_display(),
        "expires_at": invitation.expires_at,
    }
    with gym_locale(language or settings.LANGUAGE_CODE, zone=zone_named(organization.timezone)):
        subject = render_to_string("tenants/email/invitation_subject.txt", context).strip()
        text = render_to_string("tenants/email/invitation.txt", context)
        html = render_to_string("tenants/email/invitation.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    message.attach_alternative(html, "text/html")
    message.extra_headers["X-Gym"] = organization.slug
    message.send()
    Invitation.objects.filter(pk=invitation.pk).update(last_sent_at=timezone.now(), send_count=F("send_count") + 1)
    return connection.schema_name


@shared_task
def refill_schema_pool():
    from . import schema_factory

    return schema_factory.fill_pool()
