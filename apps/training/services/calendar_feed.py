"""The trainers' private calendar feeds (issue 15): make or replace the link, choose how clients are named, and find
the feed behind a link.

The token is ``secrets.token_urlsafe(32)`` (256 random bits) and appears only in the answer to the POST that made
it; the row keeps its SHA-256, like API keys and invitations. A new link replaces the hash, so the old link stops
working at once. A feed answers only while its trainer (and their account) is active: deactivation ends it without
a write.
"""

import hashlib
import re
import secrets
from typing import cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access import Member, can_own_clients, is_active_member
from apps.audit.services import audit_record
from apps.core.errors import ApplicationError
from apps.trainers.models import Trainer

from ..models import CalendarFeed

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43,100}")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def can_have_calendar_feed(actor: Member | None) -> bool:
    """Members whom sessions can belong to (not assistants, whose sessions are their trainers')."""
    return is_active_member(actor) and actor is not None and can_own_clients(actor)


def _check(actor: Trainer) -> None:
    if not can_have_calendar_feed(actor):
        raise ApplicationError(_("Only trainers with sessions of their own have a calendar feed."))


@transaction.atomic
def calendar_feed_create(*, actor: Trainer) -> tuple[CalendarFeed, str]:
    """A new private link for the actor's own sessions, replacing the previous one (which stops working).
    Returns the feed and the token, which is never shown again."""
    _check(actor)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.select_for_update().filter(trainer_id=actor.pk).first()
    replaced = feed is not None
    if feed is None:
        feed = CalendarFeed(trainer=actor)
    feed.token_hash = hash_token(token)
    feed.created_at = timezone.now()
    feed.save()
    audit_record(
        actor=actor,
        event="calendar_feed.regenerate" if replaced else "calendar_feed.create",
        target=feed,
    )
    return feed, token


@transaction.atomic
def calendar_feed_names_set(*, actor: Trainer, full_names: bool) -> CalendarFeed:
    """Whether the actor's feed shows clients' full names (else first name and last initial)."""
    _check(actor)
    feed = CalendarFeed.objects.select_for_update().filter(trainer_id=actor.pk).first()
    if feed is None:
        raise ApplicationError(_("Make a calendar link first."))
    if feed.full_names != full_names:
        feed.full_names = full_names
        feed.save(update_fields=["full_names"])
        audit_record(
            actor=actor,
            event="calendar_feed.full_names" if full_names else "calendar_feed.short_names",
            target=feed,
            changes={"full_names": [not full_names, full_names]},
        )
    return feed


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The feed behind ``token`` if its trainer is active; None for anything else (no query for a malformed one)."""
    if not TOKEN_SHAPE.fullmatch(token or ""):
        return None
    feed = cast(
        "CalendarFeed | None",
        CalendarFeed.objects.select_related("trainer__user").filter(token_hash=hash_token(token)).first(),
    )
    if feed is None or not feed.trainer.is_active or not feed.trainer.user.is_active:
        return None
    return feed
