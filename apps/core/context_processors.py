from django.conf import settings


def organization(request):
    return {
        "organization": getattr(request, "tenant", None),
        "base_domain": settings.BASE_DOMAIN,
    }
