"""schemathesis over the whole API schema, as an owner key and as a trainer key: no 5xx, only documented statuses
and content types, responses that match their schemas, and stateful runs that create, then read and change what
they created. The number of examples is bounded so that the group stays well under three minutes."""

import os
from pathlib import Path

import pytest
import schemathesis
import yaml
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import ClientFactory
from tests.support import in_gym

pytestmark = pytest.mark.fuzz

SCHEMA = yaml.safe_load((Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml").read_text())
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Bounded so that the group stays well under three minutes; FUZZ_EXAMPLES=500 for a longer hunt.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))


def api_schema():
    schema = schemathesis.openapi.from_dict(SCHEMA)
    schema.app = get_wsgi_application()
    return schema


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes the database connection after each request; the test's transaction must survive
    (Django's test client does the same)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(params=["owner", "trainer"])
def caller(request, gym_a, people, key_for):
    trainer = people[request.param]
    for _ in range(3):
        in_gym(gym_a, ClientFactory, trainer=trainer)
    _key, secret = key_for(trainer)
    return {"Host": gym_a.host, "Authorization": f"Bearer {secret}"}


def test_every_operation(caller, subtests):
    schema = api_schema()
    for result in schema.get_all_operations():
        operation = result.ok()
        strategy = operation.as_strategy()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        )
        def check(case):
            with transaction.atomic():  # each example in its own savepoint: one failure does not hide the next
                case.call_and_validate(headers=caller, checks=CHECKS)
                transaction.set_rollback(True)

        with subtests.test(operation=operation.label):
            from hypothesis import given

            given(strategy)(check)()


def test_stateful_links(caller):
    schema = api_schema()
    machine = schema.as_state_machine()

    class Run(machine):
        # Each run starts from the same gym: its writes are rolled back and the rate limits' counters (in the cache)
        # start again, or a later run would meet a 429 where an earlier one met a 201 and hypothesis, finding the
        # API's answers depend on what ran before, would stop with FlakyStrategyDefinition.
        def setup(self):
            cache.clear()
            self._savepoint = transaction.savepoint_create()

        def teardown(self):
            transaction.savepoint_rollback(self._savepoint)
            cache.clear()

        def get_call_kwargs(self, case):
            return {"headers": caller}

        def validate_response(self, response, case, **kwargs):
            case.validate_response(response, checks=CHECKS)

    Run.TestCase.settings = settings(
        max_examples=15,
        stateful_step_count=6,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=True,
    )
    Run.TestCase().runTest()
