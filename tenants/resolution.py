"""Host -> organization, cached so that a warm request spends no query on finding its gym.

Two layers: a small in-process map (entries trusted for TENANT_HOST_CACHE_SECONDS) and the shared
Django cache (Redis when configured). Saving an Organization or Domain clears both for its hosts
(tenants/signals.py); other processes notice within TENANT_HOST_CACHE_SECONDS.
"""

import threading
import time

from django.conf import settings
from django.core.cache import cache
from django_tenants.utils import get_public_schema_name, schema_context

from .models import Domain

_MISSING = "missing"
_local = {}
_local_lock = threading.Lock()


def _cache_key(hostname):
    return f"tenant-host:{hostname}"


def organization_for_host(hostname):
    """The Organization served on ``hostname``, or None. Unknown hosts are cached too."""
    now = time.monotonic()
    entry = _local.get(hostname)
    if entry is not None and entry[0] > now:
        return None if entry[1] == _MISSING else entry[1]
    organization = cache.get(_cache_key(hostname))
    if organization is None:
        domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
        organization = domain.tenant if domain else _MISSING
        cache.set(_cache_key(hostname), organization, timeout=3600)
    with _local_lock:
        _local[hostname] = (now + settings.TENANT_HOST_CACHE_SECONDS, organization)
    return None if organization == _MISSING else organization


def forget_hosts(hostnames):
    with _local_lock:
        for hostname in hostnames:
            _local.pop(hostname, None)
    # The cache's key function prefixes the connection's schema, and the entries were stored on the public schema
    # (the middleware resolves the host before it enters the gym's). A save inside a gym's schema (the owner's
    # settings page) must delete those entries, not the same names under its own schema's prefix.
    with schema_context(get_public_schema_name()):
        cache.delete_many([_cache_key(hostname) for hostname in hostnames])


def forget_all_local():
    with _local_lock:
        _local.clear()
