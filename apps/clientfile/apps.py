from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientFileConfig(AppConfig):
    name = "apps.clientfile"
    label = "clientfile"
    verbose_name = _("Client files")
