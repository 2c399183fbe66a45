import django_filters
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.clientfile.selectors import client_data_export, client_list
from apps.clientfile.services import client_erase
from apps.clients import services
from apps.clients.models import SCREENING_KEYS, Client, ClientStatus
from apps.clients.permissions import can_archive_client, can_edit_client, can_erase_client, can_export_client_data
from apps.clients.search import search_q
from apps.clients.selectors import client_page_source
from apps.trainers.models import Trainer

from ..filters import WhitelistOrderingFilter as OrderingFilter
from ..schema import ERRORS_LIST, ERRORS_OBJECT, ERRORS_OBJECT_WRITE, ERRORS_WRITE
from ..serializers.clients import (
    ClientCreateSerializer,
    ClientSerializer,
    ClientWriteSerializer,
    EraseSerializer,
    ScreeningSerializer,
)
from .base import ETagMixin, ScopedViewSet, stand_in, valid


class ClientFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", help_text="Name, e-mail or phone; accents and case are ignored.")
    status = django_filters.ChoiceFilter(choices=ClientStatus.choices)
    trainer = django_filters.NumberFilter(field_name="trainer_id", help_text="Only the clients of this trainer.")
    has_active_package = django_filters.BooleanFilter()

    class Meta:
        model = Client
        fields = ["q", "status", "trainer", "has_active_package"]

    def search(self, queryset, name, value):
        return queryset.filter(search_q(value)) if value.strip() else queryset


EXAMPLE = {
    "id": 42,
    "trainer": {"id": 7, "name": "Tara Trainer"},
    "first_name": "Minji",
    "last_name": "Kim",
    "date_of_birth": "1990-04-02",
    "birth_year": 1990,
    "sex": "female",
    "height_cm": "164.5",
    "weight_kg": "58.20",
    "email": "minji@example.com",
    "phone": "+82 10 1234 5678",
    "goals": "Run 10 km",
    "notes": "",
    "status": "active",
    "needs_medical_clearance": False,
    "consent_at": "2026-11-02T09:30:00+09:00",
    "reminders_consent_at": "2026-11-02T09:31:00+09:00",
    "created_at": "2026-11-02T09:12:00+09:00",
    "updated_at": "2026-11-20T18:01:00+09:00",
    "archived_at": None,
    "erased_at": None,
}


