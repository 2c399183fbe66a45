"""Helpers for tests that start real processes (a Celery worker, an application server) against the test database.

Such a process has its own database connection, so it only sees committed rows: those tests replace pytest-django's
rolled-back ``db`` fixture with one built on :func:`committed_database` and delete what they committed themselves.
"""

import socket
import subprocess
import time
from contextlib import contextmanager
from urllib.parse import quote, urlencode

import pytest
from django.db import connection


def wait_for(condition, timeout, what, interval=0.05):
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def stop_process(process, grace=10):
    """Terminate a subprocess (SIGTERM, then SIGKILL after ``grace`` seconds) and reap it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=grace)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    """A URL for the very database this test process uses (the test database, not the configured one)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db["HOST"] or "", safe="")  # a unix-socket directory becomes %2F...; dj-database-url decodes it
    port = f":{db['PORT']}" if db["PORT"] else ""
    url = f"postgresql://{credentials + '@' if credentials else ''}{host}{port}/{quote(db['NAME'], safe='')}"
    options = {key: value for key, value in (db.get("OPTIONS") or {}).items() if type(value) in (str, int)}
    return f"{url}?{urlencode(options)}" if options else url


@contextmanager
def committed_database(django_db_blocker):
    """Database access without the per-test rollback, for a module-level ``db`` fixture.

    ``transactional_db`` is no option: its flush would wipe the organizations that conftest provisions once
    per session. A fixture named ``db`` (depending on ``django_db_setup``) is also what makes pytest-django
    create the test database at all when such a module runs on its own.
    """
    assert connection.settings_dict["NAME"].startswith("test_"), "commits only ever go to the test database"
    with django_db_blocker.unblock():
        yield
