"""Access checks for function views, built on the predicates (``apps.access`` and each app's ``permissions.py``).

A predicate is a plain function of the actor, ``can_use_packages(actor)``, or of the actor and an object,
``can_edit_client(actor, client)``. A page whose predicate of the actor refuses is one the actor's role can never
use (Packages for an assistant, Team for a trainer): it answers 403 with a friendly "not available for your role"
page (templates/403.html), whatever ids the URL holds, so the answer tells nothing about any object. Objects the
actor may not see still answer 404, like missing ones (``apps.core.scoping``). A visitor who is not signed in is
asked to sign in. The actor is ``request.actor``, set once per request by ``apps.trainers.middleware.ActorMiddleware``.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

ActorPredicate = Callable[[Any], bool]
View = Callable[..., HttpResponse]


class NotForYourRole(PermissionDenied):
    """The page is one the actor's role may not use (answered by templates/403.html)."""


def page_actor(request: HttpRequest, permission: ActorPredicate | None = None) -> Any:
    """The request's actor (an active trainer of this gym) if ``permission`` (if any) allows them.

    No active trainer: ``Http404``. ``permission`` refuses: :class:`NotForYourRole` (403).
    """
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_active:
        raise Http404
    if permission is not None and not permission(actor):
        raise NotForYourRole
    return actor


def trainer_required(permission: ActorPredicate | None = None) -> Callable[[View], View]:
    """Decorator for function views: sign-in, an active trainer of this gym, ``permission(actor)``.
    The view finds the actor on ``request.actor``."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            page_actor(request, permission)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
