"""Run django-tenants' own ``migrate_schemas`` (not the project's) over some gyms; print timings as JSON.

Used by bench/migrate_noop.py as the baseline, in a subprocess of its own like a real command line:

    echo '{"schemas": ["gym_a", "gym_b"]}' | python bench/_django_tenants_migrate.py

This is ``manage.py migrate_schemas --noinput`` with django-tenants' ``MigrateSchemasCommand``: public
schema first, then every gym through its standard executor, system checks included. The only change is
that the gyms it iterates are limited to the given schemas (all gyms when the list is empty). Per-schema
times come from django-tenants' own ``schema_pre_migration`` / ``schema_migrated`` signals.
The last line of stdout is the JSON.
"""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import _common  # noqa: E402


def main():
    request = json.load(sys.stdin)
    started = time.perf_counter()
    _common.setup_django()
    from django_tenants.management.commands import migrate_schemas as django_tenants_migrate_schemas
    from django_tenants.signals import schema_migrated, schema_pre_migration
    from django_tenants.utils import get_public_schema_name, get_tenant_model

    schemas = request.get("schemas") or []
    if schemas:
        tenant_model = get_tenant_model()

        class SubsetOfTenants:
            objects = tenant_model.objects.filter(schema_name__in=schemas)

        django_tenants_migrate_schemas.get_tenant_model = lambda: SubsetOfTenants

    starts, seconds = {}, {}

    def pre(sender, schema_name, **kwargs):
        starts[schema_name] = time.perf_counter()

    def post(sender, schema_name, **kwargs):
        seconds[schema_name] = time.perf_counter() - starts[schema_name]

    schema_pre_migration.connect(pre, weak=False)
    schema_migrated.connect(post, weak=False)

    command_started = time.perf_counter()
    django_tenants_migrate_schemas.MigrateSchemasCommand().run_from_argv(["manage.py", "migrate_schemas", "--noinput"])
    finished = time.perf_counter()

    public = get_public_schema_name()
    tenant_seconds = [value for name, value in seconds.items() if name != public]
    print(
        json.dumps(
            {
                "setup_seconds": command_started - started,
                "command_seconds": finished - command_started,
                "public_seconds": seconds.get(public),
                "tenant_seconds": tenant_seconds,
            }
        )
    )


if __name__ == "__main__":
    main()
