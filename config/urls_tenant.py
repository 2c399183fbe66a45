"""URLs served on a gym's host (<slug>.<BASE_DOMAIN>)."""

from django.urls import include, path
from django.views.i18n import set_language

from tenants.views import AcceptInvitationView

urlpatterns = [
    path("accounts/", include("allauth.account.urls")),
    path("invitations/<str:token>/", AcceptInvitationView.as_view(), name="invitation_accept"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("apps.trainers.urls")),
]
