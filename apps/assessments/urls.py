from django.urls import path

from . import views

urlpatterns = [
    path("client/<int:client_pk>/", views.AssessmentListView.as_view(), name="assessment_list"),
    path("client/<int:client_pk>/new/", views.AssessmentCreateView.as_view(), name="assessment_create"),
    path("client/<int:client_pk>/preview/", views.AssessmentPreviewView.as_view(), name="assessment_preview"),
    path("client/<int:client_pk>/compare/", views.AssessmentCompareView.as_view(), name="assessment_compare"),
    path("<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"),
    path("<int:pk>/rescore/", views.AssessmentRescoreView.as_view(), name="assessment_rescore"),
    path("<int:pk>/results/<int:result_pk>/override/", views.OverrideView.as_view(), name="assessment_result_override"),
]
