"""What the audit log says about sessions, packages and payments (see apps/audit/events.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext_lazy

from apps.audit.events import COUNT, DAY, MOMENT, MONEY, TEXT, Choice, Event, Legacy, register

from .models import SessionStatus

STATUS = Choice(SessionStatus)

register(
    Event(
        "session.schedule",
        _("Session of %(client)s with %(trainer)s scheduled for %(when)s (%(minutes)d minutes)."),
        {"client": TEXT, "trainer": TEXT, "when": MOMENT, "minutes": COUNT},
    ),
    Event(
        "session.reschedule",
        _("Moved from %(before)s (%(before_minutes)d minutes) to %(after)s (%(after_minutes)d minutes)."),
        {"before": MOMENT, "before_minutes": COUNT, "after": MOMENT, "after_minutes": COUNT},
    ),
    Event("session.edit", _("Session edited.")),
    Event("session.complete", _("Completed.")),
    Event("session.no_show", _("No-show.")),
    Event("session.undo", _("%(status)s undone."), {"status": STATUS}),
    Event(
        "session.undo_credit_back",
        _("%(status)s undone: the session holds its credit again."),
        {"status": STATUS},
        action="session.undo",
        legacy=[Legacy(gettext_noop("%(status)s undone: the credit went back to the package."))],
    ),
    Event("session.cancel_by_trainer", _("Cancelled by the trainer: no credit used."), action="session.cancel"),
    Event("session.cancel_late", _("Cancelled late: one credit used."), action="session.cancel"),
    Event(
        "session.cancel_late_no_credit",
        _("Cancelled late; the package had no credit left to use."),
        action="session.cancel",
    ),
    Event("session.cancel_in_time", _("Cancelled in time: no credit used."), action="session.cancel"),
    Event("payment.record", _("Payment of %(amount)s for “%(package)s”."), {"amount": MONEY, "package": TEXT}),
    Event("payment.refund", _("Refund of %(amount)s for “%(package)s”."), {"amount": MONEY, "package": TEXT}),
    Event(
        "package.sell",
        ngettext_lazy(
            "Package sold to %(client)s: %(sessions)d session for %(gross)s.",
            "Package sold to %(client)s: %(sessions)d sessions for %(gross)s.",
            "sessions",
        ),
        {"client": TEXT, "sessions": COUNT, "gross": MONEY},
        legacy=[
            Legacy(
                gettext_noop("Package sold to %(client)s: %(terms)s."),
                {"terms": gettext_noop("%(sessions)d sessions for %(gross)s")},
            )
        ],
    ),
    Event("package.cancel", _("Package cancelled.")),
    Event(
        "package.cancel_freeing",
        ngettext_lazy(
            "Package cancelled; %(count)d booked session no longer uses it.",
            "Package cancelled; %(count)d booked sessions no longer use it.",
            "count",
        ),
        {"count": COUNT},
        action="package.cancel",
    ),
    Event("calendar_feed.create", _("Calendar link made.")),
    Event("calendar_feed.regenerate", _("New calendar link; the previous one stopped working.")),
    Event("calendar_feed.full_names", _("Calendar shows full names."), action="calendar_feed.names"),
    Event("calendar_feed.short_names", _("Calendar shows first names and initials."), action="calendar_feed.names"),
    Event("package.expire", _("Package expired on %(day)s."), {"day": DAY}),
    Event("package.use_up", _("Package ended on %(day)s with no sessions left: used up."), {"day": DAY}),
    Event(
        "package.extend",
        _("Package extended by the gym's %(days)d-day extension: it now ends on %(day)s."),
        {"days": COUNT, "day": DAY},
    ),
)
