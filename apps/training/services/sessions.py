"""Scheduling sessions and closing them (complete, cancel, no-show), with the package's credits.

* Double booking: every schedule locks the trainer's row (``SELECT … FOR UPDATE``) before looking for an
  overlapping session that is not cancelled, so two requests booking the same trainer at the same moment are
  serialised and the second one sees the first. (An exclusion constraint would need btree_gist, which the
  embedded PostgreSQL lacks.)
* Outside the trainer's availability (``trainer_is_available``) a booking needs ``confirm_unavailable=True``.
* Credits: completing and a no-show consume one credit of the session's package; a cancellation less than the
  organization's ``late_cancellation_hours`` before the start consumes one, earlier ones do not. The package row
  is locked before it is read, and a check constraint keeps ``used_sessions <= total_sessions``, so two requests
  completing the last credit at once cannot both succeed: the second is told the package has no credit left.
"""

from datetime import datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.access import Actor, acts_for, can_own_clients, is_assistant
from apps.audit.services import audit_record
from apps.clients.models import Client
from apps.core.dates import format_date, format_datetime, format_time, gym_timezone
from apps.core.errors import ApplicationError, clean_whole_number, full_clean_or_raise
from apps.trainers.models import Trainer
from apps.trainers.selectors.availability import trainer_is_available

from ..models import Cancellation, PackageStatus, Session, SessionPackage, SessionStatus
from ..permissions import can_manage_session, can_use_calendar
from .common import gym

MIN_DURATION = 15
MAX_DURATION = 8 * 60
# How far back a session may be recorded and how far ahead booked.
MAX_PAST = timedelta(days=366)
MAX_AHEAD = timedelta(days=2 * 366)


def _clean_duration(value: object) -> int:
    minutes = clean_whole_number(value, "duration_minutes", _("Enter the duration in whole minutes."))
    if minutes < MIN_DURATION or minutes > MAX_DURATION:
        raise ApplicationError(
            _("A session lasts from %(min)d to %(max)d minutes.") % {"min": MIN_DURATION, "max": MAX_DURATION},
            {"field": "duration_minutes"},
        )
    return minutes


def overlapping_sessions(
    *, trainer: Trainer, starts_at: datetime, ends_at: datetime, exclude_pk: int | None = None
) -> list[Session]:
    """Sessions of ``trainer`` that are not cancelled and overlap ``[starts_at, ends_at)`` (touching is fine)."""
    candidates = Session.objects.filter(
        trainer=trainer, starts_at__lt=ends_at, starts_at__gt=starts_at - timedelta(minutes=MAX_DURATION)
    ).exclude(status=SessionStatus.CANCELLED)
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    return [session for session in candidates.select_related("client") if session.ends_at > starts_at]


def _check_trainer(actor: Actor | None, trainer: Trainer | None, client: Client) -> Trainer:
    if trainer is None:
        trainer = client.trainer
    if not acts_for(actor, trainer.pk):
        if is_assistant(actor):
            raise ApplicationError(_("Choose one of the trainers you assist."), {"field": "trainer"})
        raise ApplicationError(_("You can only schedule your own sessions."), {"field": "trainer"})
    return trainer


