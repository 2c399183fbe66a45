"""Shared set-up for the benchmark scripts: Django, timing, percentiles, clean-up, the result line, subprocesses.

The scripts run against whatever ``DATABASE_URL`` says (``make bench`` uses the development database).
Everything a run creates carries a unique ``bench-<run id>-...`` slug and is removed again at the end,
including the pooled schemas it added, so the pool is left with as many schemas as it had.
"""

import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

REPO_ROOT = Path(__file__).resolve().parent.parent


def setup_django():
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    # A terminated run still cleans up: SIGTERM unwinds through the scripts' ``finally`` blocks.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    import django

    django.setup()


def require_migrated():
    """Stop unless public and template schemas are current: a stale template makes a meaningless run."""
    from django_tenants.utils import schema_exists

    from tenants import schema_factory

    template = schema_factory.template_schema_name()
    schemas = ["public", template] if schema_exists(template) else ["public"]
    behind = schema_factory.schemas_with_pending_migrations(schemas)
    if behind:
        sys.exit(f"Pending migrations in {', '.join(behind)}: run `python manage.py migrate` first.")


def log(message):
    """Progress goes to stderr: stdout ends with the one JSON line."""
    print(message, file=sys.stderr, flush=True)


def emit(result):
    """Print the result as exactly one line of JSON, the last line of stdout."""
    sys.stdout.flush()
    print(json.dumps(result), flush=True)


def run_id():
    return secrets.token_hex(3)


def now():
    return time.perf_counter()


