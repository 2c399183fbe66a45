"""Packages, payments and sessions through the same services as the pages, with the same credit rules.

Packages and payments answer 404 to assistants, like their pages. Conflicts of the data's state (no credit left, a
double booking, a session already closed) answer 409.
"""

from datetime import timedelta
from functools import partial

import django_filters
from django.db import transaction
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.clients.models import Client
from apps.core.dates import gym_today
from apps.core.scoping import get_object_or_404
from apps.trainers.models import PricingTemplate, Trainer
from apps.training import selectors
from apps.training.models import PackageStatus, Payment, Session, SessionPackage, SessionStatus
from apps.training.permissions import can_manage_package, can_manage_session, can_use_packages
from apps.training.services import packages as package_services
from apps.training.services import payments as payment_services
from apps.training.services import sessions as session_services

from ..fields import AwareDateTimeFilter
from ..filters import WhitelistOrderingFilter as OrderingFilter
from ..schema import ERRORS_LIST, ERRORS_OBJECT, ERRORS_OBJECT_WRITE, ERRORS_WRITE
from ..serializers.training import (
    PackageSellSerializer,
    PackageSerializer,
    PaymentCreateSerializer,
    PaymentSerializer,
    SessionBookSerializer,
    SessionCancelSerializer,
    SessionCompleteSerializer,
    SessionEditSerializer,
    SessionSerializer,
)
from .base import ETagMixin, IdFilter, ScopedViewSet, stand_in, valid

MAX_EXPIRING_WITHIN = 366
IF_MATCH = OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False)


# --- packages -----------------------------------------------------------------------------------------------------

PACKAGE = {
    "id": 12,
    "client": {"id": 42, "name": "Minji Kim"},
    "trainer": {"id": 7, "name": "Tara Trainer"},
    "name": "10 sessions",
    "status": "active",
    "total_sessions": 10,
    "used_sessions": 3,
    "booked_sessions": 2,
    "remaining_sessions": 7,
    "left_to_book": 5,
    "expires_on": "2027-03-01",
    "days_until_expiry": 88,
    "extended_days": 0,
    "extended_at": None,
    "sold_at": "2026-12-01T10:00:00+09:00",
    "currency": "KRW",
    "pricing_mode": "inclusive",
    "vat_rate": "0.1000",
    "card_fee_rate": "0.0250",
    "price": "550000.000",
    "net_amount": "500000.000",
    "vat_amount": "50000.000",
    "fee_amount": "13750.000",
    "gross_amount": "550000.000",
    "paid_amount": "300000.000",
    "balance_due": "250000.000",
}
PAYMENT = {
    "id": 5,
    "package": {"id": 12, "name": "10 sessions"},
    "client": {"id": 42, "name": "Minji Kim"},
    "amount": "300000.000",
    "fee_amount": "7500.000",
    "currency": "KRW",
    "method": "card",
    "paid_at": "2026-12-01T10:05:00+09:00",
    "note": "",
    "is_refund": False,
}


class PackageFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PackageStatus.choices)
    client = IdFilter(field_name="client_id")
    trainer = IdFilter(field_name="trainer_id")
    expiring_within = IdFilter(
        method="filter_expiring_within",
        min_value=0,
        max_value=MAX_EXPIRING_WITHIN,
        label="Active packages whose last day is from today to this many days ahead (the gym's calendar; 0: today).",
    )

    class Meta:
        model = SessionPackage
        fields = ["status", "client", "trainer", "expiring_within"]

    def filter_expiring_within(self, queryset, name, value):
        today = gym_today()
        return queryset.filter(
            status=PackageStatus.ACTIVE, expires_on__gte=today, expires_on__lte=today + timedelta(days=value)
        )