@extend_schema_view(
    list=extend_schema(
        summary="List clients",
        description="The clients this actor may see (the owner all, trainers their own, assistants those of the "
        "trainers they assist), oldest first unless `ordering` says otherwise.",
        responses={200: ClientSerializer(many=True), **ERRORS_LIST},
        examples=[OpenApiExample("A page", value=EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="Read one client",
        description="The response carries an `ETag`; send it back in `If-Match` when you change the client.",
        responses={200: ClientSerializer, **ERRORS_OBJECT},
        examples=[OpenApiExample("A client", value=EXAMPLE, response_only=True)],
    ),
    create=extend_schema(
        summary="Add a client",
        description="The owner and assistants name the `trainer`; seniors and trainers add clients of their own.",
        request=ClientCreateSerializer,
        responses={201: ClientSerializer, **ERRORS_WRITE},
        examples=[
            OpenApiExample(
                "New client", value={"first_name": "Minji", "last_name": "Kim", "sex": "female"}, request_only=True
            )
        ],
    ),
    partial_update=extend_schema(
        summary="Change a client",
        description="Only the fields sent change. With `If-Match`, the change applies only if nobody changed the "
        "client since (else 412 and nothing changes). Only the owner gives a client to another trainer.",
        request=ClientWriteSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False)],
        responses={200: ClientSerializer, **ERRORS_OBJECT_WRITE},
        examples=[OpenApiExample("New phone", value={"phone": "+82 10 9876 5432"}, request_only=True)],
    ),
    archive=extend_schema(
        summary="Archive a client",
        description="The client leaves the active list; nothing of theirs is deleted. Not for assistants.",
        request=None,
        responses={200: ClientSerializer, **ERRORS_OBJECT_WRITE},
        examples=[OpenApiExample("Archived", value={**EXAMPLE, "status": "archived"}, response_only=True)],
    ),
    screening=extend_schema(
        summary="Record the health screening",
        description="Every PAR-Q+ question answered yes or no, with the client's consent (its time is kept).",
        request=ScreeningSerializer,
        responses={200: ClientSerializer, **ERRORS_OBJECT_WRITE},
        examples=[
            OpenApiExample(
                "All no", value={"answers": dict.fromkeys(SCREENING_KEYS, False), "consent": True}, request_only=True
            )
        ],
    ),
    export=extend_schema(
        summary="Export everything about a client (owner)",
        description="The client, screening, sessions, packages, payments, assessments and the audit entries about "
        "them, as JSON. The export is audited.",
        responses={200: OpenApiTypes.OBJECT, **ERRORS_OBJECT},
        examples=[OpenApiExample("Export", value={"format": "gym-platform.client-export/1"}, response_only=True)],
    ),
    erase=extend_schema(
        summary="Erase a client's personal data (owner)",
        description="Anonymises the client in place; sessions, packages, payments and scores stay for the "
        "statistics. Cannot be undone: send `confirm: true`.",
        request=EraseSerializer,
        responses={200: ClientSerializer, **ERRORS_OBJECT_WRITE},
        examples=[OpenApiExample("Erase", value={"confirm": True}, request_only=True)],
    ),
    unarchive=extend_schema(
        summary="Make an archived client active again",
        request=None,
        responses={200: ClientSerializer, **ERRORS_OBJECT_WRITE},
        examples=[OpenApiExample("Active", value=EXAMPLE, response_only=True)],
    ),
)
class ClientViewSet(
    ETagMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    selector = client_list
    object_source = client_page_source
    object_permission = can_edit_client
    serializer_class = ClientSerializer
    filterset_class = ClientFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["created_at", "updated_at", "last_name"]
    ordering = ["created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def retrieve(self, request, *args, **kwargs):
        return Response(ClientSerializer(self.tag(self.get_object())).data)

    def create(self, request, *args, **kwargs):
        data = self._valid(ClientCreateSerializer)
        client = services.client_create(actor=self.actor, **data)
        return Response(ClientSerializer(self.tag(client)).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        data = self._valid(ClientWriteSerializer)
        with transaction.atomic():
            client = self.check_precondition(self.get_object_for_write())
            client = services.client_update(actor=self.actor, client=client, **data)
        return Response(ClientSerializer(self.tag(client)).data)

    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        client = self.get_object(permission=can_archive_client)
        with transaction.atomic():
            client = services.client_archive(actor=self.actor, client=self.check_precondition(client))
        return Response(ClientSerializer(self.tag(client)).data)

    @action(detail=True, methods=["post"])
    def unarchive(self, request, pk=None):
        client = self.get_object(permission=can_archive_client)
        with transaction.atomic():
            client = services.client_unarchive(actor=self.actor, client=self.check_precondition(client))
        return Response(ClientSerializer(self.tag(client)).data)

    @action(detail=True, methods=["post"])
    def screening(self, request, pk=None):
        data = self._valid(ScreeningSerializer)
        with transaction.atomic():
            client = self.check_precondition(self.get_object_for_write())
            client = services.screening_update(actor=self.actor, client=client, **data)
        return Response(ClientSerializer(self.tag(client)).data)

    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        client = self.get_object(permission=lambda actor, client: can_export_client_data(actor))
        services.client_record_viewed(actor=self.actor, client=client, what="export")
        return Response(client_data_export(actor=self.actor, client=client))

    @action(detail=True, methods=["post"])
    def erase(self, request, pk=None):
        data = self._valid(EraseSerializer)
        client = self.get_object(permission=can_erase_client)
        if not data["confirm"]:
            raise ValidationError({"confirm": [_("Erasure cannot be undone: confirm it with true.")]})
        client = client_erase(actor=self.actor, client=client)
        return Response(ClientSerializer(self.tag(client)).data)

    def _valid(self, serializer_class):
        data = valid(self.request, serializer_class)
        if "trainer" in data:
            data["trainer"] = stand_in(Trainer, data["trainer"])
        return data
