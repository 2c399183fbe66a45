"""What the audit log says about assessments (see apps/audit/events.py)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.events import COUNT, SCORE, TEXT, Choice, Event, register

from .models import TestTypeChoices

TEST = Choice(TestTypeChoices)

register(
    Event(
        "assessment.create",
        _("Assessment of %(client)s, overall %(overall)s (scoring %(version)s)"),
        {"client": TEXT, "overall": SCORE, "version": TEXT},
    ),
    Event(
        "test_result.override",
        _("%(test)s: score %(computed)s overridden to %(score)s: %(reason)s"),
        {"test": TEST, "computed": SCORE, "score": COUNT, "reason": TEXT},
    ),
    Event("test_result.override_remove", _("%(test)s: back to the computed score"), {"test": TEST}),
    Event("assessment.report_details", _("Report details saved.")),
    Event(
        "assessment.rescore",
        _("Re-scored with the norms of version %(new)s (was %(old)s): overall %(before)s → %(after)s"),
        {"new": TEXT, "old": TEXT, "before": SCORE, "after": SCORE},
    ),
)
