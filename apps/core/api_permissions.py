"""REST framework permission classes built on the same predicates as the pages (see apps/core/permissions.py).

    class PackageViewSet(...):
        permission_classes = [ActorPermission.of(can_use_packages, can_manage_package)]

``has_permission`` finds the active trainer of this gym behind the authenticated user (``request.actor``) and asks
the predicate; ``has_object_permission`` asks the object predicate. Refusals answer 404 like the pages; a
request without a signed-in trainer of this gym (anonymous, deactivated, or a user of another gym) is
"not authenticated" (401/403 as the authentication class decides).
"""

from django.http import Http404
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import BasePermission


def api_actor(request):
    """The active Trainer of the current gym for the request's user, or None. Reuses the page middleware's
    lookup when it ran for the same user (session authentication)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    trainer = getattr(request._request, "trainer", None)
    if trainer is None or trainer.user_id != user.pk:
        from apps.trainers.models import Trainer

        trainer = Trainer.objects.select_related("user").filter(user_id=user.pk).first()
    if trainer is None or not trainer.is_active:
        return None
    return trainer


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
