from django.urls import include, path

from .views import team, view_scope

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
    path("team/<int:pk>/role/", team.TeamMemberActionView.as_view(action="role"), name="team_member_role"),
    path(
        "team/<int:pk>/deactivate/",
        team.TeamMemberActionView.as_view(action="deactivate"),
        name="team_member_deactivate",
    ),
    path(
        "team/<int:pk>/reactivate/",
        team.TeamMemberActionView.as_view(action="reactivate"),
        name="team_member_reactivate",
    ),
    path("team/<int:pk>/transfer/", team.TransferView.as_view(), name="team_member_transfer"),
    path("team/<int:pk>/assists/", team.AssistantLinksView.as_view(), name="team_member_assists"),
    path("view-as/", view_scope.ViewAsView.as_view(), name="view_as"),
    path("team/audit/", team.AuditLogView.as_view(), name="audit_log"),
    # Each area keeps its own URL module.
    path("", include("apps.trainers.urls_profile")),
    path("", include("apps.trainers.urls_availability")),
    path("", include("apps.trainers.urls_pricing")),
]
