"""No gym sees another gym's data while a real server answers many gyms at once.

Ten gyms with distinct data are served by ``gunicorn`` (two processes of six threads) with persistent database
connections, as in production, and, when Redis answers on 127.0.0.1, a Redis cache shared by both processes.
2,000 signed-in requests (24 in flight) for all gyms and both roles go over keep-alive connections that carry
any host; about 5 % carry one gym's session cookie to another gym's host. Each response must show its own gym's
names and no other gym's, the connection's real ``search_path`` after the request must be the gym's schema, and
the cache must never hand one gym an entry written while serving another. See ``bench/_isolation.py``
(shared with ``bench/isolation_load.py``) and ``apps/core/isolation_probe.py``.

Everything is committed for real (the server has its own connections) and removed again at the end: the gyms'
schemas and rows, the pooled schemas the refill added, and this run's Redis keys.
"""

import json

import pytest
from django.db import connection

from bench import _common
from bench import _isolation as load
from tenants.models import Organization
from tests.support import committed_database, database_url

TOTAL = 2000
CONCURRENCY = 24


@pytest.fixture
def db(django_db_setup, django_db_blocker):
    """Committed database access: the server process only sees committed rows (cleaned up by ``gyms``)."""
    with committed_database(django_db_blocker):
        yield


@pytest.fixture
def gyms(db):
    connection.set_schema_to_public()
    pool_names, pool_size = _common.pool_snapshot()
    run = load.new_run()
    prefix = f"iso-{run}"
    try:
        yield run, load.create_gyms(prefix, run)
    finally:
        load.drop_gyms(load.gym_slugs(prefix), pool_names, pool_size)
    assert not Organization.objects.filter(slug__startswith=prefix).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE %s", [f"gym_iso_{run}_%"])
        assert cursor.fetchone()[0] == 0
    assert _common.pool_snapshot()[1] == pool_size


@pytest.fixture
def server(gyms, tmp_path):
    run, _ = gyms
    cache_url = load.redis_if_reachable()
    server = load.start_server(database_url(), tmp_path / "server.log", run, cache_url=cache_url)
    try:
        yield server
    finally:
        load.stop_server(server)
        if cache_url:
            load.forget_cache_keys(cache_url, server.key_prefix)
        print(f"---- server log ({server.log_path}) ----\n{server.log()}")  # shown by pytest on failure


def test_no_gym_sees_another_gyms_data_under_concurrent_load(gyms, server):
    run, gym_list = gyms
    load.sign_in_all(server.port, gym_list)
    plan = load.build_plan(gym_list, TOTAL, seed=1)
    outcome = load.run_load(server.port, plan, run, CONCURRENCY)
    cache_checks = load.cache_problems(server, gym_list)
    result = load.figures(outcome, server, gym_list, len(plan), cache_checks)
    print(json.dumps(result))
    samples = "\n".join(outcome.samples)

    assert outcome.sent == TOTAL
    assert outcome.max_in_flight >= 20
    assert outcome.wrong_gym == 0, samples
    assert outcome.server_errors == 0, samples
    assert outcome.transport_errors == 0, samples
    assert outcome.problems == {}, samples
    assert cache_checks == []
    assert outcome.cross_requests > 50
    # The conditions the check is about really occurred: few persistent database connections served every
    # gym in turn, keep-alive connections carried many requests, and the cache was shared and used.
    assert 0 < result["db_connections"] <= server.workers * server.threads
    assert outcome.cross_gym_reuses > TOTAL // 2
    assert outcome.http_connections <= 2 * CONCURRENCY
    assert outcome.cache_hits_own > TOTAL // 2


def _gym(index, run):
    return load.Gym(
        index=index, slug=f"g{index}", schema=f"gym_g{index}", name=f"Iso{run}G{index:02d} Fitness",
        marker=f"Iso{run}G{index:02d}", host=f"g{index}.localhost",
    )  # fmt: skip


def test_the_checks_catch_a_leak():
    """The checker is not blind: another gym's name, a stale search_path or cache entry are each reported."""
    run = "abc123"
    mine, theirs = _gym(1, run), _gym(2, run)
    account = load.Account(
        gym=mine, role="owner", email="o@g1", name=f"{mine.marker} Owner", client_tokens=[], client_ids=[]
    )
    planned = load.Planned(account, mine, "/", (mine.name, account.name))
    pattern = load.marker_pattern(run)
    good_headers = {"X-Probe-Search-Path": "gym_g1, public", "X-Probe-Cache-Seen": "gym_g1|g1.localhost"}
    body = f"<h1>{mine.name}</h1> Hello {account.name}".encode()

    assert load.check(planned, 200, good_headers, body, pattern) == []
    leaked = body + f"<td>{theirs.marker}c4</td>".encode()
    assert [kind for kind, _ in load.check(planned, 200, good_headers, leaked, pattern)] == ["foreign_data"]
    assert [kind for kind, _ in load.check(planned, 200, good_headers, b"Hello", pattern)] == ["missing_own_data"]
    stale = {**good_headers, "X-Probe-Search-Path": '"gym_g2", public'}
    assert [kind for kind, _ in load.check(planned, 200, stale, body, pattern)] == ["wrong_search_path"]
    foreign_cache = {**good_headers, "X-Probe-Cache-Seen": "gym_g2|g2.localhost"}
    assert [kind for kind, _ in load.check(planned, 200, foreign_cache, body, pattern)] == ["foreign_cache_entry"]
    assert [kind for kind, _ in load.check(planned, 502, good_headers, body, pattern)] == [
        "server_error",
        "unexpected_status",
    ]
    cross = load.Planned(account, theirs, "/clients/", (), cross=True)
    cross_headers = {"Location": "/accounts/login/?next=/clients/", "X-Probe-Search-Path": "gym_g2, public"}
    assert load.check(cross, 302, cross_headers, b"", pattern) == []
    assert [kind for kind, _ in load.check(cross, 200, cross_headers, body, pattern)] == [
        "unexpected_status",
        "foreign_data",
    ]
