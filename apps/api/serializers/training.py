"""Packages, payments and sessions. Money is a decimal string beside its currency; a session names its package by id
and name only, so that those who may not see money (assistants) get none."""

from datetime import datetime

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.training.expiry import days_until_expiry
from apps.training.models import Cancellation, PackageStatus, PaymentMethod, PricingMode, SessionStatus
from apps.training.services.packages import clean_package_fields
from apps.training.services.sessions import undo_deadline

from ..fields import AwareDateTimeField
from .common import StrictSerializer, TrainerRefSerializer

MONEY = {"max_digits": 15, "decimal_places": 3, "read_only": True}


class ClientRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)


class PackageRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class PackageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    client = ClientRefSerializer(read_only=True)
    trainer = TrainerRefSerializer(read_only=True)
    name = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=PackageStatus.choices, read_only=True)
    total_sessions = serializers.IntegerField(read_only=True)
    used_sessions = serializers.IntegerField(read_only=True)
    booked_sessions = serializers.IntegerField(
        read_only=True, help_text="Credits held by scheduled sessions (booked, not used yet)."
    )
    remaining_sessions = serializers.IntegerField(read_only=True, help_text="Credits not used: booked or free.")
    left_to_book = serializers.IntegerField(
        read_only=True, help_text="Credits free for one more booking: total - used - booked."
    )
    expires_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="The last day the package can be used (the gym's calendar)."
    )
    days_until_expiry = serializers.SerializerMethodField(
        help_text="Days from the gym's today to `expires_on`: 0 on the last day, negative after it; null without an "
        "end date."
    )
    extended_days = serializers.IntegerField(
        read_only=True,
        help_text="Days the gym's expiry policy added to `expires_on` when the package reached its end date with "
        "sessions left (0: never extended). A package is extended at most once.",
    )
    extended_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="When it was extended.")
    sold_at = serializers.DateTimeField(read_only=True)
    currency = serializers.CharField(read_only=True, help_text="ISO 4217, for every amount of the package.")
    pricing_mode = serializers.ChoiceField(choices=PricingMode.choices, read_only=True)
    vat_rate = serializers.DecimalField(max_digits=5, decimal_places=4, read_only=True)
    card_fee_rate = serializers.DecimalField(max_digits=5, decimal_places=4, read_only=True)
    price = serializers.DecimalField(**MONEY)
    net_amount = serializers.DecimalField(**MONEY)
    vat_amount = serializers.DecimalField(**MONEY)
    fee_amount = serializers.DecimalField(**MONEY)
    gross_amount = serializers.DecimalField(**MONEY)
    paid_amount = serializers.DecimalField(**MONEY)
    balance_due = serializers.DecimalField(**MONEY)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_days_until_expiry(self, package):
        return days_until_expiry(package)


def _check_sale_terms(values):
    # An empty term may come from the pricing template: the sale itself decides whether it is missing.
    clean_package_fields({name: value for name, value in values.items() if value != ""})


class PackageSellSerializer(StrictSerializer):
    service_field_check = _check_sale_terms

    client = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    pricing_template = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**63 - 1)
    name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    total_sessions = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=500)
    price = serializers.DecimalField(required=False, allow_null=True, max_digits=15, decimal_places=3)
    vat_rate = serializers.DecimalField(required=False, allow_null=True, max_digits=5, decimal_places=4)
    card_fee_rate = serializers.DecimalField(required=False, allow_null=True, max_digits=5, decimal_places=4)
    pricing_mode = serializers.ChoiceField(choices=PricingMode.choices, required=False)
    expires_on = serializers.DateField(required=False, allow_null=True)


class PaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    package = PackageRefSerializer(read_only=True)
    client = ClientRefSerializer(read_only=True)
    amount = serializers.DecimalField(**MONEY, help_text="Negative for a refund.")
    fee_amount = serializers.DecimalField(**MONEY)
    currency = serializers.CharField(source="package.currency", read_only=True)
    method = serializers.ChoiceField(choices=PaymentMethod.choices, read_only=True)
    paid_at = serializers.DateTimeField(read_only=True)
    note = serializers.CharField(read_only=True)
    is_refund = serializers.BooleanField(read_only=True)


