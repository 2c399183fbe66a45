"""The actor, built once per request: the signed-in, active trainer of this gym (``request.actor``).

Pages, the API's session authentication and the switcher all read ``request.actor``; nothing else looks the trainer
up. A signed-in user whose trainer is missing or deactivated is signed out on the spot.
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from apps import access

from .models import Trainer


def actor_for_user(user):
    """The active trainer behind ``user`` in the current gym's schema, or None. One query; ``user`` is reused."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    trainer = Trainer.objects.filter(user_id=user.pk).first()
    if trainer is None or not access.is_active_member(trainer):
        return None
    trainer.user = user  # already loaded by the auth middleware: no second query
    return trainer


def view_as_for(request):
    """The trainer chosen in the switcher, checked again against what the actor may pick, or None (all the actor
    sees). A choice that is no longer allowed (forged, a link since removed) is forgotten. One query when set."""
    chosen = access.switcher_choice(request.session) if hasattr(request, "session") else None
    if chosen is None:
        return None
    trainer = (
        Trainer.objects.filter(access.switchable_trainers(request.actor))
        .select_related("user")
        .filter(pk=chosen)
        .first()
    )
    if trainer is None:
        access.remember_switcher_choice(request.session, None)
    return trainer


def set_view_as(request, trainer):
    """Keep the switcher's choice (``trainer`` already checked against ``switchable_trainers``) or clear it."""
    access.remember_switcher_choice(request.session, None if trainer is None else trainer.pk)
    request.view_as = trainer


class ActorMiddleware:
    """Set ``request.actor`` and ``request.view_as`` (the switcher's trainer; a query only when one is chosen)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = None
        if getattr(request, "tenant", None) is not None and request.user.is_authenticated:
            request.actor = actor_for_user(request.user)
            if request.actor is None:
                logout(request)
                messages.error(request, _("Your access to this gym has ended. Ask the owner if this is a mistake."))
                return redirect("account_login")
        request.view_as = view_as_for(request) if request.actor is not None else None
        return self.get_response(request)
