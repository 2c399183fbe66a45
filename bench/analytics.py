"""Time of the analytics read models of a large gym (the one ``bench/seed_data.py`` builds), in process, no web.

Two calls, each ``--n`` times (default 20) after ``--warmup`` (default 2): the organization's figures for 12 months
(``gym_analytics(actor=owner, period=preset("12m"))``, target p95 under 150 ms) and one trainer's figures for 90
days (``analytics(scope=Scope(trainer), period=preset("90d"))``, as the trainer; target p95 under 100 ms). One more
call of each (not timed) records its queries with their own times (``CaptureQueriesContext``); ``--explain``
also prints ``EXPLAIN (ANALYZE, BUFFERS)`` of the slowest ``--top`` queries of each call. ``--jit off`` runs it
all with ``SET jit = off`` (PostgreSQL's JIT compiles the costlier analytics queries for tens of milliseconds).

Without ``--slug`` it first runs ``bench/seed_data.py --keep`` and drops that gym at the end; with ``--slug`` it
reuses a kept gym and leaves it.

    python bench/analytics.py [--slug bench-seed-xxxxxx] [--n 20] [--warmup 2] [--top 5] [--explain]
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import _common  # noqa: E402
from bench.pages import seed_gym  # noqa: E402

TARGETS_P95_MS = {"gym analytics 12m": 150, "trainer analytics 90d": 100}


def calls(owner, trainer):
    from apps.analytics.metrics.scope import Scope
    from apps.analytics.periods import preset
    from apps.analytics.selectors import analytics, gym_analytics

    return {
        "gym analytics 12m": lambda: gym_analytics(actor=owner, period=preset("12m")),
        "trainer analytics 90d": lambda: analytics(scope=Scope(trainer), period=preset("90d")),
    }


def caller(stack_summary):
    """The innermost frame of the analytics code that ran a query: ``metrics/sessions.py:123 session_days``."""
    for frame in reversed(stack_summary):
        if "/apps/analytics/" in frame.filename:
            return f"{frame.filename.split('/apps/analytics/')[1]}:{frame.lineno} {frame.name}"
    return "?"


def profile(function):
    """Run ``function`` once recording each query: [(ms, where, sql)], slowest first. The time is that of the
    cursor's ``execute`` (psycopg fetches the whole result there), to the microsecond."""
    import traceback

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    noted = []

    def note(execute, sql, params, many, context):
        where = caller(traceback.extract_stack())
        started = _common.now()
        try:
            return execute(sql, params, many, context)
        finally:
            noted.append(((_common.now() - started) * 1000, where))

    with connection.execute_wrapper(note), CaptureQueriesContext(connection) as captured:
        function()
    queries = [(ms, where, query["sql"]) for query, (ms, where) in zip(captured.captured_queries, noted, strict=True)]
    return sorted(queries, key=lambda q: -q[0])


def explain(sql):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slug", help="a gym kept by `seed_data.py --keep` (default: seed one now, drop it after)")
    parser.add_argument("--n", type=int, default=20, help="timed calls per read model (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed calls first (default 2)")
    parser.add_argument("--top", type=int, default=5, help="slowest queries listed per read model (default 5)")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest queries")
    parser.add_argument(
        "--jit", choices=["server", "off"], default="server", help="keep the server's jit setting or SET jit = off"
    )
    args = parser.parse_args(argv)

    seeded = None
    slug = args.slug
    if slug is None:
        _common.log("no --slug: seeding a gym with bench/seed_data.py --keep")
        slug, seeded = seed_gym()
    _common.setup_django()
    _common.require_migrated()
    from django.db import connection

    from apps.trainers.models import Trainer
    from tenants.models import Organization, Role

    results = {}
    try:
        connection.set_schema_to_public()
        connection.set_tenant(Organization.objects.get(slug=slug))
        with connection.cursor() as cursor:
            if args.jit == "off":
                cursor.execute("SET jit = off")
            cursor.execute("SHOW jit")
            jit = cursor.fetchone()[0]
        owner = Trainer.objects.select_related("user").get(role=Role.OWNER)
        trainer = Trainer.objects.select_related("user").filter(role=Role.TRAINER).order_by("pk").first()
        for name, function in calls(owner, trainer).items():
            for _ in range(args.warmup):
                function()
            timings = [_common.timed_ms(function)[1] for _ in range(args.n)]
            queries = profile(function)
            p50, p95 = _common.percentile(timings, 50), _common.percentile(timings, 95)
            in_sql = sum(q[0] for q in queries)
            results[name] = {
                "p50_ms": round(p50, 1),
                "p95_ms": round(p95, 1),
                "max_ms": round(max(timings), 1),
                "target_p95_ms": TARGETS_P95_MS[name],
                "queries": len(queries),
                "sql_ms": round(in_sql, 1),
                "slowest": [{"ms": round(ms, 1), "where": where} for ms, where, _sql in queries[: args.top]],
            }
            _common.log(
                f"  {name:<24} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  {len(queries)} queries, {in_sql:.1f} ms in SQL"
            )
            for ms, where, sql in queries[: args.top]:
                _common.log(f"      {ms:7.1f} ms  {where}")
                if args.explain:
                    _common.log("        " + sql)
                    _common.log("        " + explain(sql).replace("\n", "\n        "))
        machine = _common.machine()
    finally:
        connection.set_schema_to_public()
        if seeded is not None:
            _common.log("cleaning up the seeded gym")
            _common.log(f"  {_common.cleanup([slug])}")

    print(f"analytics: gym {slug}, {args.n} calls each after {args.warmup} warm-up, in process, jit {jit}")
    print(f"{'read model':<24}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'target':>8}{'queries':>9}{'SQL ms':>8}")
    for name, figures in results.items():
        print(
            f"{name:<24}{figures['p50_ms']:>8.1f}{figures['p95_ms']:>8.1f}{figures['max_ms']:>8.1f}"
            f"{figures['target_p95_ms']:>8}{figures['queries']:>9}{figures['sql_ms']:>8.1f}"
        )
    misses = [name for name, figures in results.items() if figures["p95_ms"] >= figures["target_p95_ms"]]
    print("targets: " + ("met" if not misses else "missed by " + ", ".join(misses)))
    _common.emit(
        {
            "bench": "analytics",
            "slug": slug,
            "n": args.n,
            "jit": jit,
            "read_models": results,
            "meets_target": not misses,
            **machine,
        }
    )


if __name__ == "__main__":
    main()
