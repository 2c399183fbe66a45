from django.urls import path

from . import views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("analytics/", views.MyAnalyticsView.as_view(), name="analytics"),
    path("analytics/export/<slug:table>.csv", views.MyAnalyticsView.as_view(export="csv"), name="analytics_export"),
    path("analytics/gym/", views.GymAnalyticsView.as_view(), name="analytics_gym"),
    path(
        "analytics/gym/export/<slug:table>.csv",
        views.GymAnalyticsView.as_view(export="csv"),
        name="analytics_gym_export",
    ),
    path("analytics/gym/export.xlsx", views.GymAnalyticsView.as_view(export="xlsx"), name="analytics_gym_xlsx"),
    path("analytics/trainers/<int:pk>/", views.TrainerAnalyticsView.as_view(), name="analytics_trainer"),
    path(
        "analytics/trainers/<int:pk>/export/<slug:table>.csv",
        views.TrainerAnalyticsView.as_view(export="csv"),
        name="analytics_trainer_export",
    ),
]