@transaction.atomic
def session_schedule(
    *,
    actor: Trainer,
    client: Client | int | None,
    starts_at: datetime | None,
    duration_minutes: int | str = 60,
    trainer: Trainer | None = None,
    package: SessionPackage | int | None = None,
    confirm_unavailable: bool = False,
) -> Session:
    """Book ``client`` with ``trainer`` (default: the client's) at ``starts_at`` (aware) for ``duration_minutes``."""
    if not can_use_calendar(actor):
        raise ApplicationError(_("You cannot schedule sessions."))
    # The scoped queryset yields Any (ScopedQuerySet is a QuerySet[Any]): say what it finds.
    client = cast("Client | None", Client.objects.visible_to(actor).filter(pk=getattr(client, "pk", client)).first())
    if client is None:
        raise ApplicationError(_("Choose one of your clients."), {"field": "client"})
    trainer = _check_trainer(actor, trainer, client)
    if starts_at is None or timezone.is_naive(starts_at):
        raise ApplicationError(_("Enter the date and time of the session."), {"field": "starts_at"})
    now = timezone.now()
    if starts_at < now - MAX_PAST:
        raise ApplicationError(_("A session can be recorded at most a year back."), {"field": "starts_at"})
    if starts_at > now + MAX_AHEAD:
        raise ApplicationError(_("A session can be booked at most two years ahead."), {"field": "starts_at"})
    duration_minutes = _clean_duration(duration_minutes)
    ends_at = starts_at + timedelta(minutes=duration_minutes)

    # The lock that serialises every booking of this trainer (see the module's doc).
    trainer = Trainer.objects.locked(trainer)
    if not trainer.is_active or not can_own_clients(trainer):
        raise ApplicationError(_("Choose an active trainer."), {"field": "trainer"})

    if package is not None:
        # Locked so that two bookings on one package (with different trainers) cannot both take its last credit.
        package = (
            SessionPackage.objects.select_for_update(of=("self",))
            .filter(pk=getattr(package, "pk", package), client=client)
            .first()
        )
        if package is None:
            raise ApplicationError(_("Choose a package of this client."), {"field": "package"})
        if package.status != PackageStatus.ACTIVE:
            raise ApplicationError(_("This package is not active."), {"field": "package", "code": "conflict"})
        if package.remaining_sessions <= 0:
            raise ApplicationError(_("This package has no sessions left."), {"field": "package", "code": "conflict"})
        booked = package.sessions.filter(status=SessionStatus.SCHEDULED).count()
        if booked >= package.remaining_sessions:
            raise ApplicationError(
                ngettext(
                    "The %(count)d session left on this package is already booked.",
                    "All %(count)d sessions left on this package are already booked.",
                    package.remaining_sessions,
                )
                % {"count": package.remaining_sessions},
                {"field": "package", "code": "conflict"},
            )
        session_day = starts_at.astimezone(_zone()).date()
        if package.expires_on is not None and session_day > package.expires_on:
            raise ApplicationError(
                _("This package expires on %(day)s, before the session.") % {"day": format_date(package.expires_on)},
                {"field": "package"},
            )

    clashes = overlapping_sessions(trainer=trainer, starts_at=starts_at, ends_at=ends_at)
    if clashes:
        clash = clashes[0]
        raise ApplicationError(
            _("%(trainer)s already has a session with %(client)s from %(start)s to %(end)s.")
            % {
                "trainer": trainer.display_name,
                "client": clash.client,
                "start": format_time(clash.starts_at),
                "end": format_time(clash.ends_at),
            },
            {"field": "starts_at", "code": "conflict"},
        )
    if not confirm_unavailable and not trainer_is_available(trainer=trainer, starts_at=starts_at, ends_at=ends_at):
        raise ApplicationError(
            _("%(trainer)s is not available at that time. Book anyway?") % {"trainer": trainer.display_name},
            {"field": "confirm_unavailable", "code": "unavailable"},
        )

    session = Session(
        client=client,
        trainer=trainer,
        package=package,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        status=SessionStatus.SCHEDULED,
    )
    full_clean_or_raise(session)
    session.save()
    audit_record(
        actor=actor,
        action="session.schedule",
        target=session,
        summary=_("Session of %(client)s with %(trainer)s scheduled for %(when)s (%(minutes)d minutes).")
        % {
            "client": client,
            "trainer": trainer.display_name,
            "when": format_datetime(starts_at),
            "minutes": duration_minutes,
        },
    )
    return session


def _zone() -> ZoneInfo:
    return gym_timezone()


def _lock_scheduled(actor: Actor | None, session: Session) -> Session:
    if not can_manage_session(actor, session):
        raise ApplicationError(_("You cannot change this session."))
    session = Session.objects.select_for_update(of=("self",)).select_related("client").get(pk=session.pk)
    if not can_manage_session(actor, session):
        raise ApplicationError(_("You cannot change this session."))
    if session.status != SessionStatus.SCHEDULED:
        raise ApplicationError(
            _("This session is already %(status)s.") % {"status": session.get_status_display().lower()},
            {"code": "conflict"},
        )
    return session


