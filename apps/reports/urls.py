from django.urls import path

from . import views

urlpatterns = [
    path("assessments/<int:pk>/report.pdf", views.AssessmentReportView.as_view(), name="assessment_report"),
    path(
        "assessments/<int:pk>/report/details/",
        views.AssessmentReportDetailsView.as_view(),
        name="assessment_report_details",
    ),
    path(
        "assessments/<int:pk>/report/email/", views.AssessmentReportEmailView.as_view(), name="assessment_report_email"
    ),
    path(
        "analytics/trainers/<int:pk>/report/<int:year>-<int:month>.pdf",
        views.MonthlyReportView.as_view(),
        name="monthly_report",
    ),
    path("reports/exports/", views.ReportExportsView.as_view(), name="report_exports"),
    path("reports/exports/<int:pk>/", views.ReportExportStatusView.as_view(), name="report_export_status"),
    path("reports/exports/<int:pk>/download/", views.ReportExportDownloadView.as_view(), name="report_export_download"),
    path("clients/<int:pk>/report-language/", views.ClientReportLanguageView.as_view(), name="client_report_language"),
]
