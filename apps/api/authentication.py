"""Who is calling: a personal API key (``Authorization: Bearer gk_…``) or the browser's session (with CSRF).

Either way the request's actor is the trainer behind the user, built like the pages' (``ActorMiddleware``): the key's
trainer, or ``request.actor`` of the session. A key of another gym, an unknown, revoked or expired key all answer the
same 401: this gym's schema simply has no such usable key.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from apps import access
from apps.trainers.middleware import actor_for_user
from apps.trainers.services.api_keys import api_key_authenticate


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _sep, raw_key = header.partition(" ")
        if keyword != self.keyword:
            return None
        key = api_key_authenticate(raw_key.strip())
        if key is None or not access.is_active_member(key.trainer) or not key.trainer.user.is_active:
            raise exceptions.AuthenticationFailed(_("This API key is not valid here. Check it, or create a new one."))
        actor = key.trainer
        request._request.actor = actor
        request._request.api_key = key
        return actor.user, key

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, with CSRF checked on writes; the actor is the one ``ActorMiddleware`` built."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None:
            return None
        user, _auth = found
        actor = getattr(request._request, "actor", None)
        if actor is None or actor.user_id != user.pk:
            actor = actor_for_user(user)
        if actor is None:
            return None
        request._request.actor = actor
        request._request.api_key = None
        return user, None


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "gk_<prefix>_<secret>",
            "description": "A personal API key, created on the profile page (Profile → API keys).",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = SessionAuthentication
    name = "session"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "The browser's session on the gym's host; writes need the X-CSRFToken header.",
        }
