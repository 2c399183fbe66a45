from django.conf import settings


def organization(request):
    return {
        "organization": getattr(request, "tenant", None),
        "trainer": getattr(request, "trainer", None),
        "base_domain": settings.BASE_DOMAIN,
    }