@extend_schema_view(
    list=extend_schema(
        summary="List packages",
        description="Packages with their money and balance. The owner sees all, trainers their own; assistants 404. "
        "`expiring_within=14&ordering=expires_on`: the active ones ending in the next 14 days, soonest first.",
        responses={200: PackageSerializer(many=True), **ERRORS_LIST, 404: ERRORS_OBJECT[404]},
        examples=[OpenApiExample("A package", value=PACKAGE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="Read one package",
        responses={200: PackageSerializer, **ERRORS_OBJECT},
        examples=[OpenApiExample("A package", value=PACKAGE, response_only=True)],
    ),
    create=extend_schema(
        summary="Sell a package",
        description="From a pricing template (its name, sessions, price and validity unless given) or custom (name, "
        "sessions and price needed). VAT and card fee come from the gym unless given; the amounts add up exactly.",
        request=PackageSellSerializer,
        responses={201: PackageSerializer, **ERRORS_WRITE, 404: ERRORS_OBJECT[404]},
        examples=[
            OpenApiExample(
                "Custom",
                value={"client": 42, "name": "10 sessions", "total_sessions": 10, "price": "550000"},
                request_only=True,
            ),
            OpenApiExample("Sold", value=PACKAGE, response_only=True),
        ],
    ),
    cancel=extend_schema(
        summary="Cancel a package",
        description="No more sessions can be booked on it; payments stay.",
        request=None,
        parameters=[IF_MATCH],
        responses={200: PackageSerializer, **ERRORS_OBJECT_WRITE},
        examples=[OpenApiExample("Cancelled", value={**PACKAGE, "status": "cancelled"}, response_only=True)],
    ),
    payments=extend_schema(
        summary="Record a payment",
        description="Money received against the package; more than the balance due is refused.",
        request=PaymentCreateSerializer,
        responses={201: PaymentSerializer, **ERRORS_OBJECT_WRITE},
        examples=[
            OpenApiExample("Card", value={"amount": "300000", "method": "card"}, request_only=True),
            OpenApiExample("Recorded", value=PAYMENT, response_only=True),
        ],
    ),
    refunds=extend_schema(
        summary="Record a refund",
        description="Money returned to the client (stored as a negative payment); never more than was paid.",
        request=PaymentCreateSerializer,
        responses={201: PaymentSerializer, **ERRORS_OBJECT_WRITE},
        examples=[
            OpenApiExample("Cash back", value={"amount": "50000", "method": "cash"}, request_only=True),
            OpenApiExample(
                "Refunded", value={**PAYMENT, "amount": "-50000.000", "is_refund": True}, response_only=True
            ),
        ],
    ),
)
class PackageViewSet(ETagMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    actor_permission = can_use_packages
    selector = selectors.package_list
    object_source = selectors.package_detail_source
    object_permission = can_manage_package
    serializer_class = PackageSerializer
    filterset_class = PackageFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["sold_at", "created_at", "expires_on"]
    ordering = ["created_at"]
    etag_fields = ("status", "used_sessions", "booked_sessions", "expires_on", "trainer_id")
    http_method_names = ["get", "post", "head", "options"]

    def retrieve(self, request, *args, **kwargs):
        return Response(PackageSerializer(self.tag(self.get_object())).data)

    def create(self, request, *args, **kwargs):
        data = valid(request, PackageSellSerializer)
        data["client"] = stand_in(Client, data["client"])
        data["pricing_template"] = stand_in(PricingTemplate, data.get("pricing_template"))
        package = package_services.package_sell(actor=self.actor, **data)
        return Response(self._read(package), status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        with transaction.atomic():
            package = self.check_precondition(self.get_object_for_write())
            package = package_services.package_cancel(actor=self.actor, package=package)
        return Response(self._read(package))

    @action(detail=True, methods=["post"])
    def payments(self, request, pk=None):
        return self._money(payment_services.payment_record)

    @action(detail=True, methods=["post"])
    def refunds(self, request, pk=None):
        return self._money(payment_services.payment_refund)

    def _money(self, service):
        data = valid(self.request, PaymentCreateSerializer)
        package = self.get_object_for_write()
        payment = service(actor=self.actor, package=package, **data)
        payment = get_object_or_404(self.actor, Payment.objects.select_related("package", "client"), payment.pk)
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)

    def _read(self, package):
        return PackageSerializer(self.tag(selectors.package_get(actor=self.actor, pk=package.pk))).data


class PaymentFilter(django_filters.FilterSet):
    package = IdFilter(field_name="package_id")
    client = IdFilter(field_name="client_id")
    trainer = IdFilter(field_name="package__trainer_id")
    paid_after = AwareDateTimeFilter(field_name="paid_at", lookup_expr="gte")
    paid_before = AwareDateTimeFilter(field_name="paid_at", lookup_expr="lt")

    class Meta:
        model = Payment
        fields = ["package", "client", "trainer", "paid_after", "paid_before"]


@extend_schema_view(
    list=extend_schema(
        summary="List payments and refunds",
        description="Newest first unless `ordering` says otherwise. Assistants 404.",
        responses={200: PaymentSerializer(many=True), **ERRORS_LIST, 404: ERRORS_OBJECT[404]},
        examples=[OpenApiExample("A payment", value=PAYMENT, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="Read one payment",
        responses={200: PaymentSerializer, **ERRORS_OBJECT},
        examples=[OpenApiExample("A payment", value=PAYMENT, response_only=True)],
    ),
)
class PaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    actor_permission = can_use_packages
    selector = selectors.payment_list
    object_source = Payment
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["paid_at"]
    ordering = ["-paid_at"]


# --- sessions -----------------------------------------------------------------------------------------------------

SESSION = {
    "id": 77,
    "client": {"id": 42, "name": "Minji Kim"},
    "trainer": {"id": 7, "name": "Tara Trainer"},
    "package": {"id": 12, "name": "10 sessions"},
    "starts_at": "2026-12-04T10:00:00+09:00",
    "ends_at": "2026-12-04T11:00:00+09:00",
    "duration_minutes": 60,
    "status": "scheduled",
    "used_credit": False,
    "holds_credit": True,
    "cancellation": "",
    "cancellation_reason": "",
    "notes": "",
    "previous_times": [],
    "undo_until": None,
    "created_at": "2026-12-01T10:10:00+09:00",
}


class SessionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SessionStatus.choices)
    client = IdFilter(field_name="client_id")
    trainer = IdFilter(field_name="trainer_id")
    package = IdFilter(field_name="package_id")
    starts_after = AwareDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = AwareDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Session
        fields = ["status", "client", "trainer", "package", "starts_after", "starts_before"]


def _closing(summary, description, new_status):
    return extend_schema(
        summary=summary,
        description=description,
        request=None,
        parameters=[IF_MATCH],
        responses={200: SessionSerializer, **ERRORS_OBJECT_WRITE},
        examples=[OpenApiExample(new_status, value={**SESSION, "status": new_status}, response_only=True)],
    )


@extend_schema_view(
    list=extend_schema(
        summary="List sessions",
        description="Sessions the actor sees, by start unless `ordering` says otherwise. Assistants see those of the "
        "trainers they assist.",
        responses={200: SessionSerializer(many=True), **ERRORS_LIST},
        examples=[OpenApiExample("A session", value=SESSION, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="Read one session",
        responses={200: SessionSerializer, **ERRORS_OBJECT},
        examples=[OpenApiExample("A session", value=SESSION, response_only=True)],
    ),
    create=extend_schema(
        summary="Book a session",
        description="With the client's trainer unless `trainer` is given. A double booking, a package without a "
        "credit to hold, or a time outside the trainer's availability (unless `confirm_unavailable`) answer 409.",
        request=SessionBookSerializer,
        responses={201: SessionSerializer, **ERRORS_WRITE, 404: ERRORS_OBJECT[404]},
        examples=[
            OpenApiExample(
                "Book", value={"client": 42, "starts_at": "2026-12-04T10:00:00+09:00", "package": 12}, request_only=True
            ),
            OpenApiExample("Booked", value=SESSION, response_only=True),
        ],
    ),
    partial_update=extend_schema(
        summary="Reschedule or edit a session",
        description="Only a scheduled session. Its time, duration, package (`null`: none) or notes; what is not sent "
        "stays. The booking's rules apply: a clash with another session or a package without a credit to hold answer "
        "409, a time outside the trainer's availability too unless `confirm_unavailable`. Each move is kept in "
        "`previous_times` and the audit log.",
        request=SessionEditSerializer,
        parameters=[IF_MATCH],
        responses={200: SessionSerializer, **ERRORS_OBJECT_WRITE},
        examples=[
            OpenApiExample("Move", value={"starts_at": "2026-12-05T15:00:00+09:00"}, request_only=True),
            OpenApiExample(
                "Moved",
                value={
                    **SESSION,
                    "starts_at": "2026-12-05T15:00:00+09:00",
                    "ends_at": "2026-12-05T16:00:00+09:00",
                    "previous_times": [{"starts_at": "2026-12-04T10:00:00+09:00", "duration_minutes": 60}],
                },
                response_only=True,
            ),
        ],
    ),
    complete=extend_schema(
        summary="Complete a session",
        description="Uses one credit of its package. Optional `notes` show on the client's timeline. Can be undone "
        "for 24 hours.",
        request=SessionCompleteSerializer,
        parameters=[IF_MATCH],
        responses={200: SessionSerializer, **ERRORS_OBJECT_WRITE},
        examples=[OpenApiExample("completed", value={**SESSION, "status": "completed"}, response_only=True)],
    ),
    undo=_closing(
        "Undo a completion or no-show",
        "Within 24 hours of the completion or no-show: the session is scheduled again and its credit goes back to "
        "the package. Later, or for a session in another state, 409.",
        "scheduled",
    ),
    cancel=extend_schema(
        summary="Cancel a session",
        description="A client's cancellation before the gym's cut-off keeps the credit; a late one uses it. A "
        "cancellation by the trainer (`by: trainer`) never uses a credit. The body is optional.",
        request=SessionCancelSerializer,
        parameters=[IF_MATCH],
        responses={200: SessionSerializer, **ERRORS_OBJECT_WRITE},
        examples=[
            OpenApiExample(
                "cancelled", value={**SESSION, "status": "cancelled", "cancellation": "client"}, response_only=True
            )
        ],
    ),
    no_show=_closing(
        "Mark a no-show", "The client did not come; one credit is used. Can be undone for 24 hours.", "no_show"
    ),
)
class SessionViewSet(
    ETagMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    selector = selectors.session_list
    object_source = selectors.session_source
    object_permission = can_manage_session
    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["starts_at", "created_at"]
    ordering = ["starts_at"]
    etag_fields = (
        "status",
        "starts_at",
        "duration_minutes",
        "trainer_id",
        "package_id",
        "status_changed_at",
        "notes",
    )
    http_method_names = ["get", "post", "patch", "head", "options"]

    def retrieve(self, request, *args, **kwargs):
        return Response(SessionSerializer(self.tag(self.get_object())).data)

    def create(self, request, *args, **kwargs):
        data = valid(request, SessionBookSerializer)
        session = session_services.session_schedule(
            actor=self.actor,
            client=data["client"],
            starts_at=data["starts_at"],
            duration_minutes=data["duration_minutes"],
            trainer=stand_in(Trainer, data.get("trainer")),
            package=data.get("package"),
            confirm_unavailable=data["confirm_unavailable"],
        )
        return Response(self._read(session), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        data = valid(request, SessionEditSerializer)
        with transaction.atomic():
            session = self.check_precondition(self.get_object_for_write())
            session = session_services.session_reschedule(actor=self.actor, session=session, **data)
        return Response(self._read(session))

    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        notes = valid(request, SessionCompleteSerializer).get("notes")
        return self._close(partial(session_services.session_complete, notes=notes))

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = valid(request, SessionCancelSerializer)
        by_trainer = data["by"] == "trainer"
        return self._close(partial(session_services.session_cancel, by_trainer=by_trainer, reason=data["reason"]))

    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        return self._close(session_services.session_undo)

    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request, pk=None):
        return self._close(session_services.session_no_show)

    def _close(self, service):
        with transaction.atomic():
            session = self.check_precondition(self.get_object_for_write())
            session = service(actor=self.actor, session=session)
        return Response(self._read(session))

    def _read(self, session):
        return SessionSerializer(self.tag(selectors.session_get(actor=self.actor, pk=session.pk))).data
