"""Core of the gym-isolation load check, shared by tests/isolation/test_load.py and bench/isolation_load.py.

Ten gyms with distinct, recognisable data (every name of a gym carries its marker ``Iso<run>G<nn>``) are
provisioned with ``organization_provision``; a real ``gunicorn`` (threaded workers) serves them with the test
settings and the ``ISOLATION_*`` hooks at the end of ``config/settings/test.py``: persistent database
connections as in production, the probe middleware (``apps/core/isolation_probe.py``) and, when Redis answers, a
Redis cache shared by the workers. Each gym's owner and trainer sign in through the real login form; then a
bounded pool of client threads, each on its own keep-alive HTTP connection (which, like a proxy's upstream
connections, carries requests for any host), fires a shuffled plan of signed-in requests for all gyms, plus
requests that carry one gym's session cookie to another gym's host. Every response is checked:

* status: 200 for a gym's own pages; a redirect to the login page for another gym's cookie; never a 5xx;
* body and headers: the gym's own markers are there, no other gym's marker appears anywhere;
* probe: the connection's real ``search_path`` after the request is the gym's schema (+ public), and the cache
  entry the probe reads under the tenant-aware key function was written while serving the same gym.
"""

import http.client
import os
import random
import re
import secrets
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from bench import _common

REPO_ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Isolation-passw0rd-1"  # noqa: S105 (throw-away accounts of throw-away gyms)
GYM_COUNT = 10
OWNER_CLIENTS = 2
TRAINER_CLIENTS = 3
CROSS_SHARE = 0.05  # share of requests that carry one gym's session cookie to another gym's host
SERVER_STARTUP_TIMEOUT = 30
REDIS_URL = os.environ.get("ISOLATION_REDIS_URL", "redis://127.0.0.1:6379/13")


# ------------------------------------------------------------------ data


@dataclass
class Account:
    gym: "Gym"
    role: str
    email: str
    name: str
    client_tokens: list  # markers of the clients this account sees
    client_ids: list
    session_cookie: str = ""


@dataclass
class Gym:
    index: int
    slug: str
    schema: str
    name: str
    marker: str
    host: str  # without port, as the server resolves it
    accounts: list = field(default_factory=list)


def new_run():
    """A short random token: gym slugs, markers and cache keys of one run never meet another run's."""
    return secrets.token_hex(3)


def create_gyms(slug_prefix, run, count=GYM_COUNT):
    """Provision ``count`` gyms and fill each with an owner, a trainer, clients and sessions (committed).

    The pool is kept at the size it had (the refill after each provisioning runs eagerly without Celery).
    """
    from django.conf import settings
    from django.db import connection
    from django.test import override_settings

    from tenants.models import PooledSchema
    from tenants.services import organization_provision

    connection.set_schema_to_public()
    gyms = []
    with override_settings(TENANT_POOL_SIZE=PooledSchema.objects.count()):
        for index in range(count):
            slug = f"{slug_prefix}-{index:02d}"
            marker = f"Iso{run}G{index:02d}"
            organization, _token = organization_provision(
                name=f"{marker} Fitness", slug=slug, owner_email=f"owner@{slug}.example", send_invitation=False
            )
            gym = Gym(
                index=index,
                slug=slug,
                schema=organization.schema_name,
                name=organization.name,
                marker=marker,
                host=f"{slug}.{settings.BASE_DOMAIN}",
            )
            connection.set_tenant(organization)
            try:
                _fill_gym(gym)
            finally:
                connection.set_schema_to_public()
            gyms.append(gym)
    return gyms


