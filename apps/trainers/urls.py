from django.urls import include, path

from .views import view_scope

urlpatterns = [
    path("view-as/", view_scope.ViewAsView.as_view(), name="view_as"),
    # Each area keeps its own URL module.
    path("", include("apps.trainers.urls_profile")),
    path("", include("apps.trainers.urls_availability")),
    path("", include("apps.trainers.urls_pricing")),
]
