import json

import pytest

from apps.trainers.services.api_keys import api_key_create
from tenants.models import Role
from tests.support import in_gym, member


class Api:
    """Calls /api/v1/ on one gym's host with a key (or the session of a GymClient that logged in)."""

    def __init__(self, client, key=None):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}

    def get(self, path, **params):
        return self.client.get(f"/api/v1/{path}", params, **self.headers)

    def _send(self, method, path, body, headers):
        payload = body if isinstance(body, str | bytes) else json.dumps(body)
        extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in (headers or {}).items()}
        return getattr(self.client, method)(
            f"/api/v1/{path}", payload, content_type="application/json", **self.headers, **extra
        )

    def post(self, path, body=None, headers=None):
        return self._send("post", path, {} if body is None else body, headers)

    def patch(self, path, body, headers=None):
        return self._send("patch", path, body, headers)


@pytest.fixture
def people(gym_a):
    team = {role: member(gym_a, role) for role in (Role.OWNER, Role.SENIOR, Role.TRAINER, Role.ASSISTANT)}
    team["other"] = member(gym_a, Role.TRAINER)
    return team


@pytest.fixture
def key_for(gym_a):
    def make(trainer, writable=True, organization=None, **kwargs):
        return in_gym(organization or gym_a, api_key_create, actor=trainer, name="script", writable=writable, **kwargs)

    return make


@pytest.fixture
def api_as(client_a, key_for):
    def make(trainer, writable=True):
        _key, secret = key_for(trainer, writable=writable)
        return Api(client_a, secret)

    return make
