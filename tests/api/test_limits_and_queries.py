"""Rate limits per key, apart per gym; and every list and detail endpoint runs the same number of queries with 3 or
30 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from tests.api.conftest import Api
from tests.factories import ClientFactory
from tests.support import in_gym, member


@override_settings(API_THROTTLE_RATES={"read": "5/min", "write": "2/min"})
def test_a_flood_from_one_gym_never_throttles_another(gym_a, gym_b, client_a, client_b, people, key_for):
    _key, secret_a = key_for(people["trainer"])
    _key, secret_b = key_for(member(gym_b, "trainer"), organization=gym_b)
    api_a, api_b = Api(client_a, secret_a), Api(client_b, secret_b)
    statuses = [api_a.get("me/").status_code for _ in range(7)]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]
    throttled = api_a.get("me/")
    assert throttled.json()["code"] == "throttled" and int(throttled["Retry-After"]) > 0
    assert [api_b.get("me/").status_code for _ in range(5)] == [200] * 5  # gym B's allowance is its own
    # Writes have their own allowance; a second key of the same trainer has its own too.
    _key, another = key_for(people["trainer"])
    assert Api(client_a, another).get("me/").status_code == 200


def count_queries(api, path):
    api.get(path)  # warm: the host's gym is cached and the key's last use noted (once a minute)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize("role", ["owner", "trainer", "assistant"])
def test_the_client_list_costs_the_same_with_3_and_30_rows(gym_a, people, api_as, role):
    from apps.trainers.models import AssistantLink

    in_gym(gym_a, AssistantLink.objects.create, assistant=people["assistant"], trainer=people["trainer"])
    api = api_as(people[role])
    for _ in range(3):
        in_gym(gym_a, ClientFactory, trainer=people["trainer"])
    few = count_queries(api, "clients/")
    for _ in range(27):
        in_gym(gym_a, ClientFactory, trainer=people["trainer"])
    many = count_queries(api, "clients/")
    assert few == many
    assert len(api.get("clients/").json()["results"]) == 25


def test_one_client_costs_the_same_whoever_it_is(gym_a, people, api_as):
    api = api_as(people["owner"])
    first = in_gym(gym_a, ClientFactory, trainer=people["trainer"])
    second = in_gym(gym_a, ClientFactory, trainer=people["other"], notes="x" * 3000)
    assert count_queries(api, f"clients/{first.pk}/") == count_queries(api, f"clients/{second.pk}/")
    assert count_queries(api, "me/") <= 4


def test_detail_endpoints_cost_the_same_with_3_and_30_related_rows(gym_a, people, api_as):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from apps.trainers.models import Certification
    from tests.factories import PaymentFactory, SessionFactory, SessionPackageFactory

    api = api_as(people["owner"])
    client = in_gym(gym_a, ClientFactory, trainer=people["trainer"])
    package = in_gym(gym_a, SessionPackageFactory, client=client, total_sessions=100)
    session = in_gym(gym_a, SessionFactory, client=client, trainer=people["trainer"], package=package)

    def add(count):
        for _ in range(count):
            in_gym(
                gym_a,
                Certification.objects.create,
                trainer=people["trainer"],
                name="CPT",
                issuing_body="NASM",
                earned_on=timezone.localdate() - timedelta(days=30),
            )
            in_gym(gym_a, PaymentFactory, package=package, amount=Decimal("1"))
            in_gym(gym_a, SessionFactory, client=client, trainer=people["trainer"], package=package)

    paths = [
        f"trainers/{people['trainer'].pk}/",
        f"packages/{package.pk}/",
        f"sessions/{session.pk}/",
        f"clients/{client.pk}/",
        f"trainers/{people['trainer'].pk}/availability/",
    ]
    add(3)
    few = {path: count_queries(api, path) for path in paths}
    add(27)
    assert {path: count_queries(api, path) for path in paths} == few