def _consume_credit(session: Session, *, required: bool) -> bool:
    """Use one credit of the session's package (locked). ``required``: refuse when none is left; else skip."""
    if session.package_id is None:
        return False
    package = SessionPackage.objects.select_for_update().get(pk=session.package_id)
    if package.used_sessions >= package.total_sessions:
        if required:
            raise ApplicationError(
                _("The package “%(name)s” has no sessions left.") % {"name": package.name},
                {"field": "package", "code": "conflict"},
            )
        return False
    package.used_sessions += 1
    fields = ["used_sessions"]
    if package.used_sessions == package.total_sessions and package.status == PackageStatus.ACTIVE:
        package.status = PackageStatus.USED_UP
        fields.append("status")
    package.save(update_fields=fields)
    session.package = package
    return True


def _close(
    actor: Trainer,
    session: Session,
    status: str,
    *,
    used_credit: bool,
    action: str,
    summary: str,
    cancellation: str = "",
) -> Session:
    before = session.status
    session.status = status
    session.used_credit = used_credit
    session.cancellation = cancellation
    session.status_changed_at = timezone.now()
    session.save(update_fields=["status", "used_credit", "cancellation", "status_changed_at"])
    audit_record(
        actor=actor,
        action=action,
        target=session,
        summary=summary,
        changes={"status": [before, status], "used_credit": [False, used_credit]},
    )
    return session


def _check_started(session: Session, now: datetime) -> None:
    if session.starts_at > now:
        raise ApplicationError(_("This session has not started yet."))


@transaction.atomic
def session_complete(*, actor: Trainer, session: Session, now: datetime | None = None) -> Session:
    """Mark done; one credit of its package is used (refused when the package has none left)."""
    now = now or timezone.now()
    session = _lock_scheduled(actor, session)
    _check_started(session, now)
    used = _consume_credit(session, required=True)
    return _close(
        actor, session, SessionStatus.COMPLETED, used_credit=used, action="session.complete", summary=_("Completed.")
    )


@transaction.atomic
def session_no_show(*, actor: Trainer, session: Session, now: datetime | None = None) -> Session:
    """The client did not come; one credit of its package is used (refused when the package has none left)."""
    now = now or timezone.now()
    session = _lock_scheduled(actor, session)
    _check_started(session, now)
    used = _consume_credit(session, required=True)
    return _close(
        actor, session, SessionStatus.NO_SHOW, used_credit=used, action="session.no_show", summary=_("No-show.")
    )


def is_late_cancellation(session: Session, now: datetime) -> bool:
    """Less than the organization's window before the start (exactly the window ahead is still in time)."""
    hours = getattr(gym(), "late_cancellation_hours", 24) or 0
    return session.starts_at - now < timedelta(hours=hours)


@transaction.atomic
def session_cancel(
    *, actor: Trainer, session: Session, now: datetime | None = None, by_trainer: bool = False
) -> Session:
    """Cancel. A client's cancellation inside the late-cancellation window uses a credit when the package still has
    one; a cancellation by the trainer (``by_trainer``) never does, whenever it happens."""
    now = now or timezone.now()
    session = _lock_scheduled(actor, session)
    if by_trainer:
        return _close(
            actor,
            session,
            SessionStatus.CANCELLED,
            used_credit=False,
            action="session.cancel",
            summary=_("Cancelled by the trainer: no credit used."),
            cancellation=Cancellation.TRAINER,
        )
    late = is_late_cancellation(session, now)
    used = _consume_credit(session, required=False) if late else False
    if used:
        summary = _("Cancelled late: one credit used.")
    elif late and session.package_id:
        summary = _("Cancelled late; the package had no credit left to use.")
    else:
        summary = _("Cancelled in time: no credit used.")
    return _close(
        actor,
        session,
        SessionStatus.CANCELLED,
        used_credit=used,
        action="session.cancel",
        summary=summary,
        cancellation=Cancellation.LATE if late else Cancellation.CLIENT,
    )


__all__ = [
    "is_late_cancellation",
    "overlapping_sessions",
    "session_cancel",
    "session_complete",
    "session_no_show",
    "session_schedule",
]
