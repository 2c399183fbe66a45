"""Helpers for tests that start real processes (a Celery worker, an application server) against the test database.

Such a process has its own database connection, so it only sees committed rows: those tests replace pytest-django's
rolled-back ``db`` fixture with one built on :func:`committed_database` and delete what they committed themselves.
"""

import time
from contextlib import contextmanager

import pytest
from django.db import connection

from bench._common import database_url, free_port, stop_process  # noqa: F401 (re-exported for the tests)


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


def in_gym(organization, function, *args, **kwargs):
    """Call ``function`` inside ``organization``'s schema and go back to the public schema afterwards."""
    connection.set_tenant(organization)
    try:
        return function(*args, **kwargs)
    finally:
        connection.set_schema_to_public()


def member(organization, role="trainer", **kwargs):
    """A new trainer of ``role`` in ``organization`` (made in its schema, returned from the public one)."""
    from tests.factories import TrainerFactory

    return in_gym(organization, TrainerFactory, role=role, **kwargs)
