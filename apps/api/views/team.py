"""Trainers (profiles, availability, team actions), assistant links, pricing templates and the audit log, through the
same services, selectors and predicates as the team and profile pages."""

import django_filters
from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.access import is_active_member
from apps.audit.models import AuditEntry
from apps.audit.selectors import audit_entry_list
from apps.core.dates import gym_timezone, gym_today
from apps.core.scoping import as_pk, get_object_or_404
from apps.team import selectors as team_selectors
from apps.team import services as team_services
from apps.trainers.models import AssistantLink, AvailabilitySlot, Certification, Specialty, TimeOff, Trainer
from apps.trainers.permissions import (
    can_change_roles,
    can_deactivate,
    can_edit_availability,
    can_edit_profile,
    can_invite,
    can_link_assistants,
    can_manage_pricing,
    can_use_pricing,
    can_view_audit_log,
    can_view_availability,
    can_view_profile,
)
from apps.trainers.selectors import assistants as assistant_selectors
from apps.trainers.selectors import availability as availability_selectors
from apps.trainers.selectors.pricing import pricing_template_list, pricing_template_source
from apps.trainers.selectors.profile import profile_source, specialties_offered, trainer_list
from apps.trainers.services import assistants as assistant_services
from apps.trainers.services import availability as availability_services
from apps.trainers.services import pricing as pricing_services
from apps.trainers.services import profile as profile_services
from tenants.models import Invitation

from ..fields import AwareDateTimeFilter
from ..filters import WhitelistOrderingFilter as OrderingFilter
from ..schema import ERRORS_LIST, ERRORS_OBJECT, ERRORS_OBJECT_WRITE, ERRORS_WRITE
from ..serializers.team import (
    AssistantLinkSerializer,
    AssistsSerializer,
    AuditEntrySerializer,
    AvailabilitySerializer,
    CertificationWriteSerializer,
    InvitationCreateSerializer,
    InvitationSerializer,
    PricingTemplateCreateSerializer,
    PricingTemplateSerializer,
    PricingTemplateWriteSerializer,
    ProfileWriteSerializer,
    RoleSerializer,
    SlotWriteSerializer,
    SpecialtySerializer,
    TimeOffWriteSerializer,
    TrainerSerializer,
)
from .base import ETagMixin, IdFilter, ScopedViewSet, valid

TRAINER = {
    "id": 7,
    "name": "Tara Trainer",
    "email": "tara@example.com",
    "role": "trainer",
    "is_active": True,
    "public_name": "",
    "bio": "Strength and mobility for runners.",
    "years_of_experience": 6,
    "languages": ["English", "Korean"],
    "phone": "+82 10 1234 5678",
    "specialties": ["Mobility", "Running"],
    "tags": ["kettlebells"],
    "certifications": [
        {"id": 3, "name": "CPT", "issuing_body": "NASM", "earned_on": "2021-05-01", "expires_on": "2027-05-01"}
    ],
    "photo": {
        "medium": "https://demo.example.com/media/demo/trainers/7/medium.jpg",
        "small": "https://demo.example.com/media/demo/trainers/7/small.jpg",
    },
}


def _member_action(summary, description):
    return extend_schema(
        summary=summary,
        description=description,
        request=None,
        responses={200: TrainerSerializer, **ERRORS_OBJECT_WRITE},
        examples=[OpenApiExample("The member", value=TRAINER, response_only=True)],
    )


class TrainerFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Trainer._meta.get_field("role").choices)
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = Trainer
        fields = ["role", "is_active"]


