"""The yardstick of ``bench/http.py``: a bare Django application, one view, no middleware, no database.

Served by the same gunicorn as the gym, so that a ratio to it cancels out the machine and its load.

    gunicorn bench._bare_wsgi:application
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-bare-django-not-a-secret",  # noqa: S106 (signs nothing: no sessions, no forms)
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
)


def hello(request):
    return HttpResponse("hello")


urlpatterns = [path("", hello)]

application = get_wsgi_application()
