"""Periodic jobs of the analytics: the organization's long periods kept ready (``apps.analytics.snapshots``)."""

import logging

from celery import shared_task
from django_tenants.utils import tenant_context

from tenants.models import Organization, OrganizationStatus

from .snapshots import refresh_gym_snapshots

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def refresh_gym_analytics_in_gym():
    """Runs in the schema it was sent from (tenant-schemas-celery). Idempotent: it only overwrites the cache."""
    return refresh_gym_snapshots(only_wanted=True)


@shared_task
def refresh_gym_analytics_everywhere():
    """One small task per active gym, so that one slow gym never holds up the others."""
    sent = 0
    for organization in Organization.objects.filter(status=OrganizationStatus.ACTIVE).order_by("pk").iterator():
        with tenant_context(organization):
            refresh_gym_analytics_in_gym.delay()
        sent += 1
    return sent
