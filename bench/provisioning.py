"""How long does it take to provision a gym? Pool claim vs template clone vs django-tenants' default.

Three ways, N gyms each (``--n``, default 20), in one run:

* pool:     ``organization_provision`` with the pool filled ahead of time (``schema_factory.fill_pool``,
            background work in production; its time is reported per schema but not counted per gym);
* clone:    ``organization_provision`` with the pool empty, so the schema is cloned from the template;
* baseline: the default django-tenants way: the Organization saved with ``auto_create_schema`` on, i.e.
            ``CREATE SCHEMA`` + ``migrate_schemas --schema=<name>`` (the whole migration history), plus
            the same Domain and Invitation rows as the service.

Each figure is the wall time of one call, organization row to committed invitation. Target: pool
median under 100 ms and at least 20x faster than the baseline. The last line of stdout is the JSON.

    python bench/provisioning.py [--n 20]
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import _common  # noqa: E402

TARGET_P50_MS = 100
TARGET_SPEEDUP = 20


def provision_with_service(slug):
    from tenants.services import organization_provision

    organization_provision(
        name=f"Bench {slug}", slug=slug, owner_email=f"owner@{slug}.example.com", send_invitation=False
    )


def provision_default_way(slug):
    """What django-tenants does out of the box: save the tenant, which creates and migrates its schema."""
    from django.conf import settings
    from django.db import connection

    from tenants.invitations import issue_invitation
    from tenants.models import Domain, Organization, OrganizationStatus, Role
    from tenants.validators import schema_name_for_slug

    connection.set_schema_to_public()
    organization = Organization(
        name=f"Bench {slug}",
        slug=slug,
        schema_name=schema_name_for_slug(slug),
        owner_email=f"owner@{slug}.example.com",
        status=OrganizationStatus.ACTIVE,
    )
    # TenantMixin's default (the project turns it off): save() runs create_schema(), i.e. CREATE SCHEMA
    # and call_command("migrate_schemas", tenant=True, schema_name=..., interactive=False).
    organization.auto_create_schema = True
    organization.full_clean()
    organization.save(verbosity=0)
    Domain.objects.create(domain=f"{slug}.{settings.BASE_DOMAIN}", tenant=organization, is_primary=True)
    issue_invitation(
        organization=organization,
        email=organization.owner_email,
        role=Role.OWNER,
        inviter_id=None,
        inviter_name="bench",
        send=False,
    )


def time_each(label, slugs, function, created):
    timings = []
    for index, slug in enumerate(slugs):
        created.append(slug)
        _, ms = _common.timed_ms(function, slug)
        timings.append(ms)
        _common.log(f"  {label} {index + 1}/{len(slugs)}: {ms:.1f} ms")
    return timings


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="gyms per method (default 20)")
    args = parser.parse_args(argv)
    n = args.n

    _common.setup_django()
    _common.require_migrated()
    from tenants import schema_factory

    run = _common.run_id()
    created = []
    pool_names_before, pool_size_before = _common.pool_snapshot()
    try:
        schema_factory.ensure_template()
        schema_factory.migrations_on_disk()  # loaded once per process; not part of any gym's figure

        _common.fresh_connection()
        _common.log(f"clone fallback: {n} gyms with the pool hidden")
        with _common.pool_hidden(), _common.no_synchronous_refill(), _common.recording_build_paths() as paths:
            clone_ms = time_each("clone", [f"bench-{run}-c{i}" for i in range(n)], provision_with_service, created)
        clone_paths = list(paths)

        _common.fresh_connection()
        current = _common.pool_size()
        _common.log(f"filling the pool from {current} to {current + n} schemas (not counted per gym)")
        _, fill_ms = _common.timed_ms(schema_factory.fill_pool, current + n)
        built = _common.pool_size() - current

        _common.fresh_connection()
        _common.log(f"pool claim: {n} gyms")
        with _common.no_synchronous_refill(), _common.recording_build_paths() as paths:
            pool_ms = time_each("pool", [f"bench-{run}-p{i}" for i in range(n)], provision_with_service, created)
        pool_paths = list(paths)

        _common.fresh_connection()
        _common.log(f"django-tenants default (CREATE SCHEMA + migrate_schemas): {n} gyms")
        baseline_ms = time_each("migrate", [f"bench-{run}-m{i}" for i in range(n)], provision_default_way, created)

        machine = _common.machine()
    finally:
        _common.log("cleaning up")
        cleaned = _common.cleanup(created, pool_names_before, pool_size_before)
        _common.log(f"  {cleaned}")

    pool = _common.summary(pool_ms)
    clone = _common.summary(clone_ms)
    baseline = _common.summary(baseline_ms)
    speedup = baseline["p50_ms"] / pool["p50_ms"]
    fill_per_schema = fill_ms / built if built else None
    print(f"provisioning, {n} gyms per method, {machine['cpus']} CPUs, PostgreSQL {machine['postgresql']}")
    print(f"{'method':<34}{'p50 ms':>9}{'p90 ms':>9}{'min ms':>9}{'max ms':>9}")
    for label, figures in (
        ("pool claim", pool),
        ("template clone (pool empty)", clone),
        ("CREATE SCHEMA + migrate_schemas", baseline),
    ):
        row = "".join(f"{figures[key]:>9.1f}" for key in ("p50_ms", "p90_ms", "min_ms", "max_ms"))
        print(f"{label:<34}{row}")
    print(f"pool fill: {built} schemas in {fill_ms:.0f} ms ({fill_per_schema or 0:.1f} ms per schema)")
    print(f"speedup (median): pool {speedup:.1f}x, clone {baseline['p50_ms'] / clone['p50_ms']:.1f}x")
    paths_ok = set(pool_paths) == {"pool"} and set(clone_paths) == {"clone"}
    if not paths_ok:
        print(f"WARNING: unexpected build paths: pool phase {pool_paths}, clone phase {clone_paths}")
    _common.emit(
        {
            "bench": "provisioning",
            "n": n,
            "p50_ms": pool["p50_ms"],
            "p90_ms": pool["p90_ms"],
            "max_ms": pool["max_ms"],
            "baseline_p50_ms": baseline["p50_ms"],
            "baseline_p90_ms": baseline["p90_ms"],
            "baseline_max_ms": baseline["max_ms"],
            "speedup": round(speedup, 1),
            "clone_p50_ms": clone["p50_ms"],
            "clone_p90_ms": clone["p90_ms"],
            "clone_max_ms": clone["max_ms"],
            "clone_speedup": round(baseline["p50_ms"] / clone["p50_ms"], 1),
            "pool_fill_ms_per_schema": round(fill_per_schema, 1) if fill_per_schema else None,
            "pool_fill_total_ms": round(fill_ms, 1),
            "pool_fill_schemas": built,
            "paths_ok": paths_ok,
            "meets_target": pool["p50_ms"] < TARGET_P50_MS and speedup >= TARGET_SPEEDUP,
            **machine,
        }
    )


if __name__ == "__main__":
    main()
