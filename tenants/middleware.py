"""Pick the gym from the host name, or the platform on the root host, before anything else runs."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import set_urlconf
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.middleware.main import TenantMainMiddleware

from apps.core.dates import gym_timezone

from .resolution import organization_for_host

ALWAYS_SERVED_PREFIXES = ("/static/",)


def wants_json(request):
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


class OrganizationMiddleware(TenantMainMiddleware):
    def process_request(self, request):
        connection.set_schema_to_public()
        timezone.deactivate()
        hostname = self.hostname_from_request(request).lower()
        if hostname in {settings.BASE_DOMAIN, f"www.{settings.BASE_DOMAIN}"}:
            # No request.tenant on the platform's own host (django-tenants' admin templates expect that).
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            set_urlconf(request.urlconf)
            return None
        organization = organization_for_host(hostname)
        if organization is None:
            return self.unknown_host(request, hostname)
        organization.domain_url = hostname
        request.tenant = organization
        if organization.is_suspended and not request.path.startswith(ALWAYS_SERVED_PREFIXES):
            return self.suspended(request, organization)
        connection.set_tenant(organization)
        # Pages show and read times in the gym's own timezone, not the server's.
        timezone.activate(gym_timezone())
        request.urlconf = settings.ROOT_URLCONF
        set_urlconf(request.urlconf)
        return None

    def unknown_host(self, request, hostname):
        with _visitors_language(request):
            if wants_json(request):
                detail = _("There is no gym at this address.")
                return JsonResponse({"code": "unknown_host", "message": detail, "fields": {}}, status=404)
            context = {"hostname": hostname, "root_url": _root_url()}
            return render(request, "tenants/unknown_host.html", context, status=404)

    def suspended(self, request, organization):
        with _visitors_language(request):
            if wants_json(request):
                detail = _("This organization is suspended.")
                return JsonResponse({"code": "organization_suspended", "message": detail, "fields": {}}, status=403)
            return render(request, "tenants/suspended.html", {"organization": organization}, status=403)


def _visitors_language(request):
    """These pages are answered before LocaleMiddleware runs: pick the language as it would (cookie, header)."""
    return translation.override(translation.get_language_from_request(request))


def _root_url():
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{settings.BASE_DOMAIN}{port}/"
