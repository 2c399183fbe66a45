"""How long does ``migrate_schemas`` take when nothing is pending, with many gyms?

Creates N gyms (``--n``, default 200) through ``organization_provision`` from a pool filled beforehand,
then times ``python manage.py migrate_schemas --noinput`` as a subprocess (``--repeat`` runs, median
reported; target under 10 s for 200 gyms). Baseline: django-tenants' own ``MigrateSchemasCommand``,
which runs Django's migrate in every schema, timed over ``--baseline-n`` of the same gyms (default 40,
0 for all of them) and scaled linearly to every gym in the database. The last line of stdout is the JSON.

    python bench/migrate_noop.py [--n 200] [--baseline-n 40] [--repeat 3]
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import _common  # noqa: E402

TARGET_SECONDS = 10
PENDING_LINE = re.compile(r"(\d+) of (\d+) tenant schemas have pending migrations")


def run_project_command():
    start = _common.now()
    completed = subprocess.run(
        [sys.executable, "manage.py", "migrate_schemas", "--noinput"],
        cwd=_common.REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = _common.now() - start
    if completed.returncode != 0:
        raise RuntimeError(f"migrate_schemas failed:\n{completed.stdout}\n{completed.stderr}")
    match = PENDING_LINE.search(completed.stdout)
    if match is None:
        raise RuntimeError(f"migrate_schemas did not report what was pending:\n{completed.stdout}")
    return seconds, int(match.group(1)), int(match.group(2))


def run_django_tenants_command(schemas):
    start = _common.now()
    completed = subprocess.run(
        [sys.executable, str(_common.REPO_ROOT / "bench" / "_django_tenants_migrate.py")],
        cwd=_common.REPO_ROOT,
        input=json.dumps({"schemas": schemas}),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = _common.now() - start
    if completed.returncode != 0:
        raise RuntimeError(f"django-tenants migrate_schemas failed:\n{completed.stdout}\n{completed.stderr}")
    return seconds, json.loads(completed.stdout.strip().splitlines()[-1])


def python_startup_seconds():
    """Interpreter start plus django.setup(): the floor of any management command."""
    start = _common.now()
    subprocess.run(
        [sys.executable, "-c", "from bench import _common; _common.setup_django()"],
        cwd=_common.REPO_ROOT,
        check=True,
    )
    return _common.now() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="gyms to create (default 200)")
    parser.add_argument("--baseline-n", type=int, default=40, help="gyms django-tenants' command visits (0: all)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the project's command (default 3)")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.n < 1:
        parser.error("--n and --repeat must be at least 1")
    n = args.n

    _common.setup_django()
    _common.require_migrated()
    from django.db import connection

    from tenants import schema_factory
    from tenants.models import Organization
    from tenants.services import organization_provision
    from tenants.validators import schema_name_for_slug

    run = _common.run_id()
    created = []
    pool_names_before, pool_size_before = _common.pool_snapshot()
    try:
        schema_factory.ensure_template()
        current = _common.pool_size()
        _common.log(f"filling the pool from {current} to {current + n} schemas, 10 per connection")
        built, fill_ms = _common.timed_ms(_common.fill_pool_in_chunks, current + n)

        _common.log(f"provisioning {n} gyms")
        provision_ms = []
        with _common.no_synchronous_refill(), _common.recording_build_paths() as paths:
            for index in range(n):
                slug = f"bench-{run}-{index}"
                created.append(slug)
                _, ms = _common.timed_ms(
                    organization_provision,
                    name=f"Bench {slug}",
                    slug=slug,
                    owner_email=f"owner@{slug}.example.com",
                    send_invitation=False,
                )
                provision_ms.append(ms)
                if (index + 1) % 50 == 0:
                    _common.log(f"  {index + 1}/{n}")
        from_pool = paths.count("pool")
        gyms_in_database = Organization.objects.exclude(schema_name="public").count()
        connection.close()  # the subprocesses below have the database to themselves

        startup = python_startup_seconds()
        _common.log(f"manage.py migrate_schemas --noinput, {args.repeat} run(s)")
        runs, pending_runs = [], []
        while len(runs) < args.repeat:
            seconds, pending, candidates = run_project_command()
            _common.log(f"  {seconds:.2f} s ({pending} of {candidates} schemas pending)")
            if pending:
                # Someone added a migration during the run: that run migrated, it was no no-op.
                pending_runs.append(round(seconds, 2))
                if len(pending_runs) > 2:
                    raise RuntimeError("migrate_schemas keeps finding pending migrations")
                continue
            runs.append(seconds)

        schemas = [schema_name_for_slug(slug) for slug in created]
        subset = schemas[: args.baseline_n] if args.baseline_n > 0 else schemas
        extrapolated = len(subset) < gyms_in_database
        _common.log(f"django-tenants' MigrateSchemasCommand over {len(subset)} of {gyms_in_database} gyms")
        # An empty list means every gym: the command exactly as django-tenants ships it.
        baseline_wall, baseline = run_django_tenants_command(subset if extrapolated else [])
        per_schema = baseline["tenant_seconds"]
        per_schema_mean = statistics.fmean(per_schema)
        fixed = baseline_wall - sum(per_schema)
        baseline_seconds = fixed + per_schema_mean * gyms_in_database if extrapolated else baseline_wall
        machine = _common.machine()
    finally:
        _common.log("cleaning up")
        cleaned = _common.cleanup(created, pool_names_before, pool_size_before)
        _common.log(f"  {cleaned}")

    seconds = statistics.median(runs)
    speedup = baseline_seconds / seconds
    print(f"migrate_schemas with nothing pending, {gyms_in_database} gyms ({n} created by the bench)")
    print(f"{machine['cpus']} CPUs, PostgreSQL {machine['postgresql']}")
    print(f"project command: {seconds:.2f} s (median of {len(runs)} runs); 0 of {candidates} schemas pending")
    print(f"  python + django.setup() alone: {startup:.2f} s")
    print(
        f"django-tenants command: {per_schema_mean:.3f} s per gym over {len(per_schema)} gyms, "
        f"public {baseline['public_seconds']:.2f} s; {'estimated' if extrapolated else 'measured'} "
        f"{baseline_seconds:.1f} s for {gyms_in_database} gyms"
    )
    print(f"speedup: {speedup:.1f}x")
    if pending_runs:
        print(f"WARNING: runs that found pending migrations (not counted): {pending_runs} s")
    print(f"set-up: pool fill {fill_ms / 1000:.1f} s, provisioning p50 {_common.percentile(provision_ms, 50):.1f} ms")
    _common.emit(
        {
            "bench": "migrate_noop",
            "n": n,
            "gyms": gyms_in_database,
            "seconds": round(seconds, 2),
            "runs_seconds": [round(value, 2) for value in runs],
            "runs_with_pending_seconds": pending_runs,
            "schemas_checked": candidates,
            "schemas_pending": pending,
            "startup_seconds": round(startup, 2),
            "baseline_seconds": round(baseline_seconds, 1),
            "baseline_extrapolated": extrapolated,
            "baseline_schemas_timed": len(per_schema),
            "baseline_seconds_per_schema": round(per_schema_mean, 3),
            "baseline_seconds_per_schema_p50": round(statistics.median(per_schema), 3),
            "baseline_public_seconds": round(baseline["public_seconds"] or 0, 2),
            "baseline_fixed_seconds": round(fixed, 2),
            "speedup": round(speedup, 1),
            "meets_target": seconds < TARGET_SECONDS,
            "provision_p50_ms": round(_common.percentile(provision_ms, 50), 1),
            "provisioned_from_pool": from_pool,
            "pool_fill_ms_per_schema": round(fill_ms / built, 1) if built else None,
            **machine,
        }
    )


if __name__ == "__main__":
    main()
