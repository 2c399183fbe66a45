"""The trainer switcher ("view as"): whose data the lists, calendar, dashboard and exports show.

The owner views all trainers or one; an assistant all the trainers they assist or one of them; everyone else
always sees their own. The choice is kept in the browser session and checked again on every request, so a
forged or stale choice (a trainer the actor may not pick, a link since removed) is dropped and widens nothing.
Switching narrows lists only; what the actor may open or change is still decided by ``visible_to`` and the
predicates.
"""

from tenants.models import Role

from .models import Trainer
from .selectors.assistants import assisted_trainers

SESSION_KEY = "view_as_trainer_id"


def can_switch_view(actor):
    if actor is None or not actor.is_active:
        return False
    return actor.role == Role.OWNER or (actor.role == Role.ASSISTANT and bool(actor.assisted_trainer_ids))


def switchable_trainers(*, actor):
    """Whom ``actor`` may view as: the owner anyone who owns clients (deactivated ones too, whose clients wait for
    a transfer), an assistant the active trainers they assist."""
    if not can_switch_view(actor):
        return Trainer.objects.none()
    if actor.role == Role.ASSISTANT:
        return assisted_trainers(actor=actor)
    return (
        Trainer.objects.exclude(role=Role.ASSISTANT)
        .select_related("user")
        .order_by("-is_active", "user__full_name", "user__email")
    )


def current_view_as(request):
    """The trainer the request's lists are narrowed to, or None (all the actor sees). Kept on the request."""
    if not hasattr(request, "_view_as"):
        request._view_as = None
        actor = getattr(request, "trainer", None)
        chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if chosen is not None:
            trainer = switchable_trainers(actor=actor).filter(pk=chosen).first() if isinstance(chosen, int) else None
            if trainer is None:
                del request.session[SESSION_KEY]  # no longer allowed: back to everything the actor sees
            request._view_as = trainer
    return request._view_as


def set_view_as(request, trainer):
    """Keep the choice for the browser session (``trainer`` already checked against ``switchable_trainers``)."""
    if trainer is None:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = trainer.pk
    request._view_as = trainer
