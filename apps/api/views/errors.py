"""Django's own error pages for URLs under /api/ that no API view answers (an id that is not a number, a typo in the
path): the API's error shape in JSON, not an HTML page."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _is_api(request):
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"code": "not_found", "message": _("Not found."), "fields": {}}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        message = _("Something went wrong on our side. Nothing was changed; try again in a moment.")
        return JsonResponse({"code": "server_error", "message": message, "fields": {}}, status=500)
    return defaults.server_error(request)
