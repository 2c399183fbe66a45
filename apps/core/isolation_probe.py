"""Probe middleware for the gym-isolation load test (tests/isolation/, bench/isolation_load.py).

Installed only by the ``ISOLATION_PROBE`` hook at the end of ``config/settings/test.py``, as the outermost
middleware, so it sees the database connection before ``OrganizationMiddleware`` has picked the gym and after
everything else (views, sessions, templates) has run. It adds to every response:

``X-Probe-Search-Path``
    the ``search_path`` of the thread's database connection at the end of the request, read on the raw DB-API
    connection (``connection.connection.cursor()``): django-tenants' cursor wrapper would first issue its own
    ``SET search_path``, so it could never show a wrong value. ``-`` when no connection is open.
``X-Probe-Search-Path-Before``
    the same at the start of the request: whatever the previous request on this (persistent) connection left.
    Seeing another gym's schema here proves that a connection really went from one gym to another.
``X-Probe-Backend-Pid``
    the PostgreSQL backend of that connection (``-`` if none), to count how many connections served the run.
``X-Probe-Schema``
    ``connection.schema_name`` at the end of the request (what the cache key function prefixes keys with).
``X-Probe-Cache-Seen``
    on a gym's host: what the shared cache held under the key ``isolation-probe`` *before* this request wrote
    ``<schema>|<host>`` there. The key goes through the configured ``KEY_FUNCTION`` (django-tenants'
    ``make_key``), like every other cache key of the application, so a request of gym B must only ever see
    ``-`` (nothing yet) or gym B's own entry, never one written while serving gym A.
"""

from django.core.cache import cache
from django.db import connection

CACHE_KEY = "isolation-probe"


def raw_search_path():
    """(search_path, backend pid) of the open connection, bypassing django-tenants; (None, None) if closed."""
    raw = connection.connection
    if raw is None or getattr(raw, "closed", False):
        return None, None
    try:
        with raw.cursor() as cursor:
            cursor.execute("SELECT current_setting('search_path'), pg_backend_pid()")
            return cursor.fetchone()
    except Exception as error:  # noqa: BLE001 (a broken connection is reported, not raised)
        return f"error: {type(error).__name__}", None


class SearchPathProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        before, _ = raw_search_path()
        response = self.get_response(request)
        seen = None
        if getattr(request, "tenant", None) is not None:
            seen = cache.get(CACHE_KEY)
            cache.set(CACHE_KEY, f"{connection.schema_name}|{request.get_host()}", timeout=600)
        after, pid = raw_search_path()
        response["X-Probe-Search-Path-Before"] = before or "-"
        response["X-Probe-Search-Path"] = after or "-"
        response["X-Probe-Backend-Pid"] = str(pid) if pid is not None else "-"
        response["X-Probe-Schema"] = connection.schema_name or "-"
        response["X-Probe-Cache-Seen"] = seen or "-"
        return response
