"""The REST API on a large gym (the one ``bench/seed_data.py`` builds: 10,000 clients, 200,000 sessions).

1. **Latency, in process.** Every list endpoint and the main detail endpoints, as owner and as trainer, each with its
   own read-only API key, through Django's test ``Client`` with the gym's host: the whole WSGI handler (tenant
   resolution, middleware, key authentication, throttling, view, serializer, JSON). ``--n`` timed requests after
   ``--warmup`` untimed ones; every answer must be a 200. Target: the worst p95 under 50 ms.
2. **Throughput, on real gunicorn.** ``gunicorn config.wsgi`` (``--workers`` sync workers, persistent database
   connections, ``DEBUG`` off) and, in the same run, ``--connections`` keep-alive client threads sending
   ``GET /api/v1/clients/`` (25 rows) and then ``GET /api/v1/me/``, a trivial authenticated endpoint that reads no
   table of its own, for ``--seconds`` each. Reported: requests per second of both and their ratio (target at
   least 0.3). Rate limits are lifted for the bench's server.

Without ``--slug`` it first runs ``bench/seed_data.py --keep`` and drops that gym at the end; with ``--slug`` it
reuses a kept gym and leaves it. The last line of stdout is one JSON object.

    python bench/api.py [--slug bench-seed-xxxxxx] [--n 40] [--warmup 5] [--seconds 8] [--connections 8]
"""

import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import _common  # noqa: E402
from bench.pages import seed_gym  # noqa: E402

TARGET_P95_MS = 50
TARGET_RATIO = 0.3
LISTS = [
    "clients/",
    "sessions/",
    "packages/",
    "payments/",
    "assessments/",
    "trainers/",
    "assistant-links/",
    "pricing-templates/",
    "audit-log/",
]
OWNER_ONLY = {"audit-log/"}


def detail_paths(ids):
    return {
        "client": f"clients/{ids['client']}/",
        "session": f"sessions/{ids['session']}/",
        "package": f"packages/{ids['package']}/",
        "assessment": f"assessments/{ids['assessment']}/",
        "trainer": f"trainers/{ids['trainer']}/",
        "me": "me/",
    }


def measure(browser, headers, path, n, warmup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/api/v1/{path}"
    for _ in range(warmup):
        response = browser.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code, response.content[:200])
    timings = []
    for _ in range(n):
        response, ms = _common.timed_ms(browser.get, url, **headers)
        assert response.status_code == 200, (url, response.status_code)
        timings.append(ms)
    with CaptureQueriesContext(connection) as queries:
        browser.get(url, **headers)
    return timings, len(queries)


