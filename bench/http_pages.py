"""Throughput of the gym's pages on real gunicorn, as a ratio to a bare Django view served the same way (issue 16).

Two gunicorns run side by side, each with ``--workers`` sync workers (default 2): one serves ``config.wsgi`` on the
gym of ``bench/seed_data.py`` (``DEBUG`` off, persistent database connections with their health checks, as in
production), the other ``bench/_bare_wsgi.py`` (one view, no middleware, no database). Each page is loaded in
turn with ``--connections`` connections (default 16) for ``--seconds`` (default 10) after a short warm-up, with
``wrk`` (``scripts/ensure-wrk.sh`` installs Debian's) or, where it is missing, a threaded client of this script.
The bare view is loaded first and last; its requests per second are the mean of the two (both are printed, as a
measure of how noisy the machine was). Only one server is under load at a time.

Pages: an anonymous ``GET /`` on the gym's host (tenant resolution, all middleware, a redirect, no query), and, signed
in through a session cookie, the trainer's client list, dashboard and calendar week, and the owner's dashboard and
calendar week. Each must answer 200 (the anonymous one 302) before it is loaded. Targets (ratio to the bare view):
client list >= 0.1, dashboard and calendar week >= 0.06, anonymous >= 0.5.

Without ``--slug`` it first seeds a gym (``seed_data.py --keep``, a few minutes) and drops it at the end.
The file is not called ``http.py``, as issue 16 put it: Python puts a script's folder first on ``sys.path``, so a
``bench/http.py`` would shadow the standard library's ``http`` for every script run from ``bench/``.

    python bench/http_pages.py [--slug bench-seed-xxxxxx] [--seconds 10] [--connections 16] [--workers 2]

The last line of stdout is ``{"bench": "http", "pages": {name: {"rps": .., "ratio": ..}}, "bare_rps": ..}``.
"""

import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import _common  # noqa: E402

# name: (role or None for anonymous, path, expected status, target ratio)
PAGES = {
    "anonymous /": (None, "/", 302, 0.5),
    "trainer client list": ("trainer", "/clients/", 200, 0.1),
    "trainer dashboard": ("trainer", "/", 200, 0.06),
    "trainer calendar week": ("trainer", "/sessions/", 200, 0.06),
    "owner dashboard": ("owner", "/", 200, 0.06),
    "owner calendar week": ("owner", "/sessions/", 200, 0.06),
}


