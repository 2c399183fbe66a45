"""Reads of API keys: the actor's own; the owner every key of the gym (to revoke them)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from apps.core.scoping import visible_object

from ..models import ApiKey


def api_keys_of(*, actor: Any) -> QuerySet[ApiKey]:
    """The keys the actor sees, newest first, with their trainer."""
    return ApiKey.objects.visible_to(actor).select_related("trainer__user").order_by("-created_at", "-pk")


def api_key_get(*, actor: Any, pk: Any) -> ApiKey | None:
    return visible_object(actor, ApiKey.objects.select_related("trainer__user"), pk)
