"""URLs served on a gym's host (<slug>.<BASE_DOMAIN>)."""

import posixpath

from django.conf import settings
from django.conf.urls.static import static
from django.core.files.storage import default_storage
from django.http import Http404
from django.urls import include, path
from django.views.i18n import set_language
from django.views.static import serve

urlpatterns = [
    path("accounts/", include("allauth.account.urls")),
    path("api/v1/", include("apps.api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("clients/", include("apps.clients.urls")),
    path("clients/", include("apps.clientfile.urls")),
    path("assessments/", include("apps.assessments.urls")),
    path("", include("apps.reports.urls")),
    path("", include("apps.training.urls")),
    path("", include("apps.analytics.urls")),
    path("", include("apps.team.urls")),
    path("", include("apps.trainers.urls")),
]


def serve_gym_media(request, path):
    """Development only: serve an upload of *this* gym (its schema's folder) and nothing of another gym.

    Media URLs are MEDIA_URL + <schema> + "/" + name (TenantFileSystemStorage). The schema in the URL must be
    the host's, and the file is looked up inside that schema's folder only, so gym A's host answers 404 for
    gym B's files, ``..`` included. In production the web server or S3 serves media; this route does not exist.
    """
    own_prefix = default_storage.base_url.removeprefix(settings.MEDIA_URL)  # "<schema>/"
    name = posixpath.normpath(path)
    if not own_prefix or not name.startswith(own_prefix):
        raise Http404
    return serve(request, name.removeprefix(own_prefix), document_root=default_storage.location)


if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, view=serve_gym_media)

# Under /api/ these answer in the API's JSON error shape; elsewhere Django's pages.
handler404 = "apps.api.views.errors.not_found"
handler500 = "apps.api.views.errors.server_error"
