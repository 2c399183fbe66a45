from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import TrainerFactory


def test_root_host_shows_the_landing_page(root_client):
    response = root_client.get("/")
    assert response.status_code == 200
    assert b"Run your gym" in response.content


def test_unknown_subdomain_gets_a_friendly_404_every_time(db):
    from django.test import Client

    for _ in range(3):  # the second answer comes from the host cache
        response = Client(HTTP_HOST="nowhere.localhost").get("/")
        assert response.status_code == 404
        assert b"There is no gym at this address" in response.content
    assert Client(HTTP_HOST="nowhere.localhost").get("/api/x/").json()["code"] == "unknown_host"


def test_warm_gym_request_spends_no_query_on_finding_its_tenant(client_a, in_gym_a):
    trainer = TrainerFactory()
    connection.set_schema_to_public()
    client_a.login_as(trainer)
    assert client_a.get("/").status_code == 200  # warms the host cache
    with CaptureQueriesContext(connection) as queries:
        response = client_a.get("/")
    assert response.status_code == 200
    statements = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in statements if "tenants_domain" in sql or "tenants_organization" in sql]
    # search_path, session, user, trainer, then the dashboard's own seven figures (the month's come from the
    # analytics' metrics: sessions by day and outcome, cash)
    assert len(statements) == 11, "\n".join(s[:90] for s in statements)
    assert statements[0].startswith("SET search_path")


def test_landing_page_sends_a_visitor_to_their_gym(root_client, gym_a):
    response = root_client.get("/", {"slug": " Alpha "})
    assert response.status_code == 302
    assert response["Location"] == "http://alpha.localhost/accounts/login/"


def test_landing_page_says_when_there_is_no_such_gym(root_client):
    response = root_client.get("/", {"slug": "atlantis"})
    assert response.status_code == 404
    assert "There is no gym at “atlantis”" in response.content.decode()


def test_a_missing_page_on_a_gym_host_is_a_styled_404(client_a):
    response = client_a.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"Alpha Gym" in response.content


def test_pages_show_times_in_the_gyms_timezone(gym_a, client_a):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tests.factories import SessionFactory, TrainerFactory

    gym_a.timezone = "Asia/Seoul"
    gym_a.save(update_fields=["timezone"])
    connection.set_tenant(gym_a)
    trainer = TrainerFactory(role="owner")
    SessionFactory(
        trainer=trainer, client__trainer=trainer, starts_at=datetime(2026, 11, 24, 1, 0, tzinfo=ZoneInfo("UTC"))
    )
    connection.set_schema_to_public()
    page = client_a.login_as(trainer).get("/sessions/", {"day": "2026-11-24", "trainer": trainer.pk})
    content = page.content.decode()
    assert "10:00–11:00" in content  # 01:00 UTC is 10:00 in Seoul
    assert "01:00–02:00" not in content


def test_saving_the_gym_inside_its_own_schema_clears_the_shared_host_cache(gym_a, in_gym_a):
    """The cache prefixes keys with the connection's schema; the host entry is stored on the public schema, and a
    save from the gym's settings page (inside the gym's schema) must still clear it."""
    from django.core.cache import cache

    from tenants.models import Organization
    from tenants.resolution import _cache_key, forget_all_local, organization_for_host

    connection.set_schema_to_public()
    assert organization_for_host(gym_a.host).name == gym_a.name  # cached on the public schema
    connection.set_tenant(gym_a)
    organization = Organization.objects.get(pk=gym_a.pk)
    organization.name = "Renamed in its own schema"
    organization.save(update_fields=["name"])  # post_save forgets the host
    forget_all_local()  # another process: only the shared cache is between it and the database
    connection.set_schema_to_public()
    assert cache.get(_cache_key(gym_a.host)) is None
    assert organization_for_host(gym_a.host).name == "Renamed in its own schema"
