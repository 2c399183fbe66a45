"""The API's default permission: an active trainer of this gym is calling, and a read-only key only reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

if TYPE_CHECKING:  # rest_framework.views imports the settings that name this module
    from rest_framework.request import Request
    from rest_framework.views import APIView


class ReadOnlyKey(exceptions.PermissionDenied):
    default_detail = _("This API key is read-only. Create a read-write key to change data.")
    default_code = "read_only_key"


class ActorRequired(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        actor = getattr(request._request, "actor", None)
        if actor is None or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated
        key = getattr(request._request, "api_key", None)
        if key is not None and not key.writable and request.method not in SAFE_METHODS:
            raise ReadOnlyKey
        request.actor = actor  # type: ignore[attr-defined]  # DRF's Request takes the attribute, like Django's
        return True
