"""URLs served on the platform's root host (BASE_DOMAIN)."""

from django.contrib import admin
from django.urls import path
from django.views.i18n import set_language

from tenants.views import LandingView

urlpatterns = [
    path("", LandingView.as_view(), name="landing"),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
]
