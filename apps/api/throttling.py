"""Rate limits per API key (or per signed-in user), separate for reads and writes, kept in the cache.

The key names the gym's schema, so a flood from one gym never uses up another gym's allowance (the cache's
``KEY_FUNCTION`` adds the schema too). Rates: ``API_THROTTLE_RATES`` in the settings.
"""

from django.conf import settings
from django.db import connection
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import SimpleRateThrottle


class GymRateThrottle(SimpleRateThrottle):
    def __init__(self):
        # The rate depends on the request's method: chosen in allow_request.
        pass

    def allow_request(self, request, view):
        self.scope = "read" if request.method in SAFE_METHODS else "write"
        self.rate = settings.API_THROTTLE_RATES[self.scope]
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        key = getattr(request._request, "api_key", None)
        if key is not None:
            ident = f"key:{key.prefix}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return f"api-throttle:{connection.schema_name}:{self.scope}:{ident}"
