"""The one place where a package's credits change: hold, release, use, unuse (and what a package cancel needs).

A scheduled session on a package holds one credit (``Session.holds_credit``, counted in
``SessionPackage.booked_sessions``); closing it turns the hold into a use (``used_sessions``) or gives it back.
Every function locks the package row (``SELECT … FOR UPDATE``) before reading its counts, so two requests on one
package are serialised and the rule ``booked + used <= total`` is checked on the truth; the database's check
constraint ``package_booked_and_used_within_total`` is the last line if code ever skips this module.

The callers (``services.sessions``, ``services.packages``) lock the session row first, then call these: always
session before package, so two writers never wait on each other in opposite orders.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.errors import ApplicationError

from ..models import PackageStatus, Session, SessionPackage, SessionStatus


def lock_package(package: SessionPackage | int) -> SessionPackage:
    """The package's row, locked until the end of the transaction (re-locking in one transaction is free)."""
    return SessionPackage.objects.select_for_update(of=("self",)).get(pk=getattr(package, "pk", package))


def _own_hold(package: SessionPackage, session: Session | None) -> int:
    """1 when ``session`` already holds a credit of ``package`` (a move within the package keeps it)."""
    if session is None or not session.holds_credit or session.package_id != package.pk:
        return 0
    return 1


def check_bookable(package: SessionPackage, *, session: Session | None = None) -> None:
    """Refuse when ``package`` (locked) has no credit left to book for ``session`` (a new booking when None)."""
    taken = package.used_sessions + package.booked_sessions - _own_hold(package, session)
    if taken < package.total_sessions:
        return
    left = package.total_sessions - package.used_sessions
    if left <= 0:
        raise ApplicationError(_("This package has no sessions left."), {"field": "package", "code": "conflict"})
    raise ApplicationError(
        ngettext(
            "The %(count)d session left on this package is already booked (%(used)d of %(total)d used).",
            "All %(count)d sessions left on this package are already booked (%(used)d of %(total)d used).",
            left,
        )
        % {"count": left, "used": package.used_sessions, "total": package.total_sessions},
        {"field": "package", "code": "conflict"},
    )


def hold(session: Session, package: SessionPackage | int) -> SessionPackage:
    """``session`` (not saved yet, or locked) takes one credit of ``package``; refused when none is left to book.
    The caller saves ``session`` (``holds_credit``, ``package``)."""
    package = lock_package(package)
    if _own_hold(package, session):
        return package
    check_bookable(package, session=session)
    package.booked_sessions += 1
    package.save(update_fields=["booked_sessions"])
    session.package, session.holds_credit = package, True
    return package


def release(session: Session) -> None:
    """Give back the credit ``session`` holds (a cancellation that uses none, a move off its package)."""
    if not session.holds_credit or session.package_id is None:
        session.holds_credit = False
        return
    package = lock_package(session.package_id)
    package.booked_sessions = max(package.booked_sessions - 1, 0)
    package.save(update_fields=["booked_sessions"])
    session.package, session.holds_credit = package, False


def move(session: Session, package_id: int | None) -> None:
    """``session`` goes onto another package (or none): its hold moves with it; within the same package it stays."""
    if package_id == session.package_id:
        return
    lock_packages(session.package_id, package_id)
    release(session)
    if package_id is None:
        session.package = None
    else:
        hold(session, package_id)


def use(session: Session, *, required: bool) -> bool:
    """The session's credit is used (completed, no-show, late cancellation): its hold becomes a use. A booking that
    holds nothing (made before holds existed, on a full package) uses a free credit if there is one. When there is
    none: refused if ``required``, else nothing is used. Returns whether a credit was used."""
    if session.package_id is None:
        return False
    package = lock_package(session.package_id)
    if session.holds_credit:
        package.booked_sessions = max(package.booked_sessions - 1, 0)
    elif package.used_sessions + package.booked_sessions >= package.total_sessions:
        if required:
            raise ApplicationError(
                _("The package “%(name)s” has no sessions left.") % {"name": package.name},
                {"field": "package", "code": "conflict"},
            )
        return False
    package.used_sessions += 1
    fields = ["booked_sessions", "used_sessions"]
    if package.used_sessions == package.total_sessions and package.status == PackageStatus.ACTIVE:
        package.status = PackageStatus.USED_UP
        fields.append("status")
    package.save(update_fields=fields)
    session.package, session.holds_credit = package, False
    return True


def unuse(session: Session) -> bool:
    """Undo of a completion or no-show: the credit it used is held again by the session, scheduled once more (the sum
    booked + used does not change, so this can never overflow). A package used up by it becomes active again."""
    if not session.used_credit or session.package_id is None:
        return False
    package = lock_package(session.package_id)
    package.used_sessions = max(package.used_sessions - 1, 0)
    package.booked_sessions += 1
    fields = ["used_sessions", "booked_sessions"]
    if package.status == PackageStatus.USED_UP:
        package.status = PackageStatus.ACTIVE
        fields.append("status")
    package.save(update_fields=fields)
    session.package, session.holds_credit = package, True
    return True


def lock_packages(*packages: int | None) -> None:
    """Lock several packages at once, in the order of their ids, so that two moves in opposite directions (A to B,
    B to A) cannot deadlock."""
    ids = sorted({pk for pk in packages if pk is not None})
    if ids:
        list(SessionPackage.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk").values("pk"))


def lock_for_cancel(package: SessionPackage | int) -> tuple[SessionPackage, list[int], int]:
    """For a package cancel: the scheduled sessions on ``package`` (ids), then the package, locked in that order (the
    order every session service follows, session before package)."""
    package_id = getattr(package, "pk", package)
    scheduled = list(
        Session.objects.select_for_update()
        .filter(package_id=package_id, status=SessionStatus.SCHEDULED)
        .order_by("pk")
        .values_list("pk", "holds_credit")
    )
    locked = lock_package(package_id)
    return locked, [pk for pk, _holds in scheduled], sum(holds for _pk, holds in scheduled)


def release_package(package: SessionPackage, session_ids: list[int], held: int) -> int:
    """A cancelled package holds nothing: its scheduled sessions (``session_ids``, locked by ``lock_for_cancel``) give
    their ``held`` credits back and leave it; they stay booked, without a package. Returns how many left it."""
    moved = Session.objects.filter(pk__in=session_ids).update(package=None, holds_credit=False)
    if held:
        package.booked_sessions = max(package.booked_sessions - held, 0)
        package.save(update_fields=["booked_sessions"])
    return moved


__all__ = [
    "check_bookable",
    "hold",
    "lock_for_cancel",
    "lock_package",
    "lock_packages",
    "move",
    "release",
    "release_package",
    "unuse",
    "use",
]
