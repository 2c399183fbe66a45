"""The iCalendar form of a session (RFC 5545 / 5546), shared by the client's reminder mails and the trainers' feed.

* UID: ``session-<id>@<gym host>``, the same in every mail and in the feed, so a calendar application updates the
  event it already holds instead of adding another.
* SEQUENCE: the number of times the session moved (``len(previous_times)``; ``session_reschedule`` appends one entry
  per move), plus one for a cancellation. It only ever grows, as RFC 5546 asks, and needs no column of its own.
* Times are written in UTC (``...Z``), which every client reads; the mail's text gives the gym's local time.
"""

from datetime import UTC, datetime

from icalendar import Calendar, Event, vCalAddress

from .models import Session, SessionStatus

PRODUCT_ID = "-//Gym Platform//Sessions//EN"


def session_uid(session: Session, host: str) -> str:
    return f"session-{session.pk}@{host}"


def session_sequence(session: Session) -> int:
    """Moves so far, plus one once cancelled (a cancellation is a change the calendar must see as newer)."""
    return len(session.previous_times or []) + (1 if session.status == SessionStatus.CANCELLED else 0)


def _address(email: str, name: str = "") -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    return address


def session_event(
    session: Session,
    *,
    host: str,
    summary: str,
    description: str = "",
    location: str = "",
    organizer: tuple[str, str] | None = None,
    attendee: tuple[str, str] | None = None,
    stamp: datetime | None = None,
) -> Event:
    """The VEVENT of ``session``. ``organizer`` and ``attendee`` are (email, name); a cancelled session is
    STATUS:CANCELLED, any other CONFIRMED."""
    cancelled = session.status == SessionStatus.CANCELLED
    event = Event.new(
        uid=session_uid(session, host),
        sequence=session_sequence(session),
        stamp=stamp or datetime.now(UTC),
        start=session.starts_at.astimezone(UTC),
        end=session.ends_at.astimezone(UTC),
        summary=summary,
        description=description or None,
        location=location or None,
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if organizer is not None:
        event.add("organizer", _address(*organizer))
    if attendee is not None:
        address = _address(*attendee)
        address.params["ROLE"] = "REQ-PARTICIPANT"
        event.add("attendee", address)
    return event


def calendar(events: list[Event], *, method: str | None = None, name: str = "") -> Calendar:
    """A VCALENDAR around ``events``; ``method`` is REQUEST or CANCEL for mail (RFC 5546), None for a feed."""
    return Calendar.new(prodid=PRODUCT_ID, method=method, name=name or None, subcomponents=events)