@extend_schema_view(
    list=extend_schema(
        summary="List trainers",
        description="Owners and seniors see the whole team; everyone else themselves.",
        responses={200: TrainerSerializer(many=True), **ERRORS_LIST},
        examples=[OpenApiExample("A trainer", value=TRAINER, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="Read a trainer's profile",
        responses={200: TrainerSerializer, **ERRORS_OBJECT},
        examples=[OpenApiExample("A trainer", value=TRAINER, response_only=True)],
    ),
    partial_update=extend_schema(
        summary="Change a profile",
        description="Your own profile, or anyone's for the owner. `specialties` are ids from the gym's list.",
        request=ProfileWriteSerializer,
        responses={200: TrainerSerializer, **ERRORS_OBJECT_WRITE},
        examples=[OpenApiExample("Bio", value={"bio": "Strength and mobility for runners."}, request_only=True)],
    ),
    availability=extend_schema(
        summary="A trainer's weekly hours and time off",
        description="Weekly hours in the gym's timezone, and time off from today on.",
        responses={200: AvailabilitySerializer, **ERRORS_OBJECT},
        examples=[
            OpenApiExample(
                "Hours",
                value={
                    "trainer": {"id": 7, "name": "Tara Trainer"},
                    "timezone": "Asia/Seoul",
                    "weekly": [{"weekday": 0, "starts_at": "09:00:00", "ends_at": "12:00:00"}],
                    "time_off": [{"starts_on": "2026-12-24", "ends_on": "2026-12-26", "reason": "Holiday"}],
                },
                response_only=True,
            )
        ],
    ),
    role=extend_schema(
        summary="Change a member's role (owner)",
        description="The last active owner stays owner (409).",
        request=RoleSerializer,
        responses={200: TrainerSerializer, **ERRORS_OBJECT_WRITE},
        examples=[OpenApiExample("Senior", value={"role": "senior"}, request_only=True)],
    ),
    deactivate=_member_action(
        "Deactivate a member",
        "Ends their sign-in sessions and revokes their API keys; nothing of theirs is deleted. The owner deactivates "
        "anyone but themselves, seniors trainers and assistants.",
    ),
    reactivate=_member_action("Reactivate a member", "Needs a free seat (else 409)."),
    certifications=extend_schema(
        summary="Add a certification",
        request=CertificationWriteSerializer,
        responses={201: TrainerSerializer, **ERRORS_OBJECT_WRITE},
        examples=[
            OpenApiExample(
                "CPT", value={"name": "CPT", "issuing_body": "NASM", "earned_on": "2021-05-01"}, request_only=True
            )
        ],
    ),
    certification=extend_schema(
        parameters=[OpenApiParameter("certification_pk", int, OpenApiParameter.PATH)],
        summary="Remove a certification",
        request=None,
        responses={204: None, **ERRORS_OBJECT_WRITE},
        examples=[OpenApiExample("Removed", value=None, response_only=True, status_codes=["204"])],
    ),
    slots=extend_schema(
        summary="Add weekly hours",
        description="Slots of one weekday may touch but not overlap (409 otherwise is a 400 at the field).",
        request=SlotWriteSerializer,
        responses={201: AvailabilitySerializer, **ERRORS_OBJECT_WRITE},
        examples=[
            OpenApiExample(
                "Monday morning", value={"weekday": 0, "starts_at": "09:00", "ends_at": "12:00"}, request_only=True
            )
        ],
    ),
    slot=extend_schema(
        parameters=[OpenApiParameter("slot_pk", int, OpenApiParameter.PATH)],
        summary="Remove weekly hours",
        request=None,
        responses={204: None, **ERRORS_OBJECT_WRITE},
        examples=[OpenApiExample("Removed", value=None, response_only=True, status_codes=["204"])],
    ),
    time_off=extend_schema(
        summary="Add time off",
        request=TimeOffWriteSerializer,
        responses={201: AvailabilitySerializer, **ERRORS_OBJECT_WRITE},
        examples=[
            OpenApiExample(
                "Holiday",
                value={"starts_on": "2026-12-24", "ends_on": "2026-12-26", "reason": "Holiday"},
                request_only=True,
            )
        ],
    ),
    time_off_item=extend_schema(
        parameters=[OpenApiParameter("time_off_pk", int, OpenApiParameter.PATH)],
        summary="Remove time off",
        request=None,
        responses={204: None, **ERRORS_OBJECT_WRITE},
        examples=[OpenApiExample("Removed", value=None, response_only=True, status_codes=["204"])],
    ),
    assists=extend_schema(
        summary="Set whom an assistant assists (owner, senior)",
        request=AssistsSerializer,
        responses={200: AssistantLinkSerializer(many=True), **ERRORS_OBJECT_WRITE},
        examples=[OpenApiExample("Two trainers", value={"trainers": [7, 9]}, request_only=True)],
    ),
)
class TrainerViewSet(ETagMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    selector = trainer_list
    object_source = profile_source
    serializer_class = TrainerSerializer
    filterset_class = TrainerFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["created_at"]
    ordering = ["created_at"]
    etag_fields = ("role", "is_active", "public_name", "bio", "years_of_experience", "phone", "languages", "tags")
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def retrieve(self, request, *args, **kwargs):
        trainer = self.get_object(permission=can_view_profile)
        return Response(TrainerSerializer(self.tag(trainer), context={"request": self.request}).data)

    def partial_update(self, request, *args, **kwargs):
        data = valid(request, ProfileWriteSerializer)
        with transaction.atomic():
            trainer = self.check_precondition(self.get_object(permission=can_edit_profile))
            profile_services.profile_update(actor=self.actor, trainer=trainer, **data)
        return self._answer()

    @action(detail=True, methods=["get"])
    def availability(self, request, pk=None):
        return self._availability(self.get_object(permission=can_view_availability))

    @action(detail=True, methods=["post"])
    def role(self, request, pk=None):
        data = valid(request, RoleSerializer)
        member = self.get_object(permission=lambda actor, member: can_change_roles(actor))
        team_services.trainer_change_role(actor=self.actor, trainer=member, role=data["role"])
        return self._answer()

    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        member = self.get_object(permission=can_deactivate)
        team_services.trainer_deactivate(actor=self.actor, trainer=member)
        return self._answer()

    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        member = self.get_object(permission=can_deactivate)
        team_services.trainer_reactivate(actor=self.actor, trainer=member)
        return self._answer()

    @action(detail=True, methods=["post"])
    def assists(self, request, pk=None):
        data = valid(request, AssistsSerializer)
        assistant = self.get_object(permission=can_link_assistants)
        assistant_services.assistant_set_trainers(actor=self.actor, assistant=assistant, trainers=data["trainers"])
        links = assistant_selectors.assistant_link_list(actor=self.actor, assistant=assistant)
        return Response(AssistantLinkSerializer(links.order_by("pk"), many=True).data)

    @action(detail=True, methods=["post"])
    def certifications(self, request, pk=None):
        data = valid(request, CertificationWriteSerializer)
        trainer = self.get_object(permission=can_edit_profile)
        profile_services.certification_create(actor=self.actor, trainer=trainer, **data)
        return self._answer(status.HTTP_201_CREATED)

    @action(detail=True, methods=["delete"], url_path=r"certifications/(?P<certification_pk>[^/.]+)")
    def certification(self, request, pk=None, certification_pk=None):
        trainer = self.get_object(permission=can_edit_profile)
        certification = get_object_or_404(self.actor, Certification.objects.filter(trainer=trainer), certification_pk)
        profile_services.certification_delete(actor=self.actor, certification=certification)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"], url_path="availability/slots")
    def slots(self, request, pk=None):
        data = valid(request, SlotWriteSerializer)
        trainer = self.get_object(permission=can_edit_availability)
        availability_services.availability_slot_add(actor=self.actor, trainer=trainer, **data)
        return self._availability(trainer, status.HTTP_201_CREATED)

    @action(detail=True, methods=["delete"], url_path=r"availability/slots/(?P<slot_pk>[^/.]+)")
    def slot(self, request, pk=None, slot_pk=None):
        trainer = self.get_object(permission=can_edit_availability)
        slot = get_object_or_404(self.actor, AvailabilitySlot.objects.filter(trainer=trainer), slot_pk)
        slot.trainer = trainer
        availability_services.availability_slot_remove(actor=self.actor, slot=slot)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"], url_path="time-off")
    def time_off(self, request, pk=None):
        data = valid(request, TimeOffWriteSerializer)
        trainer = self.get_object(permission=can_edit_availability)
        availability_services.time_off_add(actor=self.actor, trainer=trainer, **data)
        return self._availability(trainer, status.HTTP_201_CREATED)

    @action(detail=True, methods=["delete"], url_path=r"time-off/(?P<time_off_pk>[^/.]+)")
    def time_off_item(self, request, pk=None, time_off_pk=None):
        trainer = self.get_object(permission=can_edit_availability)
        time_off = get_object_or_404(self.actor, TimeOff.objects.filter(trainer=trainer), time_off_pk)
        time_off.trainer = trainer
        availability_services.time_off_remove(actor=self.actor, time_off=time_off)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _availability(self, trainer, code=status.HTTP_200_OK):
        data = {
            "trainer": trainer,
            "timezone": str(gym_timezone()),
            "weekly": availability_selectors.weekly_slots(actor=self.actor, trainer=trainer),
            "time_off": availability_selectors.time_off_list(actor=self.actor, trainer=trainer, since=gym_today()),
        }
        return Response(AvailabilitySerializer(data).data, status=code)

    def _answer(self, code=status.HTTP_200_OK):
        """The member as it is now (read again: specialties and certifications with it)."""
        fresh = self.get_object()
        return Response(TrainerSerializer(self.tag(fresh), context={"request": self.request}).data, status=code)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "request": self.request}


class AssistantLinkFilter(django_filters.FilterSet):
    assistant = IdFilter(field_name="assistant_id")
    trainer = IdFilter(field_name="trainer_id")

    class Meta:
        model = AssistantLink
        fields = ["assistant", "trainer"]


@extend_schema_view(
    list=extend_schema(
        summary="List assistant links",
        description="Who assists whom. Owners and seniors see all; others the links they are part of.",
        responses={200: AssistantLinkSerializer(many=True), **ERRORS_LIST},
        examples=[
            OpenApiExample(
                "A link",
                value={
                    "id": 1,
                    "assistant": {"id": 9, "name": "Ann Assistant"},
                    "trainer": {"id": 7, "name": "Tara Trainer"},
                    "created_at": "2026-11-30T09:00:00+09:00",
                },
                response_only=True,
            )
        ],
    ),
)
class AssistantLinkViewSet(mixins.ListModelMixin, ScopedViewSet):
    actor_permission = is_active_member
    selector = assistant_selectors.assistant_link_list
    object_source = AssistantLink
    serializer_class = AssistantLinkSerializer
    filterset_class = AssistantLinkFilter


@extend_schema_view(
    create=extend_schema(
        summary="Add a pricing template",
        description="For yourself, or for any trainer who sells (the owner).",
        request=PricingTemplateCreateSerializer,
        responses={201: PricingTemplateSerializer, **ERRORS_WRITE, 404: ERRORS_OBJECT[404]},
        examples=[
            OpenApiExample(
                "Ten sessions",
                value={"name": "10 sessions", "sessions": 10, "price": "550000", "validity_days": 90},
                request_only=True,
            )
        ],
    ),
    partial_update=extend_schema(
        summary="Change a pricing template",
        description="Packages already sold keep their terms. `is_active: false` takes it off sale.",
        request=PricingTemplateWriteSerializer,
        responses={200: PricingTemplateSerializer, **ERRORS_OBJECT_WRITE},
        examples=[OpenApiExample("Off sale", value={"is_active": False}, request_only=True)],
    ),
    list=extend_schema(
        summary="List pricing templates",
        description="The packages each trainer sells. Assistants 404.",
        responses={200: PricingTemplateSerializer(many=True), **ERRORS_LIST, 404: ERRORS_OBJECT[404]},
        examples=[
            OpenApiExample(
                "Ten sessions",
                value={
                    "id": 4,
                    "trainer": {"id": 7, "name": "Tara Trainer"},
                    "name": "10 sessions",
                    "sessions": 10,
                    "price": "550000.00",
                    "currency": "KRW",
                    "validity_days": 90,
                    "is_active": True,
                },
                response_only=True,
            )
        ],
    ),
)
class PricingTemplateViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, ScopedViewSet):
    actor_permission = can_use_pricing
    selector = pricing_template_list
    object_source = pricing_template_source
    object_permission = staticmethod(lambda actor, template: can_manage_pricing(actor, template.trainer))
    serializer_class = PricingTemplateSerializer
    filterset_fields = ["is_active"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = valid(request, PricingTemplateCreateSerializer)
        trainer = self.actor
        if "trainer" in data:  # the service checks the right to price for them; it reads their role and activity
            trainer = get_object_or_404(self.actor, Trainer.objects.select_related("user"), data.pop("trainer"))
        template = pricing_services.pricing_template_create(actor=self.actor, trainer=trainer, **data)
        return Response(self._read(template), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        data = valid(request, PricingTemplateWriteSerializer)
        with transaction.atomic():
            template = self.get_object_for_write()
            is_active = data.pop("is_active", None)
            if data:
                template = pricing_services.pricing_template_update(actor=self.actor, template=template, **data)
            if is_active is not None:
                template = pricing_services.pricing_template_set_active(
                    actor=self.actor, template=template, is_active=is_active
                )
        return Response(self._read(template))

    def _read(self, template):
        return PricingTemplateSerializer(get_object_or_404(self.actor, pricing_template_source(), template.pk)).data


class AuditFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(help_text="Such as client.update or session.schedule.")
    actor = IdFilter(field_name="actor_id", help_text="The trainer who did it.")
    since = AwareDateTimeFilter(field_name="created_at", lookup_expr="gte")
    until = AwareDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = AuditEntry
        fields = ["action", "actor", "since", "until"]


@extend_schema_view(
    list=extend_schema(
        summary="Read the audit log (owner)",
        description="Who did what to which object and when, newest first. Others 404.",
        responses={200: AuditEntrySerializer(many=True), **ERRORS_LIST, 404: ERRORS_OBJECT[404]},
        examples=[
            OpenApiExample(
                "An entry",
                value={
                    "id": 100,
                    "created_at": "2026-12-01T10:00:00+09:00",
                    "actor_id": 7,
                    "actor_name": "Tara Trainer",
                    "action": "client.update",
                    "target_type": "clients.client",
                    "target_id": "42",
                    "target_repr": "Minji Kim",
                    "summary": "Client details changed.",
                    "event": "client.update",
                    "params": {},
                    "changes": {"phone": ["…", "…"]},
                },
                response_only=True,
            )
        ],
    ),
)
class AuditEntryViewSet(mixins.ListModelMixin, ScopedViewSet):
    actor_permission = can_view_audit_log
    selector = audit_entry_list
    object_source = AuditEntry
    serializer_class = AuditEntrySerializer
    filterset_class = AuditFilter
    ordering = ["-created_at"]
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["created_at"]


INVITATION = {
    "id": 3,
    "email": "new.trainer@example.com",
    "role": "trainer",
    "created_at": "2026-12-01T10:00:00+09:00",
    "expires_at": "2026-12-08T10:00:00+09:00",
    "accepted_at": None,
    "revoked_at": None,
    "send_count": 1,
    "invited_by_name": "Olivia Owner",
}


@extend_schema_view(
    list=extend_schema(
        summary="List invitations",
        description="Those the actor may manage: the owner all, seniors those of trainers and assistants; others 404.",
        responses={200: InvitationSerializer(many=True), **ERRORS_LIST, 404: ERRORS_OBJECT[404]},
        examples=[OpenApiExample("Pending", value=INVITATION, response_only=True)],
    ),
    create=extend_schema(
        summary="Invite someone",
        description="An e-mail with a link to join goes out. The gym's seats and daily limits apply (400).",
        request=InvitationCreateSerializer,
        responses={201: InvitationSerializer, **ERRORS_WRITE, 404: ERRORS_OBJECT[404]},
        examples=[
            OpenApiExample(
                "A trainer", value={"email": "new.trainer@example.com", "role": "trainer"}, request_only=True
            )
        ],
    ),
    resend=extend_schema(
        summary="Send an invitation again",
        description="With a new link (the old one stops working) and a fresh expiry.",
        request=None,
        responses={200: InvitationSerializer, **ERRORS_OBJECT_WRITE},
        examples=[OpenApiExample("Sent", value={**INVITATION, "send_count": 2}, response_only=True)],
    ),
    revoke=extend_schema(
        summary="Revoke an invitation",
        request=None,
        responses={200: InvitationSerializer, **ERRORS_OBJECT_WRITE},
        examples=[
            OpenApiExample(
                "Revoked", value={**INVITATION, "revoked_at": "2026-12-02T09:00:00+09:00"}, response_only=True
            )
        ],
    ),
)
class InvitationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Invitations live in the public schema, per gym; what an actor may manage is the team's selector
    (``apps.team.selectors.invitation_list``: this gym, the roles the actor may invite), not ``visible_to``."""

    serializer_class = InvitationSerializer
    ordering = "-created_at"

    @property
    def actor(self):
        return self.request.actor

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not can_invite(request.actor):
            raise Http404

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Invitation.objects.none()
        return team_selectors.invitation_list(actor=self.request.actor, organization=self.request.tenant)

    def create(self, request, *args, **kwargs):
        data = valid(request, InvitationCreateSerializer)
        invitation = team_services.invitation_create(actor=request.actor, organization=request.tenant, **data)
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        invitation = team_services.invitation_resend(actor=request.actor, invitation=self._invitation(pk))
        return Response(InvitationSerializer(invitation).data)

    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        invitation = team_services.invitation_revoke(actor=request.actor, invitation=self._invitation(pk))
        return Response(InvitationSerializer(invitation).data)

    def _invitation(self, pk):
        pk = as_pk(pk)
        tenant = self.request.tenant
        found = None if pk is None else team_selectors.invitation_get(actor=self.actor, organization=tenant, pk=pk)
        if found is None:
            raise Http404
        return found


@extend_schema_view(
    list=extend_schema(
        summary="List specialties",
        description="The gym's list trainers pick their specialties from (by id in a profile change).",
        responses={200: SpecialtySerializer(many=True), **ERRORS_LIST},
        examples=[
            OpenApiExample("Mobility", value={"id": 2, "name": "Mobility", "is_active": True}, response_only=True)
        ],
    ),
)
class SpecialtyViewSet(mixins.ListModelMixin, ScopedViewSet):
    selector = specialties_offered
    object_source = Specialty
    serializer_class = SpecialtySerializer
    filter_backends = []
    pagination_class = None
