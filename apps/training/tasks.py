"""Periodic jobs of the training app. The beat schedule (config/settings/base.py) starts the fan-out hourly,
so every gym passes its own midnight within the hour whatever its time zone."""

import logging

from celery import shared_task
from django.db import connection
from django_tenants.utils import tenant_context

from tenants.models import Organization, OrganizationStatus

from .reminders import CANCELLED, MOVED, notice_send, reminders_send
from .services.packages import packages_expire_run

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def expire_packages_in_gym():
    """Runs in the schema it was sent from (tenant-schemas-celery); the gym's own calendar (its row's timezone)
    decides the day and its policy whether a package with credits left expires or is extended once. Returns what it
    did, with the day it judged by."""
    run = packages_expire_run()
    if run.changed:
        logger.info(
            "%s: %d package(s) expired, %d extended, %d used up",
            connection.schema_name,
            run.expired,
            run.extended,
            run.used_up,
        )
    return {"day": run.day.isoformat(), "expired": run.expired, "extended": run.extended, "used_up": run.used_up}


@shared_task
def expire_packages_everywhere():
    """One small task per active gym, so that one slow or broken gym never holds up the others."""
    sent = 0
    for organization in Organization.objects.filter(status=OrganizationStatus.ACTIVE).order_by("pk").iterator():
        # The gym itself (not only its schema name) is the connection's tenant while sending, so that an eager
        # run (no broker configured) sees the gym's time zone as a worker would.
        with tenant_context(organization):
            expire_packages_in_gym.delay()
        sent += 1
    return sent


@shared_task(acks_late=True)
def send_reminders_in_gym():
    """The reminders due in the gym the task was sent from (``apps.training.reminders``: once per session)."""
    sent = reminders_send()
    if sent:
        logger.info("%s: %d reminder(s) sent", connection.schema_name, sent)
    return sent


@shared_task
def send_reminders_everywhere():
    """One small task per active gym (like ``expire_packages_everywhere``)."""
    sent = 0
    for organization in Organization.objects.filter(status=OrganizationStatus.ACTIVE).order_by("pk").iterator():
        with tenant_context(organization):
            send_reminders_in_gym.delay()
        sent += 1
    return sent


@shared_task(bind=True, acks_late=True, autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def send_session_notice(self, session_id, kind):
    """The client's mail that a session moved or was cancelled (queued on commit by the session services)."""
    if kind not in (MOVED, CANCELLED):
        raise ValueError(f"unknown notice {kind!r}")
    return notice_send(session_id=session_id, kind=kind)
