from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.money import current_currency
from apps.trainers.services.profile import clean_profile_fields
from tenants.models import Role

from .common import StrictSerializer, TrainerRefSerializer


class CertificationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    issuing_body = serializers.CharField(read_only=True)
    earned_on = serializers.DateField(read_only=True)
    expires_on = serializers.DateField(read_only=True, allow_null=True)


class PhotoSerializer(serializers.Serializer):
    medium = serializers.CharField(read_only=True, help_text="400 px, JPEG.")
    small = serializers.CharField(read_only=True, help_text="96 px square, JPEG.")


class TrainerSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)
    email = serializers.CharField(source="user.email", read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    is_active = serializers.BooleanField(read_only=True)
    public_name = serializers.CharField(read_only=True)
    bio = serializers.CharField(read_only=True)
    years_of_experience = serializers.IntegerField(read_only=True, allow_null=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    phone = serializers.CharField(read_only=True)
    specialties = serializers.SerializerMethodField()
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)
    certifications = CertificationSerializer(many=True, read_only=True)
    photo = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_specialties(self, trainer):
        return [specialty.name for specialty in trainer.specialties.all()]

    @extend_schema_field(PhotoSerializer(allow_null=True))
    def get_photo(self, trainer):
        if not trainer.photo_medium:
            return None
        request = self.context.get("request")
        absolute = request.build_absolute_uri if request is not None else str
        return {"medium": absolute(trainer.photo_medium.url), "small": absolute(trainer.photo_small.url)}


class ProfileWriteSerializer(StrictSerializer):
    service_field_check = clean_profile_fields

    public_name = serializers.CharField(required=False, allow_blank=True, max_length=80)
    bio = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    years_of_experience = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=70)
    languages = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=10)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=32)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=10)
    specialties = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False, max_length=100
    )


class SlotSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(read_only=True, help_text="0 Monday … 6 Sunday.")
    starts_at = serializers.TimeField(read_only=True)
    ends_at = serializers.TimeField(read_only=True)


class TimeOffSerializer(serializers.Serializer):
    starts_on = serializers.DateField(read_only=True)
    ends_on = serializers.DateField(read_only=True)
    reason = serializers.CharField(read_only=True)


class AvailabilitySerializer(serializers.Serializer):
    trainer = TrainerRefSerializer(read_only=True)
    timezone = serializers.CharField(read_only=True, help_text="Weekly hours are in the gym's timezone.")
    weekly = SlotSerializer(many=True, read_only=True)
    time_off = TimeOffSerializer(many=True, read_only=True)


class RoleSerializer(StrictSerializer):
    role = serializers.ChoiceField(choices=Role.choices)


class AssistsSerializer(StrictSerializer):
    trainers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), max_length=100, allow_empty=True
    )


class AssistantLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    assistant = TrainerRefSerializer(read_only=True)
    trainer = TrainerRefSerializer(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class PricingTemplateSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    trainer = TrainerRefSerializer(read_only=True)
    name = serializers.CharField(read_only=True)
    sessions = serializers.IntegerField(read_only=True)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    currency = serializers.SerializerMethodField()
    validity_days = serializers.IntegerField(read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    @extend_schema_field(serializers.CharField())
    def get_currency(self, template):
        return current_currency() or ""


class AuditEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    actor_id = serializers.IntegerField(read_only=True, allow_null=True)
    actor_name = serializers.CharField(read_only=True)
    action = serializers.CharField(read_only=True)
    target_type = serializers.CharField(read_only=True)
    target_id = serializers.CharField(read_only=True)
    target_repr = serializers.CharField(read_only=True)
    summary = serializers.CharField(
        source="sentence",
        read_only=True,
        help_text="What happened, in the request's language (Accept-Language), dates in the gym's timezone.",
    )
    event = serializers.CharField(
        read_only=True, help_text="The event's code (empty for an entry written as plain text before issue 15)."
    )
    params = serializers.DictField(
        read_only=True, help_text="The event's parameters: names as they were, ISO dates, amounts with currency."
    )
    changes = serializers.DictField(read_only=True)


class CertificationWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=120)
    issuing_body = serializers.CharField(max_length=120)
    earned_on = serializers.DateField()
    expires_on = serializers.DateField(required=False, allow_null=True)


class SlotWriteSerializer(StrictSerializer):
    weekday = serializers.IntegerField(min_value=0, max_value=6, help_text="0 Monday … 6 Sunday.")
    starts_at = serializers.TimeField()
    ends_at = serializers.TimeField(help_text="Up to 23:59:59 (the end of the day).")


class TimeOffWriteSerializer(StrictSerializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class PricingTemplateWriteSerializer(StrictSerializer):
    name = serializers.CharField(required=False, max_length=120)
    sessions = serializers.IntegerField(required=False, min_value=1, max_value=500)
    price = serializers.DecimalField(required=False, max_digits=12, decimal_places=2, min_value=0)
    validity_days = serializers.IntegerField(required=False, min_value=1, max_value=3650)
    is_active = serializers.BooleanField(required=False)


class PricingTemplateCreateSerializer(PricingTemplateWriteSerializer):
    trainer = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="Default: yourself; the owner names anyone."
    )
    name = serializers.CharField(max_length=120)
    sessions = serializers.IntegerField(min_value=1, max_value=500)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    validity_days = serializers.IntegerField(min_value=1, max_value=3650)


class InvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)
    accepted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    revoked_at = serializers.DateTimeField(read_only=True, allow_null=True)
    send_count = serializers.IntegerField(read_only=True)
    invited_by_name = serializers.CharField(source="inviter", read_only=True)


class InvitationCreateSerializer(StrictSerializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)
    message = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class SpecialtySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    is_active = serializers.BooleanField(read_only=True, help_text="Offered to trainers.")
