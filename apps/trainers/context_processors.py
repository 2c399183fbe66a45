from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

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


# The main navigation: (URL name, label, the capability it needs or None).
NAVIGATION = [
    ("dashboard", _("Dashboard"), None),
    ("client_list", _("Clients"), None),
    ("availability", _("Availability"), None),
    ("calendar", _("Calendar"), None),
    ("analytics", _("Analytics"), None),
    ("package_list", _("Packages"), "see_money"),
    ("pricing_list", _("Pricing"), "see_money"),
    ("team", _("Team"), "view_team"),
    ("gym_settings", _("Settings"), "is_owner"),
]


class NavLink:
    __slots__ = ("current", "label", "url")

    def __init__(self, url, label, current):
        self.url, self.label, self.current = url, label, current


class Navigation:
    """The links of the main navigation the actor's role may use, the request's page marked current; built once,
    when a template first reads it (issue 16: one loop in base.html instead of a condition and a ``{% url %}`` per
    link). Per request: it holds nothing of another user or gym."""

    def __init__(self, request, can):
        self.request, self.can = request, can

    @cached_property
    def links(self):
        links = []
        for name, label, needs in NAVIGATION:
            if needs is None or getattr(self.can, needs):
                url = reverse(name)
                links.append(NavLink(url, label, self.request.path == url))
        return links

    def __iter__(self):
        return iter(self.links)


def actor(request):
    """The signed-in trainer (``trainer``), what they may do (``can``), the main navigation (``navigation``) and
    the switcher (``view_scope``)."""
    current = getattr(request, "actor", None)
    can = access.Capabilities(current)
    return {"trainer": current, "can": can, "navigation": Navigation(request, can), "view_scope": ViewScope(request)}
