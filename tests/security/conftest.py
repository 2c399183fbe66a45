"""The world of the route-access tests (tests/security/world.py), built once per test module."""

import pytest
from django.db import connection, transaction

from .world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            connection.set_schema_to_public()
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def w(world, db):
    """The module's world, in a test whose writes are rolled back (pytest-django's savepoint)."""
    connection.set_schema_to_public()
    return world
