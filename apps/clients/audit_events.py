"""What the audit log says about clients (see apps/audit/events.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext_lazy

from apps.audit.events import COUNT, TEXT, Choice, Event, Legacy, register

from .models import Client

register(
    Event("client.create", _("Client of %(trainer)s added."), {"trainer": TEXT}),
    Event("client.update", _("Client details changed.")),
    Event("client.archive", _("Archived.")),
    Event("client.unarchive", _("Made active again.")),
    Event(
        "client.report_language",
        _("Reports in %(language)s."),
        {"language": Choice(Client._meta.get_field("report_language").choices or [])},
    ),
    Event(
        "client.screening_clearance",
        _("Health screening recorded: needs medical clearance."),
        action="client.screening",
    ),
    Event("client.screening_no_risk", _("Health screening recorded: no risk answered."), action="client.screening"),
    Event("client.view", _("Client record opened.")),
    Event("client.export", _("Everything about the client exported.")),
    Event(
        "client.export_csv",
        ngettext_lazy("%(count)d client exported to CSV.", "%(count)d clients exported to CSV.", "count"),
        {"count": COUNT},
        legacy=[Legacy(gettext_noop("%(count)d client(s) exported to CSV."))],
    ),
    Event("client.erase", _("Personal data erased.")),
)