def start_gunicorn(app, workers, log_path, env_extra, cwd=None):
    port = _common.free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **env_extra}
    env.pop("REDIS_URL", None)
    command = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    command += ["--timeout", "60", "--error-logfile", "-", "--no-control-socket", "--log-level", "warning"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=cwd or _common.REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn {app} exited: {Path(log_path).read_text(errors='replace')}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/", headers={"Host": "localhost"})
            connection.getresponse().read()
            return process, port
        except OSError:
            time.sleep(0.1)
    _common.stop_process(process)
    raise RuntimeError(f"gunicorn {app} did not start within 60 s")


def get_status(port, path, headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, len(body)


def load_wrk(port, path, headers, seconds, connections):
    # wrk's own timeout (2 s) is shorter than a slow page's queue under 16 connections on 2 cores.
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: .*timeout (\d+)", output)
    if bad or (errors and int(errors.group(1))):
        raise RuntimeError(f"{path}: wrk saw failures:\n{output}")
    return float(re.search(r"Requests/sec:\s*([\d.]+)", output).group(1))


def load(port, path, headers, seconds, connections, expected, warmup):
    if shutil.which("wrk"):
        load_wrk(port, path, headers, warmup, connections)
        return load_wrk(port, path, headers, seconds, connections)
    _common.load_keepalive(port, path, headers, warmup, connections, expected)
    return _common.load_keepalive(port, path, headers, seconds, connections, expected)


def session_cookies(slug):
    """A session cookie for the owner and for the bench's trainer (the first trainer by id), made by force_login."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client as Browser

    from apps.trainers.models import Trainer
    from tenants.models import Organization, Role

    connection.set_schema_to_public()
    organization = Organization.objects.get(slug=slug)
    host = f"{slug}.{settings.BASE_DOMAIN}"
    connection.set_tenant(organization)
    owner = Trainer.objects.select_related("user").get(role=Role.OWNER)
    trainer = Trainer.objects.select_related("user").filter(role=Role.TRAINER).order_by("pk").first()
    cookies = {}
    for role, user in {"owner": owner.user, "trainer": trainer.user}.items():
        browser = Browser(HTTP_HOST=host)
        connection.set_tenant(organization)
        browser.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        cookies[role] = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
    connection.set_schema_to_public()
    return host, cookies


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slug", help="a gym kept by `seed_data.py --keep` (default: seed one now, drop it after)")
    parser.add_argument("--seconds", type=float, default=10, help="load time per page (default 10)")
    parser.add_argument("--warmup", type=float, default=2, help="untimed load first, per page (default 2)")
    parser.add_argument("--connections", type=int, default=16, help="client connections (default 16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--pages", help="comma-separated subset of the pages (default: all)")
    parser.add_argument(
        "--compare",
        metavar="DIR",
        help="another checkout (e.g. `git archive <commit>` unpacked, with .venv): its gym server is loaded right "
        "before this one's, page by page, for a before/after under the same machine load",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DEBUG", "0")
    slug, seeded = args.slug, None
    if slug is None:
        from bench.pages import seed_gym

        _common.log("no --slug: seeding a gym with bench/seed_data.py --keep")
        slug, seeded = seed_gym()
    _common.setup_django()
    _common.require_migrated()
    try:
        return run(args, slug)
    finally:
        if seeded is not None:
            _common.log("cleaning up the seeded gym")
            _common.log(f"  {_common.cleanup([slug])}")


def run(args, slug):
    host, cookies = session_cookies(slug)
    machine = _common.machine()
    gym_env = {
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.dev"),
        "DEBUG": "0",
        "DATABASE_URL": _common.database_url(),
        "CONN_MAX_AGE": "60",
    }
    names = [name.strip() for name in args.pages.split(",")] if args.pages else list(PAGES)
    seconds, warmup = int(args.seconds), max(1, int(args.warmup))
    client = "wrk" if shutil.which("wrk") else "threads"
    results, bare = {}, []
    with tempfile.TemporaryDirectory() as folder:
        gym, gym_port = start_gunicorn("config.wsgi", args.workers, Path(folder) / "gym.log", gym_env)
        plain, bare_port = start_gunicorn("bench._bare_wsgi:application", args.workers, Path(folder) / "bare.log", {})
        other, other_port = None, None
        if args.compare:
            other, other_port = start_gunicorn(
                "config.wsgi", args.workers, Path(folder) / "compare.log", gym_env, cwd=args.compare
            )
        try:
            bare.append(load(bare_port, "/", {"Host": "localhost"}, seconds, args.connections, 200, warmup))
            _common.log(f"  bare Django hello        {bare[-1]:8.0f} requests/s")
            for name in names:
                role, path, expected, _ = PAGES[name]
                headers = {"Host": host, **({"Cookie": cookies[role]} if role else {})}
                status, size = get_status(gym_port, path, headers)
                if status != expected:
                    raise RuntimeError(f"{name}: GET {path} answered {status}, not {expected}")
                before = None
                if other_port is not None:
                    before = load(other_port, path, headers, seconds, args.connections, expected, warmup)
                    _common.log(f"  {name:<24} {before:8.1f} requests/s  (--compare)")
                rps = load(gym_port, path, headers, seconds, args.connections, expected, warmup)
                results[name] = {"rps": round(rps, 1), "bytes": size}
                if before is not None:
                    results[name].update(compare_rps=round(before, 1), vs_compare=round(rps / before, 2))
                _common.log(f"  {name:<24} {rps:8.1f} requests/s  ({size} bytes)")
            bare.append(load(bare_port, "/", {"Host": "localhost"}, seconds, args.connections, 200, warmup))
            _common.log(f"  bare Django hello again  {bare[-1]:8.0f} requests/s")
        finally:
            for process in (gym, plain, other):
                if process is not None:
                    _common.stop_process(process)
    bare_rps = sum(bare) / len(bare)
    for name, figures in results.items():
        figures["ratio"] = round(figures["rps"] / bare_rps, 4)
        figures["target_ratio"] = PAGES[name][3]
    print(
        f"http: gym {slug}, gunicorn {args.workers} sync workers, {args.connections} connections ({client}), "
        f"{seconds} s per page; bare Django {bare[0]:.0f} then {bare[-1]:.0f} requests/s"
    )
    print(f"{'page':<26}{'req/s':>9}{'ratio':>9}{'target':>8}" + (f"{'compare':>9}{'x':>6}" if args.compare else ""))
    for name, figures in results.items():
        line = f"{name:<26}{figures['rps']:>9.1f}{figures['ratio']:>9.4f}{figures['target_ratio']:>8}"
        if args.compare:
            line += f"{figures['compare_rps']:>9.1f}{figures['vs_compare']:>6.2f}"
        print(line)
    misses = [name for name, figures in results.items() if figures["ratio"] < figures["target_ratio"]]
    print("targets: " + ("met" if not misses else "missed by " + ", ".join(misses)))
    _common.emit(
        {
            "bench": "http",
            "pages": results,
            "bare_rps": round(bare_rps, 1),
            "bare_rps_runs": [round(value, 1) for value in bare],
            "client": client,
            "connections": args.connections,
            "workers": args.workers,
            "meets_target": not misses,
            **machine,
        }
    )


if __name__ == "__main__":
    main()
