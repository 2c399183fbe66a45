from django.urls import path

from . import views

urlpatterns = [
    path("invitations/<str:token>/", views.AcceptInvitationView.as_view(), name="invitation_accept"),
    path("team/", views.TeamView.as_view(), name="team"),
    path("team/invitations/", views.InvitationCreateView.as_view(), name="invitation_create"),
    path(
        "team/invitations/<int:pk>/resend/",
        views.InvitationActionView.as_view(action="resend"),
        name="invitation_resend",
    ),
    path(
        "team/invitations/<int:pk>/revoke/",
        views.InvitationActionView.as_view(action="revoke"),
        name="invitation_revoke",
    ),
    path("team/<int:pk>/role/", views.TeamMemberActionView.as_view(action="role"), name="team_member_role"),
    path(
        "team/<int:pk>/deactivate/",
        views.TeamMemberActionView.as_view(action="deactivate"),
        name="team_member_deactivate",
    ),
    path(
        "team/<int:pk>/reactivate/",
        views.TeamMemberActionView.as_view(action="reactivate"),
        name="team_member_reactivate",
    ),
    path("team/<int:pk>/transfer/", views.TransferView.as_view(), name="team_member_transfer"),
    path("team/<int:pk>/assists/", views.AssistantLinksView.as_view(), name="team_member_assists"),
    path("team/audit/", views.AuditLogView.as_view(), name="audit_log"),
    path("team/audit/export.csv", views.AuditLogExportView.as_view(), name="audit_log_export"),
    path("team/settings/", views.GymSettingsView.as_view(), name="gym_settings"),
    path(
        "team/settings/setup-checklist/dismiss/",
        views.SetupChecklistDismissView.as_view(),
        name="setup_checklist_dismiss",
    ),
]
