"""Scoped reads: the only ways tenant data with an owner is read.

Every tenant model that holds trainer data uses a queryset subclassing ``ScopedQuerySet`` and defines
``visible_to(actor)`` (on the rules of ``apps.access``). Selectors take the actor and always go through it; views
fetch one object from the URL with :func:`get_object_or_404` and lists with ``ScopedListView``
(tests/core/test_scoping.py checks the subclasses).
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Model, QuerySet
from django.http import Http404


class ScopedQuerySet(models.QuerySet[Any]):
    if TYPE_CHECKING:
        # Each subclass defines it (checked below). The actor is an ``apps.access.Actor``, which this layer cannot
        # import.
        def visible_to(self, actor: Any) -> Self: ...

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not callable(getattr(cls, "visible_to", None)):
            raise TypeError(f"{cls.__name__} must define visible_to(actor)")


def _scoped(source: type[Model] | QuerySet[Any, Any]) -> ScopedQuerySet:
    queryset = source._default_manager.all() if isinstance(source, type) else source.all()
    if not isinstance(queryset, ScopedQuerySet):
        raise TypeError(f"{source!r} is not scoped: its queryset must subclass ScopedQuerySet")
    return queryset


def as_pk(value: Any) -> int | None:
    """Ids in URLs are positive integers; anything else (text, absurd sizes) finds nothing."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk < 2**63 else None


def visible_object[M: Model](actor: object, source: type[M] | QuerySet[M, Any], pk: object) -> M | None:
    """The object ``pk`` of ``source`` (a model or a queryset of it) if ``actor`` may see it, else None.
    ``visible_to(actor)`` is applied here, so a caller cannot forget it."""
    pk = as_pk(pk)
    if pk is None:
        return None
    return _scoped(source).visible_to(actor).filter(pk=pk).first()


def get_object_or_404[A, M: Model](
    actor: A, source: type[M] | QuerySet[M, Any], pk: object, *, permission: Callable[[A, M], bool] | None = None
) -> M:
    """:func:`visible_object`, or ``Http404`` when it is not visible or ``permission(actor, obj)`` refuses: an
    object the actor may not see or touch answers exactly like one that does not exist."""
    found = visible_object(actor, source, pk)
    if found is None or (permission is not None and not permission(actor, found)):
        raise Http404
    return found