def _fill_gym(gym):
    from allauth.account.models import EmailAddress

    from apps.accounts.models import User
    from apps.clients.models import Client
    from apps.trainers.models import Trainer
    from apps.training.models import Session
    from tenants.models import Role

    today = datetime.now(UTC).replace(hour=6, minute=0, second=0, microsecond=0)
    number = 0
    for role, clients in ((Role.OWNER, OWNER_CLIENTS), (Role.TRAINER, TRAINER_CLIENTS)):
        email = f"{role}@{gym.slug}.example"
        name = f"{gym.marker} {str(role).capitalize()}"
        user = User.objects.create_user(email=email, password=PASSWORD, full_name=name)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        trainer = Trainer.objects.create(user=user, role=role)
        account = Account(gym=gym, role=str(role), email=email, name=name, client_tokens=[], client_ids=[])
        for _ in range(clients):
            number += 1
            token = f"{gym.marker}c{number}"
            client = Client.objects.create(trainer=trainer, first_name="Member", last_name=token)
            Session.objects.create(client=client, trainer=trainer, starts_at=today + timedelta(hours=number))
            account.client_tokens.append(token)
            account.client_ids.append(client.pk)
        gym.accounts.append(account)
    owner, trainer = gym.accounts
    owner.client_tokens = owner.client_tokens + trainer.client_tokens  # the owner sees every client
    owner.client_ids = owner.client_ids + trainer.client_ids


def drop_gyms(gyms_or_slugs, pool_names_before=None, pool_size_before=None):
    """Drop the gyms' schemas and public rows; the pool goes back to its size before (bench/_common.cleanup)."""
    slugs = [getattr(gym, "slug", gym) for gym in gyms_or_slugs]
    return _common.cleanup(slugs, pool_names_before, pool_size_before)


def gym_slugs(slug_prefix, count=GYM_COUNT):
    return [f"{slug_prefix}-{index:02d}" for index in range(count)]


# ------------------------------------------------------------------ server


def redis_if_reachable(url=REDIS_URL):
    """``url`` when a Redis answers there, else None (the server then keeps its per-process local memory cache)."""
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
    except Exception:  # noqa: BLE001 (any failure means: no Redis for this run)
        return None
    return url


def forget_cache_keys(url, key_prefix):
    """Delete this run's keys (``<schema>:<key_prefix>:<version>:<key>``) and nothing else from Redis."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    try:
        keys = list(client.scan_iter(match=f"*:{key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        return len(keys)
    finally:
        client.close()


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log_path: Path
    cache: str
    cache_url: str | None
    key_prefix: str
    workers: int
    threads: int
    conn_max_age: int

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def start_server(
    database_url,
    log_path,
    run,
    *,
    workers=2,
    threads=6,
    conn_max_age=60,
    cache_url=None,
    settings="config.settings.test",
):
    """``gunicorn config.wsgi`` with threaded workers, the test settings and the ISOLATION_* hooks."""
    port = _common.free_port()
    key_prefix = f"iso{run}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_URL": database_url,
        "ISOLATION_PROBE": "1",
        "ISOLATION_CONN_MAX_AGE": str(conn_max_age),
        "ISOLATION_CACHE_KEY_PREFIX": key_prefix,
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "E2E_SMTP_PORT", "CELERY_WORKER_TEST_BROKER"):
        env.pop(name, None)
    env.pop("ISOLATION_CACHE_URL", None)
    if cache_url:
        env["ISOLATION_CACHE_URL"] = cache_url
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads)]
    command += ["--keep-alive", "10", "--timeout", "60", "--graceful-timeout", "5", "--error-logfile", "-"]
    command += ["--no-control-socket"]  # else every gunicorn shares ~/.gunicorn/gunicorn.ctl
    log_path = Path(log_path)
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(
        process=process,
        port=port,
        log_path=log_path,
        cache="redis" if cache_url else "locmem (per process)",
        cache_url=cache_url,
        key_prefix=key_prefix,
        workers=workers,
        threads=threads,
        conn_max_age=conn_max_age,
    )
    try:
        _wait_until_serving(server)
    except BaseException:
        stop_server(server)
        raise
    return server


def _wait_until_serving(server):
    from django.conf import settings

    deadline = time.monotonic() + SERVER_STARTUP_TIMEOUT
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.process.returncode}:\n{server.log()}")
        try:
            status, _headers, _body = HttpConnection(server.port).request("GET", settings.BASE_DOMAIN, "/")
            if status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not answer within {SERVER_STARTUP_TIMEOUT}s:\n{server.log()}")
        time.sleep(0.1)


def stop_server(server):
    _common.stop_process(server.process)


# ------------------------------------------------------------------ HTTP


class HttpConnection:
    """One persistent HTTP/1.1 connection to the server; requests for any gym's host go over it."""

    def __init__(self, port):
        self.port = port
        self.connection = None
        self.opened = 0

    def request(self, method, host, path, headers=None, body=None):
        headers = {"Host": f"{host}:{self.port}", **(headers or {})}
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.opened += 1
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, http.client.CannotSendRequest, ConnectionError):
                # The server closed an idle keep-alive connection: open a new one and send again once.
                self.close()
                if attempt == 2:
                    raise
                continue
            if response.will_close:
                self.close()
            return response.status, response.headers, data
        raise AssertionError("unreachable")

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def _cookies(headers):
    jar = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return jar


