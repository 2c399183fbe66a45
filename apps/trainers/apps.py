from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainersConfig(AppConfig):
    name = "apps.trainers"
    label = "trainers"
    verbose_name = _("Trainers")
