"""REST framework permission classes built on the same predicates as the pages (see apps/core/permissions.py).

    class PackageViewSet(...):
        permission_classes = [ActorPermission.of(can_use_packages, can_manage_package)]

``has_permission`` takes the request's actor (``request.actor``, set by ``ActorMiddleware`` for session
authentication; built the same way, by ``actor_for_user``, for a user the API authenticated otherwise) and asks the
predicate;
``has_object_permission`` asks the object predicate. Refusals answer 404 like the pages; a request without an actor
of this gym for its user (anonymous, deactivated, or a user of another gym) is "not authenticated".
"""

from django.http import Http404
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import BasePermission

from .middleware import actor_for_user


def api_actor(request):
    """The actor of the authenticated user: the middleware's when it ran for the same user, else built here."""
    user = getattr(request, "user", None)
    actor = getattr(request._request, "actor", None)
    if actor is not None and user is not None and actor.user_id == user.pk:
        return actor
    return actor_for_user(user)


class ActorPermission(BasePermission):
    predicate = None  # (actor) -> bool
    object_predicate = None  # (actor, obj) -> bool

    @classmethod
    def of(cls, predicate=None, object_predicate=None):
        """A permission class for ``predicate`` (the endpoint) and ``object_predicate`` (one object)."""
        name = "ActorPermission_" + "_".join(
            getattr(function, "__name__", "any") for function in (predicate, object_predicate) if function
        )
        return type(
            name,
            (cls,),
            {
                "predicate": staticmethod(predicate) if predicate else None,
                "object_predicate": staticmethod(object_predicate) if object_predicate else None,
            },
        )

    def has_permission(self, request, view):
        actor = api_actor(request)
        if actor is None:
            raise NotAuthenticated
        if self.predicate is not None and not self.predicate(actor):
            raise Http404
        request.actor = actor
        return True

    def has_object_permission(self, request, view, obj):
        if self.object_predicate is not None and not self.object_predicate(request.actor, obj):
            raise Http404
        return True
