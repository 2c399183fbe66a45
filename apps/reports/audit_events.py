"""What the audit log says about reports (see apps/audit/events.py)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.events import DAY, TEXT, Event, register

register(
    Event("assessment.report_email", _("Report e-mailed to %(email)s."), {"email": TEXT}),
    Event("reports.export", _("Reports exported from %(first)s to %(last)s."), {"first": DAY, "last": DAY}),
)
