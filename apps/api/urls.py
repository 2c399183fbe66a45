"""``/api/v1/`` on each gym's host. Nothing of a gym is reachable through the root host."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from .views.analytics import GymAnalyticsView, MyAnalyticsView, TrainerAnalyticsView
from .views.assessments import AssessmentViewSet
from .views.clients import ClientViewSet
from .views.me import MeView
from .views.team import (
    AssistantLinkViewSet,
    AuditEntryViewSet,
    InvitationViewSet,
    PricingTemplateViewSet,
    SpecialtyViewSet,
    TrainerViewSet,
)
from .views.training import PackageViewSet, PaymentViewSet, SessionViewSet

OPEN = {"authentication_classes": [], "permission_classes": [AllowAny]}

router = SimpleRouter()
router.register("clients", ClientViewSet, basename="api-client")
router.register("packages", PackageViewSet, basename="api-package")
router.register("payments", PaymentViewSet, basename="api-payment")
router.register("sessions", SessionViewSet, basename="api-session")
router.register("assessments", AssessmentViewSet, basename="api-assessment")
router.register("trainers", TrainerViewSet, basename="api-trainer")
router.register("assistant-links", AssistantLinkViewSet, basename="api-assistant-link")
router.register("pricing-templates", PricingTemplateViewSet, basename="api-pricing-template")
router.register("audit-log", AuditEntryViewSet, basename="api-audit-entry")
router.register("invitations", InvitationViewSet, basename="api-invitation")
router.register("specialties", SpecialtyViewSet, basename="api-specialty")

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("analytics/", MyAnalyticsView.as_view(), name="api-analytics"),
    path("analytics/gym/", GymAnalyticsView.as_view(), name="api-analytics-gym"),
    path("analytics/trainers/<str:pk>/", TrainerAnalyticsView.as_view(), name="api-analytics-trainer"),
    # The description of the API is the same for every gym and holds no data: open to anyone.
    path("schema/", SpectacularAPIView.as_view(**OPEN), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema", **OPEN), name="api-docs"),
    path("docs/redoc/", SpectacularRedocView.as_view(url_name="api-schema", **OPEN), name="api-redoc"),
    path("", include(router.urls)),
]
