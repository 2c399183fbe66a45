from django.urls import path

from .views import team

urlpatterns = [
    path("", team.DashboardView.as_view(), name="dashboard"),
    path("team/", team.TeamView.as_view(), name="team"),
    path("team/invitations/", team.InvitationCreateView.as_view(), name="invitation_create"),
    path(
        "team/invitations/<int:pk>/resend/",
        team.InvitationActionView.as_view(action="resend"),
        name="invitation_resend",
    ),
    path(
        "team/invitations/<int:pk>/revoke/",
        team.InvitationActionView.as_view(action="revoke"),
        name="invitation_revoke",
    ),
]
