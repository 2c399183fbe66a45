"""Scheduling sessions and closing them (complete, cancel, no-show), with the package's credits.

* Double booking: every schedule locks the trainer's row (``SELECT … FOR UPDATE``) before looking for an
  overlapping session that is not cancelled, so two requests booking the same trainer at the same moment are
  serialised and the second one sees the first. (An exclusion constraint would need btree_gist, which the
  embedded PostgreSQL lacks.)
* Outside the trainer's availability (``trainer_is_available``) a booking needs ``confirm_unavailable=True``.
* Credits (``services.credits``, the one place they change): booking on a package holds one of its credits;
  completing and a no-show turn the hold into a use; a cancellation less than the organization's
  ``late_cancellation_hours`` before the start uses it too, an earlier one or the trainer's gives it back. The package
  row is locked before it is read, and a check constraint keeps ``booked + used <= total``, so two requests taking
  the last credit at once cannot both succeed: the second is told the package has no credit left.
* Rescheduling (``session_reschedule``) runs the booking's own checks on the new time and package, with the session
  itself left out of the clash; a move within its package keeps its hold, a move onto another package moves the hold.
  Each move is appended to ``previous_times``.
* Undo (``session_undo``): a completion or no-show can be taken back within ``UNDO_WINDOW`` of it; the credit it used
  is held again by the session. Field checks are collected (``FieldErrors``) so a form shows every field's error at
  once.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access import Actor, acts_for, can_own_clients, is_assistant
from apps.audit.services import audit_record, field_changes, snapshot
from apps.clients.models import Client
from apps.core.dates import format_date, format_time, gym_timezone
from apps.core.errors import ApplicationError, FieldErrors, clean_whole_number, full_clean_or_raise
from apps.trainers.models import Trainer
from apps.trainers.selectors.availability import trainer_is_available

from ..models import Cancellation, PackageStatus, Session, SessionPackage, SessionStatus
from ..permissions import can_manage_session, can_use_calendar
from ..reminders import CANCELLED, MOVED, notify_on_commit
from . import credits
from .common import gym

MIN_DURATION = 15
MAX_DURATION = 8 * 60
# How far back a session may be recorded and how far ahead booked.
MAX_PAST = timedelta(days=366)
MAX_AHEAD = timedelta(days=2 * 366)
MAX_NOTES = 2000
MAX_REASON = 200
# How long a trainer may take back a completion or a no-show (a slip of the finger, found the same day).
UNDO_WINDOW = timedelta(hours=24)


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


def _visible_client(actor: Actor | None, client: Client | int | None) -> Client:
    # The scoped queryset yields Any (ScopedQuerySet is a QuerySet[Any]): say what it finds.
    found = cast("Client | None", Client.objects.visible_to(actor).filter(pk=getattr(client, "pk", client)).first())
    if found is None:
        raise ApplicationError(_("Choose one of your clients."), {"field": "client"})
    return found


def _check_trainer(actor: Actor | None, trainer: Trainer | None, client: Client) -> Trainer:
    if trainer is None:
        trainer = client.trainer
    if not acts_for(actor, trainer.pk):
        if is_assistant(actor):
            raise ApplicationError(_("Choose one of the trainers you assist."), {"field": "trainer"})
        raise ApplicationError(_("You can only schedule your own sessions."), {"field": "trainer"})
    return trainer


def _clean_start(starts_at: datetime | None, now: datetime) -> datetime:
    if starts_at is None or timezone.is_naive(starts_at):
        raise ApplicationError(_("Enter the date and time of the session."), {"field": "starts_at"})
    if starts_at < now - MAX_PAST:
        raise ApplicationError(_("A session can be recorded at most a year back."), {"field": "starts_at"})
    if starts_at > now + MAX_AHEAD:
        raise ApplicationError(_("A session can be booked at most two years ahead."), {"field": "starts_at"})
    return starts_at


def clean_session_times(*, duration_minutes: object = None, starts_at: datetime | None = None) -> None:
    """The single-field rules of a session's time, for a form whose other fields Django refused: what was given
    (parsed) is checked, and every complaint is reported together."""
    errors = FieldErrors()
    if duration_minutes is not None:
        errors.check("duration_minutes", _clean_duration, duration_minutes)
    if starts_at is not None:
        errors.check("starts_at", _clean_start, starts_at, timezone.now())
    errors.raise_if_any()


def _clean_notes(notes: object) -> str:
    text = str(notes or "").strip()
    if len(text) > MAX_NOTES:
        raise ApplicationError(_("Use at most %(limit)d characters.") % {"limit": MAX_NOTES}, {"field": "notes"})
    return text


def _locked_active_trainer(trainer: Trainer) -> Trainer:
    # The lock that serialises every booking of this trainer (see the module's doc).
    trainer = Trainer.objects.locked(trainer)
    if not trainer.is_active or not can_own_clients(trainer):
        raise ApplicationError(_("Choose an active trainer."), {"field": "trainer"})
    return trainer


def _bookable_package(
    package: SessionPackage | int,
    *,
    client: Client,
    starts_at: datetime,
    session: Session | None = None,
    needs_credit: bool = True,
) -> SessionPackage:
    """The client's package, locked, with a credit left to book for one more booking (``session`` itself, when it is
    moved within the package, keeps the credit it holds). ``needs_credit=False``: a move within the package, which
    keeps what the session holds (or does not hold) and only checks the package's state and expiry."""
    # Locked so that two bookings on one package (with different trainers) cannot both take its last credit.
    found = (
        SessionPackage.objects.select_for_update(of=("self",))
        .filter(pk=getattr(package, "pk", package), client=client)
        .first()
    )
    if found is None:
        raise ApplicationError(_("Choose a package of this client."), {"field": "package"})
    if found.status != PackageStatus.ACTIVE:
        raise ApplicationError(_("This package is not active."), {"field": "package", "code": "conflict"})
    if needs_credit:
        credits.check_bookable(found, session=session)
    session_day = starts_at.astimezone(_zone()).date()
    if found.expires_on is not None and session_day > found.expires_on:
        raise ApplicationError(
            _("This package expires on %(day)s, before the session.") % {"day": format_date(found.expires_on)},
            {"field": "package"},
        )
    return found


