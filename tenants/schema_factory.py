"""Build gym schemas without running the migration history for each new gym.

A schema named ``TENANT_TEMPLATE_SCHEMA`` is migrated like every gym, so it is always current.
New schemas come, fastest first, from:

1. the pool: empty schemas cloned from the template ahead of time, claimed with a row lock
   and renamed (``ALTER SCHEMA ... RENAME`` takes a few milliseconds);
2. a clone of the template (django-tenants' ``clone_schema``), when the pool has run dry.

Both are plain DDL inside the caller's transaction, so a failed provisioning leaves nothing.
See docs/architecture.md ("Provisioning") for the measurements behind this choice.
"""

import hashlib
import secrets
from functools import lru_cache

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django_tenants.clone import CloneSchema
from django_tenants.utils import quote_schema_name, schema_exists

from .models import PooledSchema

POOL_PREFIX = "pool_"


def template_schema_name():
    return settings.TENANT_TEMPLATE_SCHEMA


@lru_cache(maxsize=1)
def migrations_on_disk():
    """Every (app, name) migration the code knows: what a current schema has recorded."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(loader.graph.nodes)


def migration_fingerprint():
    keys = sorted(f"{app}.{name}" for app, name in migrations_on_disk())
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()


def schemas_with_pending_migrations(schema_names):
    """Which of ``schema_names`` miss a migration, decided in two queries whatever their number."""
    schema_names = list(schema_names)
    if not schema_names:
        return []
    expected = [f"{app}.{name}" for app, name in migrations_on_disk()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid "
            "WHERE c.relname = 'django_migrations' AND c.relkind = 'r' AND n.nspname = ANY(%s)",
            [schema_names],
        )
        with_table = {row[0] for row in cursor.fetchall()}
        complete = set()
        names = [name for name in schema_names if name in with_table]
        for start in range(0, len(names), 500):
            chunk = names[start : start + 500]
            union = " UNION ALL ".join(
                f"SELECT %s AS schema_name, app, name FROM {quote_schema_name(name)}.django_migrations"  # noqa: S608
                for name in chunk
            )
            cursor.execute(
                f"SELECT schema_name, count(DISTINCT app || '.' || name) FROM ({union}) applied "  # noqa: S608
                "WHERE app || '.' || name = ANY(%s) GROUP BY schema_name",
                [*chunk, expected],
            )
            complete.update(schema for schema, count in cursor.fetchall() if count == len(expected))
    return [name for name in schema_names if name not in complete]


def pooled_schema_names():
    return list(PooledSchema.objects.values_list("schema_name", flat=True))


def ensure_template():
    """Create and migrate the template schema if it does not exist yet."""
    name = template_schema_name()
    if not schema_exists(name):
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {quote_schema_name(name)}")
        call_command("migrate_schemas", schema_name=name, interactive=False, verbosity=0)
        connection.set_schema_to_public()


def _ensure_clone_function():
    """Install django-tenants' clone_schema() SQL function once, not before every clone.

    Reinstalling its thousands of lines on every call made each clone slower on a long-lived connection
    (170 ms for the first, 2.5 s for the 120th) and serialised concurrent clones.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' AND p.proname = 'clone_schema'"
        )
        if cursor.fetchone() is None:
            CloneSchema()._create_clone_schema_function()


def _clone_template(new_schema_name):
    connection.set_schema_to_public()
    _ensure_clone_function()
    if schema_exists(new_schema_name, case_sensitive=False):
        raise ValueError(f"schema {new_schema_name} already exists")
    with connection.cursor() as cursor:
        cursor.execute("SELECT public.clone_schema(%s, %s, 'DATA')", [template_schema_name(), new_schema_name])


def build_schema(schema_name):
    """Create ``schema_name`` as an empty, current gym schema. Returns "pool" or "clone".

    Must run inside the caller's transaction so that a later failure rolls the schema back.
    """
    assert connection.in_atomic_block, "build_schema must run inside the provisioning transaction"
    pooled = (
        PooledSchema.objects.select_for_update(skip_locked=True)
        .filter(fingerprint=migration_fingerprint())
        .order_by("created_at")
        .first()
    )
    if pooled is not None and schema_exists(pooled.schema_name):
        with connection.cursor() as cursor:
            cursor.execute(
                f"ALTER SCHEMA {quote_schema_name(pooled.schema_name)} RENAME TO {quote_schema_name(schema_name)}"
            )
        pooled.delete()
        return "pool"
    if pooled is not None:
        pooled.delete()
    ensure_template()
    _clone_template(schema_name)
    return "clone"


def fill_pool(size=None):
    """Top the pool up to ``size`` current schemas; drop pooled schemas built from an older template."""
    size = settings.TENANT_POOL_SIZE if size is None else size
    fingerprint = migration_fingerprint()
    ensure_template()
    if schemas_with_pending_migrations([template_schema_name()]):
        # New code, old template (deploy before migrate): clones would be tagged current but not be.
        return 0
    stale = PooledSchema.objects.exclude(fingerprint=fingerprint)
    for pooled in stale:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"DROP SCHEMA IF EXISTS {quote_schema_name(pooled.schema_name)} CASCADE")
            pooled.delete()
    created = 0
    while PooledSchema.objects.filter(fingerprint=fingerprint).count() < size:
        name = f"{POOL_PREFIX}{secrets.token_hex(6)}"
        with transaction.atomic():
            _clone_template(name)
            PooledSchema.objects.create(schema_name=name, fingerprint=fingerprint)
        created += 1
    return created


def mark_pool_current():
    """After migrate_schemas brought the pooled schemas up to date, record it."""
    pending = set(schemas_with_pending_migrations(pooled_schema_names()))
    current = [name for name in pooled_schema_names() if name not in pending]
    PooledSchema.objects.filter(schema_name__in=current).update(fingerprint=migration_fingerprint())
