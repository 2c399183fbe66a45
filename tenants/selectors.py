"""Reads of platform (public-schema) data."""

from .models import Organization


def organization_by_slug(slug: str | None) -> Organization | None:
    return Organization.objects.filter(slug=(slug or "").strip().lower()).first()