def _check_free(trainer: Trainer, starts_at: datetime, ends_at: datetime, session: Session | None = None) -> None:
    """Refuse a time at which ``trainer`` already has another session (not cancelled)."""
    clashes = overlapping_sessions(
        trainer=trainer, starts_at=starts_at, ends_at=ends_at, exclude_pk=session.pk if session else None
    )
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


def _check_available(trainer: Trainer, starts_at: datetime, ends_at: datetime, *, confirmed: bool) -> None:
    if not confirmed and not trainer_is_available(trainer=trainer, starts_at=starts_at, ends_at=ends_at):
        raise ApplicationError(
            _("%(trainer)s is not available at that time. Book anyway?") % {"trainer": trainer.display_name},
            {"field": "confirm_unavailable", "code": "unavailable"},
        )


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
    """Book ``client`` with ``trainer`` (default: the client's) at ``starts_at`` (aware) for ``duration_minutes``.

    The field rules (client, trainer, time, duration) are all checked before any is reported; then, with the
    trainer locked, the package, a clash with another session and last the trainer's availability."""
    if not can_use_calendar(actor):
        raise ApplicationError(_("You cannot schedule sessions."))
    errors = FieldErrors()
    found_client = errors.check("client", _visible_client, actor, client)
    chosen = errors.check("trainer", _check_trainer, actor, trainer, found_client) if found_client else None
    start = errors.check("starts_at", _clean_start, starts_at, timezone.now())
    minutes = errors.check("duration_minutes", _clean_duration, duration_minutes)
    errors.raise_if_any()
    # Each is set: raise_if_any() returns only when every check passed.
    client, start, minutes = cast(Client, found_client), cast(datetime, start), cast(int, minutes)
    ends_at = start + timedelta(minutes=minutes)

    trainer = _locked_active_trainer(cast(Trainer, chosen))
    booked_package = None
    if package is not None:
        booked_package = errors.check("package", _bookable_package, package, client=client, starts_at=start)
    errors.check("starts_at", _check_free, trainer, start, ends_at)
    errors.raise_if_any()
    _check_available(trainer, start, ends_at, confirmed=confirm_unavailable)

    session = Session(
        client=client,
        trainer=trainer,
        package=booked_package,
        starts_at=start,
        duration_minutes=minutes,
        status=SessionStatus.SCHEDULED,
    )
    full_clean_or_raise(session)
    if booked_package is not None:
        credits.hold(session, booked_package)
    session.save()
    audit_record(
        actor=actor,
        event="session.schedule",
        target=session,
        params={"client": str(client), "trainer": trainer.display_name, "when": start, "minutes": minutes},
    )
    return session