def sign_in(connection, account):
    """Sign in through allauth's login form on the account's gym host; keep the session cookie."""
    from django.conf import settings

    host = account.gym.host
    status, headers, body = connection.request("GET", host, "/accounts/login/")
    assert status == 200, (host, status)
    csrf_cookie = _cookies(headers)[settings.CSRF_COOKIE_NAME].value
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urlencode({"login": account.email, "password": PASSWORD, "csrfmiddlewaretoken": token})
    status, headers, body = connection.request(
        "POST",
        host,
        "/accounts/login/",
        headers={
            "Cookie": f"{settings.CSRF_COOKIE_NAME}={csrf_cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=form,
    )
    assert status == 302 and headers["Location"] == "/", (account.email, status, headers["Location"], body[:500])
    morsel = _cookies(headers)[settings.SESSION_COOKIE_NAME]
    # Host-only cookie: a browser sends it back to this gym's host only, never to another gym's.
    assert not morsel["domain"], (account.email, morsel.OutputString())
    account.session_cookie = f"{settings.SESSION_COOKIE_NAME}={morsel.value}"


def sign_in_all(port, gyms):
    connection = HttpConnection(port)
    try:
        for gym in gyms:
            for account in gym.accounts:
                sign_in(connection, account)
    finally:
        connection.close()


# ------------------------------------------------------------------ plan and checks


@dataclass(frozen=True)
class Planned:
    account: Account
    gym: Gym  # whose host the request goes to
    path: str
    expect: tuple  # strings the body must contain
    cross: bool = False


def pages_of(account):
    gym = account.gym
    base = (gym.name, account.name)
    pages = [
        Planned(account, gym, "/", base),
        Planned(account, gym, "/clients/", base + tuple(account.client_tokens)),
        Planned(account, gym, "/sessions/", base),
    ]
    pages += [
        Planned(account, gym, f"/clients/{pk}/", base + (token,))
        for pk, token in zip(account.client_ids, account.client_tokens, strict=True)
    ]
    if account.role == "owner":
        pages.append(Planned(account, gym, "/team/", base + tuple(other.name for other in gym.accounts)))
    return pages


def build_plan(gyms, total, seed=0):
    """``total`` requests: signed-in pages of every account, and some carrying a cookie to another gym's host."""
    rng = random.Random(seed)
    accounts = [account for gym in gyms for account in gym.accounts]
    own = {id(account): pages_of(account) for account in accounts}
    plan = []
    for _ in range(total):
        account = rng.choice(accounts)
        if len(gyms) > 1 and rng.random() < CROSS_SHARE:
            other = rng.choice([gym for gym in gyms if gym is not account.gym])
            plan.append(Planned(account, other, rng.choice(["/", "/clients/", "/sessions/"]), (), cross=True))
        else:
            plan.append(rng.choice(own[id(account)]))
    return plan


def marker_pattern(run):
    return re.compile(rf"Iso{run}G(\d\d)".encode())


def expected_search_path(schema):
    from django.conf import settings

    return [schema, "public", *getattr(settings, "PG_EXTRA_SEARCH_PATHS", [])]


def parse_search_path(value):
    return [part.strip().strip('"') for part in value.split(",")] if value not in (None, "-") else None


def check(planned, status, headers, body, pattern):
    """Problems of one response, as (kind, detail); no problems is an empty list."""
    problems = []
    gym = planned.gym
    everything = body + "\n".join(f"{k}: {v}" for k, v in headers.items()).encode()
    seen = {int(number) for number in pattern.findall(everything)}
    if status >= 500:
        problems.append(("server_error", f"{status}"))
    if planned.cross:
        # Gym A's session cookie on gym B's host: B does not know the session, so B asks to sign in.
        location = headers.get("Location", "")
        if status != 302 or not location.startswith("/accounts/login/"):
            problems.append(("unexpected_status", f"{status} {location}"))
        if seen:
            problems.append(("foreign_data", f"markers of gyms {sorted(seen)}"))
    else:
        if status != 200:
            problems.append(("unexpected_status", f"{status} {headers.get('Location', '')}"))
        foreign = seen - {gym.index}
        if foreign:
            problems.append(("foreign_data", f"markers of gyms {sorted(foreign)}"))
        missing = [text for text in planned.expect if text.encode() not in body]
        if missing and status == 200:
            problems.append(("missing_own_data", ", ".join(missing)))
    search_path = parse_search_path(headers.get("X-Probe-Search-Path"))
    if search_path is None:
        problems.append(("no_probe", "no X-Probe-Search-Path"))
    elif search_path != expected_search_path(gym.schema):
        problems.append(("wrong_search_path", headers.get("X-Probe-Search-Path")))
    cache_seen = headers.get("X-Probe-Cache-Seen", "-")
    if cache_seen != "-" and not cache_seen.startswith(f"{gym.schema}|"):
        problems.append(("foreign_cache_entry", cache_seen))
    return problems


ISOLATION_PROBLEMS = {"foreign_data", "missing_own_data", "wrong_search_path", "foreign_cache_entry", "no_probe"}


# ------------------------------------------------------------------ load


@dataclass
class Outcome:
    sent: int = 0
    max_in_flight: int = 0
    latencies_ms: list = field(default_factory=list)
    problems: dict = field(default_factory=dict)  # kind -> count of responses
    wrong_gym: int = 0
    server_errors: int = 0
    transport_errors: int = 0
    samples: list = field(default_factory=list)
    http_connections: int = 0
    backend_pids: set = field(default_factory=set)
    cross_gym_reuses: int = 0  # requests whose connection last served another gym
    cross_requests: int = 0
    cache_hits_own: int = 0
    seconds: float = 0.0


def run_load(port, plan, run, concurrency):
    """Send ``plan`` with ``concurrency`` threads, each on its own keep-alive connection; check every response."""
    pattern = marker_pattern(run)
    schemas = {planned.gym.schema for planned in plan}
    outcome = Outcome()
    lock = threading.Lock()
    in_flight = 0
    next_index = iter(range(len(plan)))
    start = threading.Barrier(concurrency)

    def worker():
        nonlocal in_flight
        connection = HttpConnection(port)
        start.wait()
        try:
            while True:
                with lock:
                    index = next(next_index, None)
                if index is None:
                    return
                planned = plan[index]
                headers = {"Cookie": planned.account.session_cookie}
                with lock:
                    in_flight += 1
                    outcome.sent += 1
                    outcome.max_in_flight = max(outcome.max_in_flight, in_flight)
                began = time.perf_counter()
                try:
                    status, response_headers, body = connection.request("GET", planned.gym.host, planned.path, headers)
                except OSError as error:
                    with lock:
                        in_flight -= 1
                        outcome.transport_errors += 1
                        outcome.samples.append(f"{planned.gym.host}{planned.path}: {error!r}")
                    continue
                elapsed = (time.perf_counter() - began) * 1000
                problems = check(planned, status, response_headers, body, pattern)
                before = parse_search_path(response_headers.get("X-Probe-Search-Path-Before"))
                with lock:
                    in_flight -= 1
                    outcome.latencies_ms.append(elapsed)
                    outcome.cross_requests += planned.cross
                    pid = response_headers.get("X-Probe-Backend-Pid", "-")
                    if pid != "-":
                        outcome.backend_pids.add(pid)
                    if before and before[0] in schemas and before[0] != planned.gym.schema:
                        outcome.cross_gym_reuses += 1
                    if response_headers.get("X-Probe-Cache-Seen", "-").startswith(f"{planned.gym.schema}|"):
                        outcome.cache_hits_own += 1
                    kinds = {kind for kind, _detail in problems}
                    for kind in kinds:
                        outcome.problems[kind] = outcome.problems.get(kind, 0) + 1
                    outcome.wrong_gym += bool(kinds & ISOLATION_PROBLEMS)
                    outcome.server_errors += status >= 500
                    if problems and len(outcome.samples) < 20:
                        who = f"{planned.account.email} -> {planned.gym.host}{planned.path}"
                        outcome.samples.append(f"{who}: {status} {problems}")
        finally:
            with lock:
                outcome.http_connections += connection.opened
            connection.close()

    threads = [threading.Thread(target=worker, name=f"load-{number}") for number in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcome.seconds = time.perf_counter() - began
    return outcome


# ------------------------------------------------------------------ cache, seen from outside the server


def cache_problems(server, gyms):
    """Read what the server wrote to the shared cache (Redis only: local memory lives in the server's processes).

    Under each gym's schema, the probe's entry is that gym's own; every gym has its own entry (so the entries
    the requests of gym B did not see existed at the time); and the host -> organization entries that
    ``tenants.resolution`` shares between processes map each host to its own gym.
    """
    if not server.cache_url:
        return []
    import redis
    from django.core.cache.backends.redis import RedisCache
    from django.db import connection

    from apps.core.isolation_probe import CACHE_KEY
    from tenants.resolution import _cache_key

    store = RedisCache(
        server.cache_url, {"KEY_PREFIX": server.key_prefix, "KEY_FUNCTION": "django_tenants.cache.make_key"}
    )
    problems = []
    try:
        for gym in gyms:
            connection.set_schema(gym.schema)
            value = store.get(CACHE_KEY)
            if value is None or not value.startswith(f"{gym.schema}|{gym.host}"):
                problems.append(f"probe entry under {gym.schema}: {value!r}")
        connection.set_schema_to_public()
        for gym in gyms:
            organization = store.get(_cache_key(gym.host))
            if getattr(organization, "slug", None) != gym.slug:
                problems.append(f"host entry {gym.host}: {organization!r}")
    finally:
        connection.set_schema_to_public()
        store.close()
    client = redis.Redis.from_url(server.cache_url, socket_timeout=5)
    try:
        keys = list(client.scan_iter(match=f"*:{server.key_prefix}:*:{CACHE_KEY}", count=1000))
    finally:
        client.close()
    key_schemas = sorted(key.split(b":", 1)[0].decode() for key in keys)
    if key_schemas != sorted(gym.schema for gym in gyms):
        problems.append(f"probe entries under schemas {key_schemas}")
    return problems


# ------------------------------------------------------------------ figures


def figures(outcome, server, gyms, plan_size, cache_checks):
    latencies = outcome.latencies_ms or [0.0]
    return {
        "requests": outcome.sent,
        "planned": plan_size,
        "max_in_flight": outcome.max_in_flight,
        "wrong_gym_responses": outcome.wrong_gym,
        "server_errors_5xx": outcome.server_errors,
        "unexpected_status": outcome.problems.get("unexpected_status", 0),
        "transport_errors": outcome.transport_errors,
        "problems": outcome.problems,
        "cache_problems": len(cache_checks),
        "p50_ms": round(_common.percentile(latencies, 50), 1),
        "p95_ms": round(_common.percentile(latencies, 95), 1),
        "max_ms": round(max(latencies), 1),
        "seconds": round(outcome.seconds, 2),
        "requests_per_second": round(outcome.sent / outcome.seconds, 1) if outcome.seconds else None,
        "gyms": len(gyms),
        "accounts": sum(len(gym.accounts) for gym in gyms),
        "cross_gym_cookie_requests": outcome.cross_requests,
        "http_connections": outcome.http_connections,
        "db_connections": len(outcome.backend_pids),
        "db_connection_reuses_across_gyms": outcome.cross_gym_reuses,
        "cache": server.cache,
        "cache_hits_own_gym": outcome.cache_hits_own,
        "server": f"gunicorn gthread {server.workers}x{server.threads}",
        "conn_max_age": server.conn_max_age,
    }