def timed_ms(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, (time.perf_counter() - start) * 1000


def percentile(values, pct):
    """Percentile with linear interpolation between closest ranks (pct in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(values_ms):
    return {
        "p50_ms": round(percentile(values_ms, 50), 1),
        "p90_ms": round(percentile(values_ms, 90), 1),
        "min_ms": round(min(values_ms), 1),
        "max_ms": round(max(values_ms), 1),
        "mean_ms": round(statistics.fmean(values_ms), 1),
    }


def machine():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    return {"cpus": os.cpu_count(), "postgresql": server_version, "python": sys.version.split()[0]}


@contextmanager
def recording_build_paths():
    """Record which path (``"pool"`` or ``"clone"``) ``schema_factory.build_schema`` took for each gym."""
    from tenants import schema_factory

    original = schema_factory.build_schema
    paths = []

    def recording(schema_name):
        path = original(schema_name)
        paths.append(path)
        return path

    schema_factory.build_schema = recording
    try:
        yield paths
    finally:
        schema_factory.build_schema = original


@contextmanager
def no_synchronous_refill():
    """Keep the post-commit pool refill from building schemas inside the timed calls.

    Without REDIS_URL, Celery runs tasks eagerly, so ``refill_schema_pool.delay()`` fills the pool
    synchronously at the end of ``organization_provision``. In production it only queues a task. With a
    pool size of 0 the refill still runs its checks (three small queries) but builds nothing.
    """
    from django.test import override_settings

    with override_settings(TENANT_POOL_SIZE=0):
        yield


@contextmanager
def pool_hidden():
    """Make every pooled schema unavailable so that provisioning takes the clone fallback.

    A second connection holds ``FOR UPDATE`` locks on the current pool rows (the only ones
    ``build_schema`` considers, and never stale ones that the refill may delete); it claims with
    ``SKIP LOCKED`` and therefore sees an empty pool. Nothing is changed: the locks go with the rollback.
    """
    from django.db import connections

    from tenants import schema_factory
    from tenants.models import PooledSchema

    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM public.{PooledSchema._meta.db_table} WHERE fingerprint = %s FOR UPDATE",
                [schema_factory.migration_fingerprint()],
            )
        yield
    finally:
        other.rollback()
        other.close()


def pool_size():
    from tenants import schema_factory
    from tenants.models import PooledSchema

    return PooledSchema.objects.filter(fingerprint=schema_factory.migration_fingerprint()).count()


def fresh_connection():
    """Start the next phase on a new database connection, as a new worker process would.

    Template clones get slower the more of them one connection has made (django-tenants re-creates
    its clone functions on every call; see docs/benchmarks.md), so phases must not inherit that.
    """
    from django.db import connection

    connection.close()


def fill_pool_in_chunks(target, chunk=10):
    """``schema_factory.fill_pool`` up to ``target`` schemas, ``chunk`` at a time, each on a fresh connection."""
    from tenants import schema_factory

    built = 0
    while (current := pool_size()) < target:
        fresh_connection()
        built += schema_factory.fill_pool(min(target, current + chunk))
    fresh_connection()
    return built


def drop_schema(name):
    from django.db import connection
    from django_tenants.utils import quote_schema_name

    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {quote_schema_name(name)} CASCADE")


def cleanup(slugs, pool_names_before=None, pool_size_before=None):
    """Drop the schemas and rows of the bench's gyms; shrink the pool back to its size before the run."""
    from django.db import connection, transaction

    from tenants.models import Domain, Invitation, Organization, PooledSchema
    from tenants.validators import schema_name_for_slug

    connection.set_schema_to_public()
    slugs = list(slugs)
    schemas = set(Organization.objects.filter(slug__in=slugs).values_list("schema_name", flat=True))
    schemas.update(schema_name_for_slug(slug) for slug in slugs)
    for start in range(0, len(slugs), 500):
        chunk = slugs[start : start + 500]
        with transaction.atomic():
            Invitation.objects.filter(organization__slug__in=chunk).delete()
            Domain.objects.filter(tenant__slug__in=chunk).delete()
            # QuerySet.delete(), not Model.delete(): the schemas are dropped below, not by django-tenants.
            Organization.objects.filter(slug__in=chunk).delete()
    for name in sorted(schemas):
        drop_schema(name)
    dropped_pool = 0
    if pool_names_before is not None and pool_size_before is not None:
        added = list(
            PooledSchema.objects.exclude(schema_name__in=pool_names_before)
            .order_by("-created_at")
            .values_list("schema_name", flat=True)
        )
        surplus = PooledSchema.objects.count() - pool_size_before
        for name in added[: max(surplus, 0)]:
            with transaction.atomic():
                drop_schema(name)
                PooledSchema.objects.filter(schema_name=name).delete()
            dropped_pool += 1
    return {"schemas_dropped": len(schemas), "pool_schemas_dropped": dropped_pool}


def pool_snapshot():
    from tenants.models import PooledSchema

    names = list(PooledSchema.objects.values_list("schema_name", flat=True))
    return names, len(names)


# ------------------------------------------------------------------ processes (also used by tests/support.py)


def stop_process(process, grace=10):
    """Terminate a subprocess (SIGTERM, then SIGKILL after ``grace`` seconds) and reap it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=grace)


def free_port():
    """A TCP port on 127.0.0.1 that is free right now (for a server subprocess to bind)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    """A URL for the very database this process is connected to, for a server subprocess to use the same one.

    In a test process that is pytest-django's ``test_`` database, not the configured one.
    """
    from django.db import connection

    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db["HOST"] or "", safe="")  # a unix-socket directory becomes %2F...; dj-database-url decodes it
    port = f":{db['PORT']}" if db["PORT"] else ""
    url = f"postgresql://{credentials + '@' if credentials else ''}{host}{port}/{quote(db['NAME'], safe='')}"
    options = {key: value for key, value in (db.get("OPTIONS") or {}).items() if type(value) in (str, int)}
    return f"{url}?{urlencode(options)}" if options else url


def load_keepalive(port, path, headers, seconds, connections, expected=200):
    """Requests per second of ``GET path`` over ``connections`` threads, each with its own keep-alive HTTP
    connection, for ``seconds``; any answer other than ``expected`` stops the run with an error."""
    import http.client
    import threading

    counts, errors = [0] * connections, []
    stop_at = time.monotonic() + seconds

    def worker(index):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop_at:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != expected:
                errors.append(response.status)
                return
            counts[index] += 1
        connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{path}: {len(errors)} answers were not {expected} (first {errors[0]})")
    return sum(counts) / (time.monotonic() - started)
