"""Two gyms are provisioned once per test session (not per test or class); tests roll back their rows."""

import pytest
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connection
from django.dispatch import receiver
from django.test import Client
from django.test.signals import setting_changed
from django.utils import timezone, translation

from tenants.models import Invitation, Organization
from tenants.resolution import forget_all_local

GYM_A = "alpha"
GYM_B = "bravo"


@receiver(setting_changed)
def forget_tenant_media_root(*, setting, **kwargs):
    """django-tenants' TenantFileSystemStorage caches MEDIA_ROOT (``relative_media_root``) and forgets it only when
    MULTITENANT_RELATIVE_MEDIA_ROOT changes: a test that sets MEDIA_ROOT would leave every later test (and a real
    worker's files) on its temporary folder. Forget it whenever MEDIA_ROOT changes, on the way in and out."""
    if setting == "MEDIA_ROOT":
        for storage in storages._storages.values():
            storage.__dict__.pop("relative_media_root", None)


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):
    """Create the test database and two gyms, whatever the selected tests ask for.

    pytest-django only creates the database when a collected test is marked for it; the race tests
    (committed data, several connections) are not, so on their own they would reach the real database.
    """
    from django.test.utils import setup_databases, teardown_databases

    from tenants.services import organization_provision

    with django_db_blocker.unblock():
        config = setup_databases(verbosity=request.config.option.verbose, interactive=False, aliases={"default"})
    # Guard: these rows are committed, so they must only ever land in the throw-away test database.
    assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        for slug, name in [(GYM_A, "Alpha Gym"), (GYM_B, "Bravo Gym")]:
            if not Organization.objects.filter(slug=slug).exists():
                organization_provision(
                    name=name, slug=slug, owner_email=f"owner@{slug}.example", seat_limit=10, send_invitation=False
                )
        # Tests start from empty gyms; the owner's invitation is covered by test_provisioning.
        Invitation.objects.all().delete()
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=request.config.option.verbose)


@pytest.fixture(autouse=True)
def _fresh_state():
    """Every test starts in the public schema, in UTC and English, with empty caches."""
    timezone.deactivate()
    translation.deactivate()  # a request in Korean leaves its language active in this thread
    connection.set_schema_to_public()
    cache.clear()
    forget_all_local()
    yield
    connection.set_schema_to_public()
    cache.clear()
    forget_all_local()


@pytest.fixture
def gym_a(db):
    return Organization.objects.get(slug=GYM_A)


@pytest.fixture
def gym_b(db):
    return Organization.objects.get(slug=GYM_B)


@pytest.fixture
def in_gym_a(gym_a):
    """Run the test body in gym A's schema, as a request on its host would."""
    connection.set_tenant(gym_a)
    yield gym_a
    connection.set_schema_to_public()


@pytest.fixture
def in_gym_b(gym_b):
    connection.set_tenant(gym_b)
    yield gym_b
    connection.set_schema_to_public()


class GymClient(Client):
    """A test client that talks to one gym's host and restores the public schema after each call."""

    def __init__(self, organization, **kwargs):
        super().__init__(HTTP_HOST=organization.host, **kwargs)
        self.organization = organization

    def request(self, **request):
        previous = connection.tenant
        try:
            return super().request(**request)
        finally:
            connection.set_tenant(previous)

    def login_as(self, trainer):
        previous = connection.tenant
        connection.set_tenant(self.organization)
        try:
            self.force_login(trainer.user, backend="django.contrib.auth.backends.ModelBackend")
        finally:
            connection.set_tenant(previous)
        return self


@pytest.fixture
def client_a(gym_a):
    return GymClient(gym_a)


@pytest.fixture
def client_b(gym_b):
    return GymClient(gym_b)


@pytest.fixture
def root_client(db):
    return Client(HTTP_HOST="localhost")
