"""Access checks for function views, built on the predicates (``apps.access`` and each app's ``permissions.py``).

A predicate is a plain function of the actor, ``can_use_packages(actor)``, or of the actor and an object,
``can_edit_client(actor, client)``. Refusals answer 404, like a missing page, so a role learns nothing about what it
may not use; a visitor who is not signed in is asked to sign in. The actor is ``request.actor``, set once per request
by ``apps.trainers.middleware.ActorMiddleware``.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

ActorPredicate = Callable[[Any], bool]
View = Callable[..., HttpResponse]


def actor_or_404(request: HttpRequest, permission: ActorPredicate | None = None) -> Any:
    """The request's actor (an active trainer of this gym) if ``permission`` (if any) allows them; else ``Http404``."""
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_active:
        raise Http404
    if permission is not None and not permission(actor):
        raise Http404
    return actor


def trainer_required(permission: ActorPredicate | None = None) -> Callable[[View], View]:
    """Decorator for function views: sign-in, an active trainer of this gym, ``permission(actor)``.
    The view finds the actor on ``request.actor``."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor_or_404(request, permission)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
