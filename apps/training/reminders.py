"""Mail to clients about their sessions (issue 15): a reminder ``Organization.reminder_hours`` before each booked
session, a notice when a session moves and one when it is cancelled, each with the session as an ``.ics`` file.

Who gets mail: a client with an e-mail address who agreed to reminders (``Client.reminders_consent_at``), not
archived or erased. The text is in the client's language (``Client.report_language``, the site's default when
empty) and the times are the gym's (``apps.core.dates``).

**Once per session.** ``reminder_send`` locks the session row (``SELECT … FOR UPDATE SKIP LOCKED``), checks the
marker ``Session.reminder_sent_at``, sends, sets the marker and commits, all in one transaction. So:

* two runs of the beat job at once: the second skips the row the first holds, and after its commit finds the marker;
* a failure before the SMTP server accepted the mail rolls back: the next run (minutes later) sends it;
* a worker that dies after the SMTP server accepted the mail but before the commit leaves no marker: the next run
  sends it again. That one window (milliseconds) is the only duplicate possible; it carries the same Message-ID
  (``<reminder.<session>.<schema>@<host>>``), so the receiving side can recognise it. The guarantee is therefore
  "at least once, and more than once only after a crash inside that window" (exactly-once delivery over SMTP is
  not possible without the receiver's help).

Notices of moves and cancellations go out from a task queued on commit (``notify_on_commit``); their Message-ID
names the session and its SEQUENCE, so a retried task's duplicate is recognisable too.
"""

import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.clients.models import Client, ClientStatus
from apps.core.dates import format_datetime, gym_locale, gym_timezone
from tenants.branding import current_organization
from tenants.models import Organization

from . import ics
from .models import Session, SessionStatus

logger = logging.getLogger(__name__)

REMINDER = "reminder"
MOVED = "moved"
CANCELLED = "cancelled"
KINDS = (REMINDER, MOVED, CANCELLED)


def client_language(client: Client) -> str:
    """The language of the client's mail: their reports' language, else the site's default (as the reports do)."""
    return client.report_language or settings.LANGUAGE_CODE


def may_mail(client: Client) -> bool:
    """A client we may write to about their sessions: an address, their consent, not archived or erased."""
    return bool(
        client.email
        and client.reminders_consent_at is not None
        and client.erased_at is None
        and client.status == ClientStatus.ACTIVE
    )


def _reachable(sessions: QuerySet[Session]) -> QuerySet[Session]:
    return sessions.exclude(client__email="").filter(
        client__reminders_consent_at__isnull=False, client__erased_at__isnull=True, client__status=ClientStatus.ACTIVE
    )


def reminders_due(*, now: datetime, hours: int) -> QuerySet[Session]:
    """Scheduled sessions starting within ``hours`` from ``now`` whose reminder has not gone out, of clients we may
    write to. With ``hours`` 0 (the gym sends none): nothing."""
    if hours <= 0:
        return Session.objects.none()
    due = Session.objects.filter(
        status=SessionStatus.SCHEDULED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=hours),
    )
    return _reachable(due).order_by("starts_at", "pk")


def _message_id(session: Session, organization: Organization, kind: str) -> str:
    # Stable: the same mail sent again (see the module's doc) carries the same id.
    tag = "reminder" if kind == REMINDER else f"{kind}.{ics.session_sequence(session)}"
    return f"<{tag}.{session.pk}.{organization.schema_name}@{organization.host}>"


def session_message(session: Session, organization: Organization, kind: str) -> EmailMultiAlternatives:
    """The mail of ``kind`` (reminder, moved, cancelled) to the session's client, with the ``.ics`` attached."""
    client, trainer = session.client, session.trainer
    zone = gym_timezone()
    language = client_language(client)
    with gym_locale(language, zone=zone):
        when = format_datetime(session.starts_at, zone=zone)
        previous = ""
        if kind == MOVED and session.previous_times:
            previous = format_datetime(datetime.fromisoformat(session.previous_times[-1]["starts_at"]), zone=zone)
        subjects = {
            REMINDER: _("Reminder: your session at %(gym)s on %(when)s"),
            MOVED: _("Your session moved to %(when)s"),
            CANCELLED: _("Your session on %(when)s is cancelled"),
        }
        subject = subjects[kind] % {"gym": organization.name, "when": when}
        context = {
            "kind": kind,
            "client_name": client.first_name,
            "gym": organization.name,
            "trainer": trainer.display_name,
            "when": when,
            "previous": previous,
            "minutes": session.duration_minutes,
        }
        text = render_to_string("training/email/session_notice.txt", context)
        html = render_to_string("training/email/session_notice.html", context)
        event = ics.session_event(
            session,
            host=organization.host,
            summary=_("Training with %(trainer)s") % {"trainer": trainer.display_name},
            location=organization.name,
            organizer=(trainer.user.email, trainer.display_name),
            attendee=(client.email, str(client)),
        )
    method = "CANCEL" if kind == CANCELLED else "REQUEST"
    content = ics.calendar([event], method=method).to_ical()
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [client.email],
        reply_to=[trainer.user.email],
        headers={"Message-ID": _message_id(session, organization, kind), "X-Gym": organization.slug},
    )
    message.attach_alternative(html, "text/html")
    message.attach("session.ics", content.decode(), "text/calendar")
    return message


@transaction.atomic
def reminder_send(*, session_id: int, now: datetime | None = None, organization: Organization | None = None) -> bool:
    """Send the reminder of one session if it is still due; True when sent. See the module's doc for the guarantee."""
    now = now or timezone.now()
    organization = organization or current_organization()
    session = (
        Session.objects.select_for_update(of=("self",), skip_locked=True)
        .select_related("client", "trainer__user")
        .filter(pk=session_id)
        .first()
    )
    if session is None:  # another run holds it (and will send or has sent it), or it is gone
        return False
    due = reminders_due(now=now, hours=organization.reminder_hours).filter(pk=session.pk).exists()
    if not due or session.reminder_sent_at is not None:
        return False
    session_message(session, organization, REMINDER).send()
    Session.objects.filter(pk=session.pk).update(reminder_sent_at=now)
    return True


def reminders_send(*, now: datetime | None = None) -> int:
    """Send every reminder due in the active gym, each in its own transaction; a failure is logged and left for the
    next run. Returns the number sent."""
    now = now or timezone.now()
    organization = current_organization()
    sent = 0
    for session_id in reminders_due(now=now, hours=organization.reminder_hours).values_list("pk", flat=True):
        try:
            sent += reminder_send(session_id=session_id, now=now, organization=organization)
        except Exception:  # one bad address or SMTP hiccup must not hold up the gym's other reminders
            logger.exception("%s: reminder of session %s not sent", organization.schema_name, session_id)
    return sent


def notice_send(*, session_id: int, kind: str) -> bool:
    """Mail the client that the session moved or was cancelled, if they may get mail and the session is still in
    that state (a session moved and then cancelled before the task ran gets only the cancellation)."""
    session = Session.objects.select_related("client", "trainer__user").filter(pk=session_id).first()
    if session is None or not may_mail(session.client):
        return False
    if session.status != (SessionStatus.CANCELLED if kind == CANCELLED else SessionStatus.SCHEDULED):
        return False
    session_message(session, current_organization(), kind).send()
    return True


def notify_on_commit(session: Session, kind: str) -> None:
    """Queue the client's notice of ``kind`` (moved, cancelled) for after the commit (nothing on a rollback)."""
    from .tasks import send_session_notice

    transaction.on_commit(partial(send_session_notice.delay, session.pk, kind), robust=True)
