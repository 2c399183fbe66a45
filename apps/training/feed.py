"""The trainers' calendar feed (issue 15): their sessions from 30 days back to 180 days ahead as iCalendar, for
any calendar application to subscribe to. Read-only, no money; clients appear as "first name + last initial"
unless the trainer chose full names. Two queries whatever the number of sessions (the feed, then the sessions
with their clients)."""

from datetime import datetime, timedelta

from django.utils import timezone

from tenants.models import Organization

from . import ics
from .models import CalendarFeed, Session

PAST = timedelta(days=30)
AHEAD = timedelta(days=180)


def feed_sessions(feed: CalendarFeed, now: datetime) -> list[Session]:
    """The feed's trainer's own sessions in the window (cancelled ones too: they say STATUS:CANCELLED), through
    ``visible_to`` of that trainer and then narrowed to them (an owner sees every trainer's sessions)."""
    trainer = feed.trainer
    return list(
        Session.objects.visible_to(trainer)
        .filter(trainer_id=trainer.pk, starts_at__gte=now - PAST, starts_at__lt=now + AHEAD)
        .select_related("client")
        .order_by("starts_at", "pk")
    )


def client_label(session: Session, *, full_names: bool) -> str:
    client = session.client
    if full_names or not client.last_name:
        return str(client)
    return f"{client.first_name} {client.last_name[:1]}."


def feed_ical(feed: CalendarFeed, organization: Organization, now: datetime | None = None) -> bytes:
    now = now or timezone.now()
    events = [
        ics.session_event(
            session,
            host=organization.host,
            summary=client_label(session, full_names=feed.full_names),
            location=organization.name,
            stamp=now,
        )
        for session in feed_sessions(feed, now)
    ]
    name = f"{organization.name} – {feed.trainer.display_name}"
    return ics.calendar(events, name=name).to_ical()
