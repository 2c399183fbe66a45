"""The base of every API view: rows come from a selector that takes the actor, objects through the one scoped
``get_object_or_404``; writes go to the services. A subclass that overrides ``get_queryset`` fails at import, so no
endpoint can read around ``visible_to``."""

import hashlib

import django_filters
from django.conf import settings
from django.http import Http404
from rest_framework import viewsets

from apps.core.scoping import get_object_or_404

from .. import idempotency
from ..exceptions import PreconditionFailed, RequestTooLarge


class ScopedViewSet(viewsets.GenericViewSet):
    #: ``(actor=, **selector_kwargs()) -> queryset``, already narrowed by ``visible_to(actor)``.
    selector = None
    #: What one object is read from: a scoped model or a callable returning a scoped queryset.
    object_source = None
    #: ``(actor, obj) -> bool`` for writes to one object; a refusal answers 404.
    object_permission = None
    #: ``(actor) -> bool``: who may use the endpoint at all (like a page's ``permission``); a refusal answers 404.
    actor_permission = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in ("get_queryset", "get_object"):
            if name in cls.__dict__:
                raise TypeError(f"{cls.__name__} overrides {name}: give a selector and an object_source instead")

    @property
    def actor(self):
        return self.request.actor

    def initial(self, request, *args, **kwargs):
        length = request.META.get("CONTENT_LENGTH") or 0
        if str(length).isdigit() and int(length) > settings.API_MAX_BODY_BYTES:
            raise RequestTooLarge
        super().initial(request, *args, **kwargs)

    def selector_kwargs(self):
        return {}

    # Idempotency-Key on every POST (apps/api/idempotency.py): claimed after authentication, answered at the end.
    def check_permissions(self, request):
        super().check_permissions(request)
        predicate = type(self).actor_permission
        if predicate is not None and not predicate(self.actor):
            raise Http404
        self._idempotency = idempotency.begin(request._request, self.actor) if request.method == "POST" else None

    def handle_exception(self, exc):
        if isinstance(exc, idempotency.Replay):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        idempotency.finish(getattr(self, "_idempotency", None), response)
        return response

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no actor
            return self.schema_model().objects.none()
        return type(self).selector(actor=self.actor, **self.selector_kwargs())

    def schema_model(self):
        return self.get_object_source().model

    def get_object_source(self):
        source = type(self).object_source
        return source._default_manager.all() if isinstance(source, type) else source()

    def get_object(self, permission=None):
        source = self.get_object_source()
        obj = get_object_or_404(self.actor, source, self.kwargs["pk"], permission=permission)
        self.check_object_permissions(self.request, obj)
        return obj

    def get_object_for_write(self):
        return self.get_object(permission=type(self).object_permission)


def etag_of(obj, fields=("updated_at",)):
    """A strong validator of one row: its id and a digest of the fields that change when it changes."""
    digest = hashlib.sha256(repr(tuple(getattr(obj, name) for name in fields)).encode()).hexdigest()[:16]
    return f'"{obj.pk}-{digest}"'


class ETagMixin:
    """Every response about one object carries its ``ETag``; a write with ``If-Match`` runs only if the row (locked)
    still has that tag, else 412 and nothing changes."""

    #: The fields whose change makes a new version of the row.
    etag_fields = ("updated_at",)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        obj = getattr(self, "_etag_object", None)
        if obj is not None and 200 <= response.status_code < 300:
            response["ETag"] = etag_of(obj, self.etag_fields)
        return response

    def tag(self, obj):
        self._etag_object = obj
        return obj

    def check_precondition(self, obj):
        """Inside the write's transaction: lock the row and compare its tag with ``If-Match``."""
        expected = self.request.headers.get("If-Match")
        if not expected:
            return obj
        locked = type(obj).objects.select_for_update(of=("self",)).get(pk=obj.pk)
        current = etag_of(locked, self.etag_fields)
        if expected.strip() != "*" and expected.strip() not in {current, f"W/{current}"}:
            raise PreconditionFailed
        return obj


def valid(request, serializer_class):
    """The request's body checked by ``serializer_class`` (every invalid field at once, as a 400), as a dict."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def stand_in(model, pk):
    """An unsaved stand-in for an id: the service reads the row itself, through what the actor may see, and
    refuses one the actor may not use exactly as on the pages."""
    return None if pk is None else model(pk=pk)


class IdFilter(django_filters.NumberFilter):
    """A filter on an id: a positive integer that fits the database, else a 400 naming the parameter."""

    field_class = django_filters.fields.forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)
