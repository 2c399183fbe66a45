"""What the audit log says about the team, invitations, transfers and the gym's settings (see apps/audit/events.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from apps.audit.events import COUNT, TEXT, Choice, Event, Fields, Legacy, register
from tenants.models import Organization, Role

ROLE = Choice(Role)

register(
    Event("trainer.role_change", _("Role changed from %(old)s to %(new)s."), {"old": ROLE, "new": ROLE}),
    Event(
        "trainer.deactivate",
        # Two counts in one sentence: worded so that no plural form is needed.
        _("Deactivated. Sign-in sessions ended: %(sessions)d. Clients who need a trainer: %(clients)d."),
        {"sessions": COUNT, "clients": COUNT},
        legacy=[
            Legacy(
                gettext_noop(
                    "Deactivated; %(sessions)d sign-in session(s) ended, %(clients)d client(s) need a trainer."
                )
            )
        ],
    ),
    Event("trainer.reactivate", _("Reactivated.")),
    Event(
        "client.transfer",
        _("Transferred from %(old)s to %(new)s. Future sessions moved: %(sessions)d. Packages moved: %(packages)d."),
        {"old": TEXT, "new": TEXT, "sessions": COUNT, "packages": COUNT},
        legacy=[
            Legacy(
                gettext_noop(
                    "Transferred from %(old)s to %(new)s with %(sessions)d future session(s) and %(packages)d "
                    "package(s)."
                )
            )
        ],
    ),
    Event("invitation.create", _("Invited %(email)s as %(role)s."), {"email": TEXT, "role": ROLE}),
    Event("invitation.resend", _("Sent again with a new link.")),
    Event("invitation.revoke", _("Revoked.")),
    Event("invitation.accept", _("Joined as %(role)s."), {"role": ROLE}),
    Event(
        "organization.settings_update",
        _("Gym settings changed: %(fields)s."),
        {"fields": Fields(Organization)},
    ),
    Event("organization.setup_checklist_dismiss", _("Set-up checklist put away.")),
)
