"""No data leaks between gyms under concurrent load: ten gyms on a real gunicorn, thousands of signed-in requests.

The same check as ``tests/isolation/test_load.py``, with the same code (``bench/_isolation.py``), against the
database ``DATABASE_URL`` names: provisions ten gyms ``bench-<run>-iso-NN`` (owner, trainer, five clients and
their sessions each, every name carrying the gym's marker), starts ``gunicorn config.wsgi`` (gthread,
``--workers`` x ``--threads``) with persistent database connections (``--conn-max-age``, production's 60 s by
default), signs every owner and trainer in through the login form, then sends ``--requests`` requests with
``--concurrency`` client threads on keep-alive connections: the gyms' dashboards, client lists, client pages,
calendars and team pages, plus about 5 % carrying one gym's session cookie to another gym's host. Each response
must show only its own gym's data, its connection's real ``search_path`` must be the gym's schema, and the
cache must never hand a gym an entry written while serving another one.

Both this process and the server use ``config.settings.test``, whatever ``DJANGO_SETTINGS_MODULE`` says: the
probe middleware (``apps/core/isolation_probe.py``) is installed only by that file's ``ISOLATION_PROBE`` hook, and the
accounts' passwords must be hashed as the server checks them. The server's cache is Redis
(``ISOLATION_REDIS_URL``, default ``redis://127.0.0.1:6379/13``, keys of this run only, removed at the end) when
it answers, else each server process's local memory. Everything is removed at the end, also on Ctrl-C / SIGTERM.
Exit status 1 when any response failed a check.

    python bench/isolation_load.py [--requests 2000] [--concurrency 24] [--workers 2] [--threads 6]
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import _common  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests to send (default 2000)")
    parser.add_argument("--concurrency", type=int, default=24, help="client threads = requests in flight (24)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes (default 2)")
    parser.add_argument("--threads", type=int, default=6, help="threads per gunicorn process (default 6)")
    parser.add_argument("--conn-max-age", type=int, default=60, help="server's CONN_MAX_AGE (default 60)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the request plan (default 1)")
    args = parser.parse_args(argv)

    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    _common.setup_django()
    _common.require_migrated()
    from django.db import connection

    from bench import _isolation as load
    from bench._common import database_url

    run = load.new_run()
    prefix = f"bench-{run}-iso"
    connection.set_schema_to_public()
    pool_names, pool_size = _common.pool_snapshot()
    server = None
    failed = True
    try:
        _common.log(f"provisioning {load.GYM_COUNT} gyms {prefix}-NN")
        gyms = load.create_gyms(prefix, run)
        cache_url = load.redis_if_reachable()
        with tempfile.TemporaryDirectory(prefix="isolation-load-") as folder:
            log_path = Path(folder) / "server.log"
            server = load.start_server(
                database_url(),
                log_path,
                run,
                workers=args.workers,
                threads=args.threads,
                conn_max_age=args.conn_max_age,
                cache_url=cache_url,
            )
            _common.log(f"gunicorn on port {server.port}, cache: {server.cache}; signing in")
            load.sign_in_all(server.port, gyms)
            plan = load.build_plan(gyms, args.requests, seed=args.seed)
            _common.log(f"sending {len(plan)} requests, {args.concurrency} at a time")
            outcome = load.run_load(server.port, plan, run, args.concurrency)
            cache_checks = load.cache_problems(server, gyms)
            load.stop_server(server)
            if outcome.server_errors or outcome.transport_errors:
                _common.log(server.log()[-5000:])
        result = load.figures(outcome, server, gyms, len(plan), cache_checks)
        machine = _common.machine()
        failed = bool(outcome.wrong_gym or outcome.problems or outcome.transport_errors or cache_checks)
    finally:
        if server is not None:
            load.stop_server(server)
            if server.cache_url:
                load.forget_cache_keys(server.cache_url, server.key_prefix)
        connection.set_schema_to_public()
        _common.log("cleaning up")
        _common.log(f"  {load.drop_gyms(load.gym_slugs(prefix), pool_names, pool_size)}")

    for sample in outcome.samples:
        _common.log(f"  {sample}")
    print(
        f"isolation_load: {result['gyms']} gyms, {result['accounts']} accounts, {result['server']}, "
        f"CONN_MAX_AGE={result['conn_max_age']}, cache {result['cache']}"
    )
    rows = [
        ("requests sent", result["requests"]),
        ("max in flight", result["max_in_flight"]),
        ("wrong-gym responses", result["wrong_gym_responses"]),
        ("5xx", result["server_errors_5xx"]),
        ("other unexpected status", result["unexpected_status"]),
        ("cross-gym cookie requests", result["cross_gym_cookie_requests"]),
        (
            "db connections / reused across gyms",
            f"{result['db_connections']} / {result['db_connection_reuses_across_gyms']}",
        ),
        ("http connections", result["http_connections"]),
        ("p50 / p95 / max ms", f"{result['p50_ms']} / {result['p95_ms']} / {result['max_ms']}"),
        ("requests per second", result["requests_per_second"]),
    ]
    for label, value in rows:
        print(f"{label:<38}{value:>22}")
    print("isolation: " + ("VIOLATED" if failed else "held"))
    _common.emit({"bench": "isolation_load", **result, "isolation_held": not failed, **machine})
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
