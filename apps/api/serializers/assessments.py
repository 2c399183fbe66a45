from django.utils.translation import gettext as _
from rest_framework import serializers

from apps.assessments.models import Setting, TestTypeChoices

from ..fields import AwareDateTimeField
from .common import StrictSerializer, TrainerRefSerializer
from .training import ClientRefSerializer


class TestResultSerializer(serializers.Serializer):
    test_type = serializers.ChoiceField(choices=TestTypeChoices.choices, read_only=True)
    raw_values = serializers.DictField(read_only=True)
    protocol = serializers.DictField(read_only=True)
    details = serializers.DictField(read_only=True)
    flags = serializers.ListField(child=serializers.CharField(), read_only=True)
    band = serializers.CharField(read_only=True)
    computed_score = serializers.IntegerField(read_only=True, allow_null=True)
    override_score = serializers.IntegerField(read_only=True, allow_null=True)
    override_reason = serializers.CharField(read_only=True)
    score = serializers.IntegerField(read_only=True, allow_null=True, help_text="The override if any, else computed.")


class AssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    client = ClientRefSerializer(read_only=True)
    trainer = TrainerRefSerializer(read_only=True)
    performed_at = serializers.DateTimeField(read_only=True)
    setting = serializers.ChoiceField(choices=Setting.choices, read_only=True)
    temperature_c = serializers.DecimalField(max_digits=3, decimal_places=1, read_only=True, allow_null=True)
    age_at_test = serializers.IntegerField(read_only=True)
    sex_at_test = serializers.CharField(read_only=True)
    scoring_version = serializers.CharField(read_only=True)
    strength_score = serializers.IntegerField(read_only=True, allow_null=True)
    mobility_score = serializers.IntegerField(read_only=True, allow_null=True)
    balance_score = serializers.IntegerField(read_only=True, allow_null=True)
    cardio_score = serializers.IntegerField(read_only=True, allow_null=True)
    overall_score = serializers.IntegerField(read_only=True, allow_null=True)
    coverage_pct = serializers.IntegerField(read_only=True)
    missing = serializers.DictField(read_only=True)
    notes = serializers.CharField(read_only=True)
    results = TestResultSerializer(many=True, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class AssessmentCreateSerializer(StrictSerializer):
    client = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    performed_at = AwareDateTimeField(required=False, allow_null=True, help_text="Default: now.")
    setting = serializers.ChoiceField(choices=Setting.choices, required=False, default=Setting.INDOOR)
    temperature_c = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    clearance_confirmed = serializers.BooleanField(
        required=False, default=False, help_text="Medical clearance was obtained (needed when the screening says so)."
    )
    results = serializers.DictField(
        child=serializers.DictField(),
        help_text="Per test (push_ups, sit_and_reach, …): the raw values, or {raw: {...}, protocol: {...}}. See "
        "docs/scoring.md for each test's values.",
    )

    def validate_results(self, value):
        unknown = sorted(set(value) - set(TestTypeChoices.values))
        if unknown:
            raise serializers.ValidationError(_("Unknown tests: %(tests)s.") % {"tests": ", ".join(unknown)})
        if _holds_nul(value):
            raise serializers.ValidationError(_("Null characters are not allowed."))
        return value


def _holds_nul(value):
    """Whether a NUL character hides anywhere in ``value`` (PostgreSQL stores none, in text or in JSON)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


class ComparisonSerializer(serializers.Serializer):
    assessments = serializers.ListField(child=serializers.DictField(), read_only=True)
    tests = serializers.ListField(child=serializers.DictField(), read_only=True)
    categories = serializers.ListField(child=serializers.DictField(), read_only=True)
    overall = serializers.DictField(read_only=True)
