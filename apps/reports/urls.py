from django.urls import path

from . import views

urlpatterns = [
    path("assessments/<int:pk>/report.pdf", views.AssessmentReportView.as_view(), name="assessment_report"),
]