class PaymentCreateSerializer(StrictSerializer):
    amount = serializers.DecimalField(max_digits=15, decimal_places=3, help_text="Positive, in the package's currency.")
    method = serializers.ChoiceField(choices=PaymentMethod.choices, required=False, default=PaymentMethod.CARD)
    paid_at = AwareDateTimeField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class EarlierTimeSerializer(serializers.Serializer):
    """One entry of ``Session.previous_times`` (an ISO text in the database), read back as a time."""

    starts_at = serializers.SerializerMethodField()
    duration_minutes = serializers.IntegerField(read_only=True)

    @extend_schema_field(serializers.DateTimeField())
    def get_starts_at(self, entry):
        return serializers.DateTimeField().to_representation(datetime.fromisoformat(entry["starts_at"]))


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    client = ClientRefSerializer(read_only=True)
    trainer = TrainerRefSerializer(read_only=True)
    package = PackageRefSerializer(read_only=True, allow_null=True)
    starts_at = serializers.DateTimeField(read_only=True)
    ends_at = serializers.DateTimeField(read_only=True)
    duration_minutes = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=SessionStatus.choices, read_only=True)
    used_credit = serializers.BooleanField(read_only=True)
    holds_credit = serializers.BooleanField(
        read_only=True,
        help_text="Scheduled and holding one credit of its package. False on a scheduled session with a package only "
        "for a booking made before credits were held, when the package was already full (an unheld booking).",
    )
    cancellation = serializers.ChoiceField(
        choices=Cancellation.choices,
        read_only=True,
        allow_blank=True,
        help_text="Who cancelled: the client in time, the client late (inside the cut-off), or the trainer. "
        "Empty unless cancelled.",
    )
    cancellation_reason = serializers.CharField(read_only=True, help_text="Why it was cancelled, if given.")
    notes = serializers.CharField(read_only=True, help_text="The trainer's notes (written when completing it).")
    previous_times = EarlierTimeSerializer(
        many=True, read_only=True, help_text="Where the session was before each move, oldest first."
    )
    undo_until = serializers.SerializerMethodField(
        help_text="Until when a completion or no-show can be undone (`POST …/undo/`); null otherwise."
    )
    created_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_undo_until(self, session):
        deadline = undo_deadline(session)
        return None if deadline is None else serializers.DateTimeField().to_representation(deadline)


class SessionCancelSerializer(StrictSerializer):
    by = serializers.ChoiceField(
        choices=[("client", "client"), ("trainer", "trainer")],
        required=False,
        default="client",
        help_text="`trainer`: the trainer called it off, no credit is used whatever the time. Default `client`.",
    )
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=1000)


class SessionCompleteSerializer(StrictSerializer):
    notes = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=10_000,
        help_text="What was done, shown on the client's timeline (at most 2,000 characters).",
    )


class SessionEditSerializer(StrictSerializer):
    """A scheduled session's new time, duration, package or notes; what is not sent stays."""

    starts_at = AwareDateTimeField(required=False, help_text="With its offset, e.g. 2026-12-04T10:00:00+09:00.")
    duration_minutes = serializers.IntegerField(required=False, min_value=1, max_value=24 * 60)
    package = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**63 - 1, help_text="null: no package."
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    confirm_unavailable = serializers.BooleanField(
        required=False, default=False, help_text="Move even outside the trainer's availability (else 409)."
    )


class SessionBookSerializer(StrictSerializer):
    client = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    starts_at = AwareDateTimeField(help_text="With its offset, e.g. 2026-12-04T10:00:00+09:00.")
    duration_minutes = serializers.IntegerField(required=False, default=60, min_value=1, max_value=24 * 60)
    trainer = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**63 - 1, help_text="Default: the client's."
    )
    package = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**63 - 1)
    confirm_unavailable = serializers.BooleanField(
        required=False, default=False, help_text="Book even outside the trainer's availability (else 409)."
    )
