"""Assessments: created from raw results (the scoring engine scores them, with its version), read, compared."""

import django_filters
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.assessments import selectors
from apps.assessments.models import Assessment
from apps.assessments.services import assessment_create
from apps.clients.models import Client
from apps.clients.permissions import can_use_clients

from ..filters import WhitelistOrderingFilter as OrderingFilter
from ..schema import ERRORS_LIST, ERRORS_OBJECT, ERRORS_WRITE
from ..serializers.assessments import AssessmentCreateSerializer, AssessmentSerializer, ComparisonSerializer
from .base import IdFilter, ScopedViewSet, stand_in, valid

ASSESSMENT = {
    "id": 31,
    "client": {"id": 42, "name": "Minji Kim"},
    "trainer": {"id": 7, "name": "Tara Trainer"},
    "performed_at": "2026-12-01T10:00:00+09:00",
    "setting": "indoor",
    "temperature_c": None,
    "age_at_test": 36,
    "sex_at_test": "female",
    "scoring_version": "2026.4",
    "strength_score": 70,
    "mobility_score": None,
    "balance_score": None,
    "cardio_score": None,
    "overall_score": 70,
    "coverage_pct": 13,
    "missing": {"tests": ["sit_and_reach"], "categories": ["mobility", "balance", "cardio"]},
    "notes": "",
    "results": [
        {
            "test_type": "push_ups",
            "raw_values": {"reps": 20},
            "protocol": {"variant": "standard"},
            "details": {},
            "flags": [],
            "band": "good",
            "computed_score": 70,
            "override_score": None,
            "override_reason": "",
            "score": 70,
        }
    ],
    "created_at": "2026-12-01T10:05:00+09:00",
}


class AssessmentFilter(django_filters.FilterSet):
    client = IdFilter(field_name="client_id")
    trainer = IdFilter(field_name="trainer_id")

    class Meta:
        model = Assessment
        fields = ["client", "trainer"]


class CompareQuery(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), min_length=2, max_length=5
    )


@extend_schema_view(
    list=extend_schema(
        summary="List assessments",
        description="Assessments of the clients the actor sees, oldest first; filter by `client`.",
        responses={200: AssessmentSerializer(many=True), **ERRORS_LIST},
        examples=[OpenApiExample("An assessment", value=ASSESSMENT, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="Read one assessment",
        responses={200: AssessmentSerializer, **ERRORS_OBJECT},
        examples=[OpenApiExample("An assessment", value=ASSESSMENT, response_only=True)],
    ),
    create=extend_schema(
        summary="Record an assessment",
        description="The raw results are scored by the current scoring engine against the published norms; the "
        "answer carries the scores and the engine's version. A client whose screening calls for medical "
        "clearance needs `clearance_confirmed`.",
        request=AssessmentCreateSerializer,
        responses={201: AssessmentSerializer, **ERRORS_WRITE, 404: ERRORS_OBJECT[404]},
        examples=[
            OpenApiExample("Push-ups", value={"client": 42, "results": {"push_ups": {"reps": 20}}}, request_only=True),
            OpenApiExample("Scored", value=ASSESSMENT, response_only=True),
        ],
    ),
    compare=extend_schema(
        summary="Compare 2 to 5 assessments of one client",
        description="Per test, category and overall: the scores, the change from the previous assessment that has "
        "one, and the change from the first to the last.",
        parameters=[OpenApiParameter("ids", int, many=True, required=True, explode=True)],
        responses={200: ComparisonSerializer, **ERRORS_LIST},
        examples=[
            OpenApiExample(
                "Two",
                value={
                    "assessments": [
                        {"id": 30, "performed_at": "2026-09-01T10:00:00+09:00", "scoring_version": "2026.4"},
                        {"id": 31, "performed_at": "2026-12-01T10:00:00+09:00", "scoring_version": "2026.4"},
                    ],
                    "tests": [
                        {
                            "key": "push_ups",
                            "label": "Push-ups",
                            "values": [60, 70],
                            "changes": [None, 10],
                            "total_change": 10,
                        }
                    ],
                    "categories": [],
                    "overall": {
                        "key": "overall",
                        "label": "Overall",
                        "values": [60, 70],
                        "changes": [None, 10],
                        "total_change": 10,
                    },
                },
                response_only=True,
            )
        ],
    ),
)
class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    actor_permission = can_use_clients
    selector = selectors.assessment_list
    object_source = selectors.assessment_detail_source
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["performed_at"]
    ordering = ["performed_at"]
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = valid(request, AssessmentCreateSerializer)
        data["client"] = stand_in(Client, data["client"])
        data["performed_at"] = data.get("performed_at") or timezone.now()
        assessment = assessment_create(actor=self.actor, **data)
        fresh = selectors.assessment_get(actor=self.actor, pk=assessment.pk)
        return Response(AssessmentSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @action(detail=False, methods=["get"])
    def compare(self, request):
        query = CompareQuery(data={"ids": request.query_params.getlist("ids")})
        query.is_valid(raise_exception=True)
        ids = query.validated_data["ids"]
        first = selectors.assessment_get(actor=self.actor, pk=ids[0])
        if first is None:
            raise serializers.ValidationError({"ids": ["Choose assessments of one of your clients."]})
        found = selectors.assessment_compare(actor=self.actor, client=first.client, assessment_ids=ids)

        def row(entry):
            keys = ("key", "label", "values", "changes", "total_change")
            return {key: (str(entry[key]) if key == "label" else entry[key]) for key in keys}

        return Response(
            {
                "assessments": [
                    {"id": a.pk, "performed_at": a.performed_at, "scoring_version": a.scoring_version}
                    for a in found["assessments"]
                ],
                "tests": [row(entry) for entry in found["tests"]],
                "categories": [row(entry) for entry in found["categories"]],
                "overall": row(found["overall"]),
            }
        )
