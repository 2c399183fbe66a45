from django.utils.functional import cached_property

from .view_scope import can_switch_view, current_view_as, switchable_trainers


class ViewScope:
    """The switcher in the navigation; evaluated only when a template asks (pages without a nav pay nothing)."""

    def __init__(self, request):
        self.request = request
        self.actor = getattr(request, "trainer", None)

    @cached_property
    def available(self):
        return can_switch_view(self.actor)

    @cached_property
    def current(self):
        return current_view_as(self.request) if self.available else None

    @cached_property
    def choices(self):
        return list(switchable_trainers(actor=self.actor)) if self.available else []


def view_scope(request):
    return {"view_scope": ViewScope(request)}
