"""Access checks shared by pages, function views and (coming) API views, all built on the apps' predicates.

A predicate is a plain function of the actor, ``can_use_packages(actor)``, or of the actor and an object,
``can_edit_client(actor, client)`` (each app's ``permissions.py``). The same predicates decide pages, buttons in
templates and API endpoints, so the rules live in one place. Refusals answer 404, like a missing page, so a
role learns nothing about what it may not use; a visitor who is not signed in is asked to sign in.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from tenants.models import Role


def has_role(*roles):
    """A predicate ``(actor) -> bool`` for views open to some roles: ``permission = has_role(Role.OWNER)``."""
    allowed = {Role(role) for role in roles}

    def predicate(actor):
        return actor is not None and actor.is_active and actor.role in allowed

    predicate.__name__ = "has_role_" + "_".join(sorted(allowed))
    return predicate


def actor_or_404(request, permission=None):
    """The signed-in, active trainer of this gym if ``permission`` (if any) allows them; else ``Http404``."""
    actor = getattr(request, "trainer", None)
    if actor is None or not actor.is_active:
        raise Http404
    if permission is not None and not permission(actor):
        raise Http404
    return actor


def object_or_404(actor, obj, permission=None):
    """``obj`` (already read through a scoped selector, None when not visible) if ``permission`` allows it."""
    if obj is None or (permission is not None and not permission(actor, obj)):
        raise Http404
    return obj


def trainer_required(permission=None):
    """Decorator for function views: sign-in, an active trainer of this gym, ``permission(actor)``.
    The view finds the actor on ``request.actor``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            request.actor = actor_or_404(request, permission)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
