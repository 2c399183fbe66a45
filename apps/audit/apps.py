from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        # Each app declares its events in its own audit_events.py (they name its choices and models, which sit above
        # this app): load them all, as the admin finds admin.py, so that writing and reading know every event.
        autodiscover_modules("audit_events")
