from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.clients.models import SCREENING_KEYS, ClientStatus, Sex
from apps.clients.services import clean_client_fields

from .common import StrictSerializer, TrainerRefSerializer


class ClientSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    trainer = TrainerRefSerializer(read_only=True)
    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)
    date_of_birth = serializers.DateField(read_only=True, allow_null=True)
    birth_year = serializers.IntegerField(read_only=True, allow_null=True)
    sex = serializers.ChoiceField(choices=Sex.choices, read_only=True)
    height_cm = serializers.DecimalField(max_digits=4, decimal_places=1, read_only=True, allow_null=True)
    weight_kg = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True, allow_null=True)
    email = serializers.CharField(read_only=True, help_text="An e-mail address, or empty.")
    phone = serializers.CharField(read_only=True)
    goals = serializers.CharField(read_only=True)
    notes = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=ClientStatus.choices, read_only=True)
    needs_medical_clearance = serializers.SerializerMethodField()
    consent_at = serializers.DateTimeField(read_only=True, allow_null=True)
    reminders_consent_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When the client agreed to session reminders by e-mail, or null."
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    archived_at = serializers.DateTimeField(read_only=True, allow_null=True)
    erased_at = serializers.DateTimeField(read_only=True, allow_null=True)

    @extend_schema_field(serializers.BooleanField())
    def get_needs_medical_clearance(self, client):
        return client.needs_medical_clearance


class ClientWriteSerializer(StrictSerializer):
    """The client's details as a program sends them; the services check every rule (ranges, dates, the trainer)."""

    service_field_check = clean_client_fields

    trainer = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="The id of the client's trainer."
    )
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=80)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=80)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    height_cm = serializers.DecimalField(max_digits=6, decimal_places=1, required=False, allow_null=True)
    weight_kg = serializers.DecimalField(max_digits=7, decimal_places=2, required=False, allow_null=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=32)
    goals = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    reminders_consent = serializers.BooleanField(
        required=False,
        help_text="True records the client's consent to session reminders by e-mail (now), false withdraws it.",
    )


class ClientCreateSerializer(ClientWriteSerializer):
    first_name = serializers.CharField(max_length=80)


class ScreeningSerializer(StrictSerializer):
    answers = serializers.DictField(
        child=serializers.BooleanField(),
        help_text="Every PAR-Q+ question by key (" + ", ".join(SCREENING_KEYS) + "): true for yes.",
    )
    consent = serializers.BooleanField(help_text="The client agreed that the answers are recorded (must be true).")


class EraseSerializer(StrictSerializer):
    confirm = serializers.BooleanField(help_text="Must be true: erasure cannot be undone.")
