from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"

    def ready(self):
        from django.db.models import fields
        from django.utils.translation import gettext_lazy as _

        # Django's own "- Select an option -" (the empty choice of every select) has no Korean translation in
        # Django's catalogue; ours does. Django reads this name each time it builds an empty choice.
        fields.BLANK_CHOICE_LABEL = _("Choose…")