_UNCHANGED: Any = object()


@transaction.atomic
def session_reschedule(
    *,
    actor: Trainer,
    session: Session,
    starts_at: datetime | None = _UNCHANGED,
    duration_minutes: int | str = _UNCHANGED,
    package: SessionPackage | int | None = _UNCHANGED,
    notes: str = _UNCHANGED,
    confirm_unavailable: bool = False,
) -> Session:
    """Move or edit a scheduled session: its time, duration, package (None: none) or notes; what is not given stays.

    The same rules as booking apply to the new time and package (the session itself does not clash with its old
    time nor count against its package). Each move appends the previous time to ``previous_times``; the audit entry
    holds every change."""
    session = _lock_scheduled(actor, session)
    errors = FieldErrors()
    start = session.starts_at
    if starts_at is not _UNCHANGED:
        start = errors.check("starts_at", _clean_start, starts_at, timezone.now()) or start
    minutes = session.duration_minutes
    if duration_minutes is not _UNCHANGED:
        minutes = errors.check("duration_minutes", _clean_duration, duration_minutes) or minutes
    new_notes = session.notes
    if notes is not _UNCHANGED:
        new_notes = errors.check("notes", _clean_notes, notes) or ""
    errors.raise_if_any()
    package_id = cast("int | None", session.package_id if package is _UNCHANGED else getattr(package, "pk", package))
    moved = (start, minutes) != (session.starts_at, session.duration_minutes)
    new_package = package_id != session.package_id
    ends_at = start + timedelta(minutes=minutes)

    if new_package:
        # Both packages locked now, in id order, before the checks below lock the new one (see credits.move).
        credits.lock_packages(session.package_id, package_id)
    if moved:
        trainer = _locked_active_trainer(session.trainer)
        errors.check("starts_at", _check_free, trainer, start, ends_at, session)
    if package_id is not None and (new_package or moved):
        errors.check(
            "package",
            _bookable_package,
            package_id,
            client=session.client,
            starts_at=start,
            session=session,
            needs_credit=new_package,
        )
    errors.raise_if_any()
    if moved:
        _check_available(session.trainer, start, ends_at, confirmed=confirm_unavailable)

    fields = ("starts_at", "duration_minutes", "package_id", "notes")
    before = snapshot(session, fields)
    if moved:
        session.previous_times = [
            *session.previous_times,
            {"starts_at": session.starts_at.isoformat(), "duration_minutes": session.duration_minutes},
        ]
    session.starts_at, session.duration_minutes = start, minutes
    session.notes = new_notes
    if not field_changes(session, before, fields) and not new_package:
        return session
    credits.move(session, package_id)
    changes = field_changes(session, before, fields)
    full_clean_or_raise(session)
    session.save(update_fields=[*(name for name in fields if name in changes), "previous_times", "holds_credit"])
    params = {}
    if moved:
        notify_on_commit(session, MOVED)  # issue 15: the client's notice of the new time
        params = {
            "before": before["starts_at"],
            "before_minutes": before["duration_minutes"],
            "after": start,
            "after_minutes": minutes,
        }
    audit_record(
        actor=actor,
        event="session.reschedule" if moved else "session.edit",
        target=session,
        params=params,
        changes=changes,
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


def _close(
    actor: Trainer,
    session: Session,
    status: str,
    *,
    used_credit: bool,
    event: str,
    cancellation: str = "",
    reason: str = "",
    notes: str | None = None,
) -> Session:
    before = session.status
    session.status = status
    session.used_credit = used_credit
    session.cancellation = cancellation
    session.cancellation_reason = reason
    session.status_changed_at = timezone.now()
    fields = ["status", "used_credit", "holds_credit", "cancellation", "cancellation_reason", "status_changed_at"]
    changes: dict[str, Any] = {"status": [before, status], "used_credit": [False, used_credit]}
    if reason:
        changes["cancellation_reason"] = ["", reason]
    if notes is not None and notes != session.notes:
        changes["notes"] = [session.notes, notes]
        session.notes = notes
        fields.append("notes")
    session.save(update_fields=fields)
    audit_record(actor=actor, event=event, target=session, changes=changes)
    return session


def _check_started(session: Session, now: datetime) -> None:
    if session.starts_at > now:
        raise ApplicationError(_("This session has not started yet."))


@transaction.atomic
def session_complete(
    *, actor: Trainer, session: Session, now: datetime | None = None, notes: str | None = None
) -> Session:
    """Mark done, with the trainer's ``notes`` if given (None keeps those written before); one credit of its package is
    used (refused when the package has none left)."""
    now = now or timezone.now()
    errors = FieldErrors()
    cleaned_notes = errors.check("notes", _clean_notes, notes) if notes is not None else None
    errors.raise_if_any()
    session = _lock_scheduled(actor, session)
    _check_started(session, now)
    used = credits.use(session, required=True)
    return _close(
        actor,
        session,
        SessionStatus.COMPLETED,
        used_credit=used,
        event="session.complete",
        notes=cleaned_notes,
    )


@transaction.atomic
def session_no_show(*, actor: Trainer, session: Session, now: datetime | None = None) -> Session:
    """The client did not come; one credit of its package is used (refused when the package has none left)."""
    now = now or timezone.now()
    session = _lock_scheduled(actor, session)
    _check_started(session, now)
    used = credits.use(session, required=True)
    return _close(actor, session, SessionStatus.NO_SHOW, used_credit=used, event="session.no_show")


def undo_deadline(session: Session) -> datetime | None:
    """Until when a completion or no-show of ``session`` can be undone; None when there is nothing to undo."""
    if session.status not in (SessionStatus.COMPLETED, SessionStatus.NO_SHOW) or session.status_changed_at is None:
        return None
    return session.status_changed_at + UNDO_WINDOW


def can_undo(session: Session, now: datetime | None = None) -> bool:
    deadline = undo_deadline(session)
    return deadline is not None and (now or timezone.now()) <= deadline


@transaction.atomic
def session_undo(*, actor: Trainer, session: Session, now: datetime | None = None) -> Session:
    """Take back a completion or a no-show within ``UNDO_WINDOW``: the session is scheduled again and the credit it
    used goes back to its package (a package used up by it becomes active again). Audited."""
    now = now or timezone.now()
    if not can_manage_session(actor, session):
        raise ApplicationError(_("You cannot change this session."))
    session = Session.objects.select_for_update(of=("self",)).select_related("client").get(pk=session.pk)
    deadline = undo_deadline(session)
    if deadline is None:
        raise ApplicationError(_("Only a completed session or a no-show can be undone."), {"code": "conflict"})
    if now > deadline:
        raise ApplicationError(
            _("This session was marked %(status)s more than 24 hours ago, so it can no longer be undone.")
            % {"status": session.get_status_display().lower()},
            {"code": "conflict"},
        )
    before = session.status
    restored = credits.unuse(session)
    session.status = SessionStatus.SCHEDULED
    session.used_credit = False
    session.status_changed_at = now
    session.save(update_fields=["status", "used_credit", "holds_credit", "status_changed_at"])
    audit_record(
        actor=actor,
        event="session.undo_credit_back" if restored else "session.undo",
        target=session,
        params={"status": before},
        changes={"status": [before, SessionStatus.SCHEDULED], "used_credit": [restored, False]},
    )
    return session


def is_late_cancellation(session: Session, now: datetime) -> bool:
    """Less than the organization's window before the start (exactly the window ahead is still in time)."""
    return session.starts_at - now < timedelta(hours=late_cancellation_hours())


def late_cancellation_hours() -> int:
    return getattr(gym(), "late_cancellation_hours", 24) or 0


@dataclass(frozen=True)
class CancellationTerms:
    """What cancelling ``session`` now would cost, told before the user confirms: ``late`` inside the gym's window,
    ``client_cost`` credits (0 or 1) if the client cancels; a trainer's cancellation never costs one."""

    late: bool
    window_hours: int
    client_cost: int
    package_name: str

    @property
    def message(self) -> str:
        if not self.late:
            return _("This is more than %(hours)d hours before the start: cancelling uses no credit.") % {
                "hours": self.window_hours
            }
        if self.client_cost:
            return _(
                "This is a late cancellation (less than %(hours)d hours before the start): if the client cancels, "
                "one credit of “%(package)s” is used. If you call it off, no credit is used."
            ) % {"hours": self.window_hours, "package": self.package_name}
        return _(
            "This is a late cancellation (less than %(hours)d hours before the start), but no credit is used: "
            "the session has no package with a credit left."
        ) % {"hours": self.window_hours}


def cancellation_terms(session: Session, now: datetime | None = None) -> CancellationTerms:
    """What ``session_cancel`` would do now (reads the package's credits; no lock, it only informs)."""
    now = now or timezone.now()
    late = is_late_cancellation(session, now)
    package = session.package
    has_credit = package is not None and (
        session.holds_credit or package.used_sessions + package.booked_sessions < package.total_sessions
    )
    return CancellationTerms(
        late=late,
        window_hours=late_cancellation_hours(),
        client_cost=1 if late and has_credit else 0,
        package_name=package.name if package is not None else "",
    )


@transaction.atomic
def session_cancel(
    *, actor: Trainer, session: Session, now: datetime | None = None, by_trainer: bool = False, reason: str = ""
) -> Session:
    """Cancel, with an optional ``reason``. A client's cancellation inside the late-cancellation window uses a credit
    when the package still has one; a cancellation by the trainer (``by_trainer``) never does, whenever it happens."""
    now = now or timezone.now()
    errors = FieldErrors()
    reason = errors.check("reason", _clean_reason, reason) or ""
    errors.raise_if_any()
    session = _lock_scheduled(actor, session)
    notify_on_commit(session, CANCELLED)  # issue 15: sent after commit only, so a refusal below sends nothing
    if by_trainer:
        credits.release(session)
        return _close(
            actor,
            session,
            SessionStatus.CANCELLED,
            used_credit=False,
            event="session.cancel_by_trainer",
            cancellation=Cancellation.TRAINER,
            reason=reason,
        )
    late = is_late_cancellation(session, now)
    used = credits.use(session, required=False) if late else False
    if not used:
        credits.release(session)
    if used:
        event = "session.cancel_late"
    elif late and session.package_id:
        event = "session.cancel_late_no_credit"
    else:
        event = "session.cancel_in_time"
    return _close(
        actor,
        session,
        SessionStatus.CANCELLED,
        used_credit=used,
        event=event,
        cancellation=Cancellation.LATE if late else Cancellation.CLIENT,
        reason=reason,
    )


def _clean_reason(value: object) -> str:
    reason = " ".join(str(value or "").split())
    if len(reason) > MAX_REASON:
        raise ApplicationError(_("Use at most %(limit)d characters.") % {"limit": MAX_REASON}, {"field": "reason"})
    return reason


__all__ = [
    "CancellationTerms",
    "can_undo",
    "cancellation_terms",
    "is_late_cancellation",
    "overlapping_sessions",
    "session_cancel",
    "session_complete",
    "session_no_show",
    "session_reschedule",
    "session_schedule",
    "session_undo",
    "undo_deadline",
]
