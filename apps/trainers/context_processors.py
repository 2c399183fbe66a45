from django.utils.functional import cached_property

from apps import access

from .models import Trainer


class ViewScope:
    """The switcher in the navigation; the choices are read only when a template asks (pages without a nav pay
    nothing)."""

    def __init__(self, request):
        self.actor = getattr(request, "actor", None)
        self.current = getattr(request, "view_as", None)

    @cached_property
    def available(self):
        return access.can_switch_view(self.actor)

    @cached_property
    def choices(self):
        return list(switchable_trainers(actor=self.actor)) if self.available else []


def switchable_trainers(*, actor):
    """Whom ``actor`` may view as (``apps.access.switchable_trainers``), active ones first, by name."""
    return (
        Trainer.objects.filter(access.switchable_trainers(actor))
        .select_related("user")
        .order_by("-is_active", "user__full_name", "user__email")
    )


def actor(request):
    """The signed-in trainer (``trainer``), what they may do (``can``) and the switcher (``view_scope``)."""
    current = getattr(request, "actor", None)
    return {"trainer": current, "can": access.Capabilities(current), "view_scope": ViewScope(request)}