def start_gunicorn(workers, log_path):
    port = _common.free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "0",
        "DATABASE_URL": _common.database_url(),
        "CONN_MAX_AGE": "60",
        "API_THROTTLE_READ": "100000000/min",
        "API_THROTTLE_WRITE": "100000000/min",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--keep-alive", "10", "--timeout", "60", "--error-logfile", "-"]
    command += ["--no-control-socket", "--log-level", "warning"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=_common.REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {Path(log_path).read_text(errors='replace')}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/", headers={"Host": f"localhost:{port}"})
            connection.getresponse().read()
            return process, port
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError("gunicorn did not start within 60 s")


def load(port, host, key, path, seconds, connections):
    """Requests per second of ``GET path`` over ``connections`` keep-alive connections for ``seconds``."""
    headers = {"Host": host, "Authorization": f"Bearer {key}", "Accept": "application/json"}
    return _common.load_keepalive(port, path, headers, seconds, connections)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slug", help="a gym kept by `seed_data.py --keep` (default: seed one now, drop it after)")
    parser.add_argument("--n", type=int, default=40, help="timed requests per endpoint and role (default 40)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests first (default 5)")
    parser.add_argument("--seconds", type=float, default=8, help="load time per endpoint on gunicorn (default 8)")
    parser.add_argument("--connections", type=int, default=8, help="client connections on gunicorn (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    args = parser.parse_args(argv)

    os.environ.setdefault("DEBUG", "0")
    os.environ["API_THROTTLE_READ"] = "100000000/min"  # the bench measures the API, not its rate limit
    seeded = None
    slug = args.slug
    if slug is None:
        _common.log("no --slug: seeding a gym with bench/seed_data.py --keep")
        slug, seeded = seed_gym()
    _common.setup_django()
    _common.require_migrated()
    from django.conf import settings
    from django.db import connection
    from django.test import Client as Browser

    from apps.assessments.models import Assessment
    from apps.clients.models import Client
    from apps.trainers.models import ApiKey, Trainer
    from apps.trainers.services.api_keys import api_key_create
    from apps.training.models import Session, SessionPackage
    from tenants.models import Organization, Role

    latency, throughput, keys = {}, {}, []
    try:
        connection.set_schema_to_public()
        organization = Organization.objects.get(slug=slug)
        host = f"{slug}.{settings.BASE_DOMAIN}"
        connection.set_tenant(organization)
        owner = Trainer.objects.select_related("user").get(role=Role.OWNER)
        trainer = Trainer.objects.select_related("user").filter(role=Role.TRAINER).order_by("pk").first()
        client = Client.objects.filter(trainer=trainer).order_by("pk").first()
        ids = {
            "client": client.pk,
            "session": Session.objects.filter(trainer=trainer).order_by("pk").values_list("pk", flat=True).first(),
            "package": SessionPackage.objects.filter(trainer=trainer).order_by("pk").values_list("pk", flat=True)[0],
            "assessment": Assessment.objects.filter(client=client).values_list("pk", flat=True).first(),
            "trainer": trainer.pk,
        }
        secrets = {}
        for role, member in (("owner", owner), ("trainer", trainer)):
            key, secret = api_key_create(actor=member, name="bench", writable=False)
            keys.append(key.pk)
            secrets[role] = secret
        clients_total = Client.objects.count()
        connection.set_schema_to_public()
        _common.log(f"gym {slug}: {clients_total} clients; trainer {trainer.user.email}")

        for role, secret in secrets.items():
            browser, headers = Browser(HTTP_HOST=host), {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
            paths = {f"list {path}": path for path in LISTS if role == "owner" or path not in OWNER_ONLY}
            paths |= {f"detail {name}": path for name, path in detail_paths(ids).items()}
            for name, path in paths.items():
                timings, queries = measure(browser, headers, path, args.n, args.warmup)
                p50, p95 = _common.percentile(timings, 50), _common.percentile(timings, 95)
                latency[f"{role}:{name}"] = {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "queries": queries}
                _common.log(f"  {role:<8}{name:<26} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  {queries} queries")

        with tempfile.TemporaryDirectory(prefix="bench-api-") as folder:
            process, port = start_gunicorn(args.workers, Path(folder) / "gunicorn.log")
            try:
                for path in ("/api/v1/me/", "/api/v1/clients/"):  # warm both workers
                    load(port, host, secrets["trainer"], path, 1, args.connections)
                for name, path in (("clients", "/api/v1/clients/"), ("me", "/api/v1/me/")):
                    throughput[name] = round(load(port, host, secrets["trainer"], path, args.seconds, args.connections))
                    _common.log(f"  gunicorn GET {path:<20} {throughput[name]:8.0f} requests/s")
            finally:
                _common.stop_process(process)
        machine = _common.machine()
    finally:
        connection.set_tenant(Organization.objects.get(slug=slug))
        ApiKey.objects.filter(pk__in=keys).delete()
        connection.set_schema_to_public()
        if seeded is not None:
            _common.log("cleaning up the seeded gym")
            _common.log(f"  {_common.cleanup([slug])}")

    worst = max(figures["p95_ms"] for figures in latency.values())
    ratio = round(throughput["clients"] / throughput["me"], 3)
    print(f"api: gym {slug}, {args.n} requests each after {args.warmup} warm-up, DEBUG={settings.DEBUG}")
    print(f"{'role:endpoint':<36}{'p50 ms':>8}{'p95 ms':>8}{'queries':>9}")
    for name, figures in latency.items():
        print(f"{name:<36}{figures['p50_ms']:>8.1f}{figures['p95_ms']:>8.1f}{figures['queries']:>9}")
    print(f"worst p95 {worst} ms (target < {TARGET_P95_MS}): {'met' if worst < TARGET_P95_MS else 'missed'}")
    print(
        f"gunicorn ({args.workers} sync workers, {args.connections} connections): clients {throughput['clients']}/s, "
        f"me {throughput['me']}/s, ratio {ratio} (target >= {TARGET_RATIO})"
    )
    _common.emit(
        {
            "bench": "api",
            "slug": slug,
            "clients": clients_total,
            "latency": latency,
            "worst_p95_ms": worst,
            "throughput_rps": throughput,
            "clients_to_me_ratio": ratio,
            "meets_target": worst < TARGET_P95_MS and ratio >= TARGET_RATIO,
            **machine,
        }
    )


if __name__ == "__main__":
    main()
