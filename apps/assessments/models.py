from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.access import own_rows
from apps.core.dates import format_date
from apps.core.scoping import ScopedQuerySet

from .scoring import TestType


class Setting(models.TextChoices):
    INDOOR = "indoor", _("Indoor")
    OUTDOOR = "outdoor", _("Outdoor")


class TestTypeChoices(models.TextChoices):
    DEEP_SQUAT = TestType.DEEP_SQUAT, _("Overhead squat")
    SHOULDER_MOBILITY = TestType.SHOULDER_MOBILITY, _("Shoulder mobility")
    SIT_AND_REACH = TestType.SIT_AND_REACH, _("Sit-and-reach")
    PUSH_UPS = TestType.PUSH_UPS, _("Push-ups")
    FARMERS_CARRY = TestType.FARMERS_CARRY, _("Farmer's carry")
    BALANCE_EYES_OPEN = TestType.BALANCE_EYES_OPEN, _("Single-leg stance, eyes open")
    BALANCE_EYES_CLOSED = TestType.BALANCE_EYES_CLOSED, _("Single-leg stance, eyes closed")
    STEP_TEST = TestType.STEP_TEST, _("Step test")


CATEGORY_LABELS = {
    "strength": _("Strength"),
    "mobility": _("Mobility"),
    "balance": _("Balance"),
    "cardio": _("Cardio"),
}


class AssessmentQuerySet(ScopedQuerySet):
    def visible_to(self, actor):
        """An assessment belongs to its client's trainer (whoever performed it)."""
        return own_rows(self, actor, trainer_field="client__trainer")


class Assessment(models.Model):
    """One fitness assessment of a client. Scores are those of ``scoring_version`` and never rescored silently."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="assessments")
    trainer = models.ForeignKey(
        "trainers.Trainer", on_delete=models.PROTECT, related_name="assessments_performed", db_index=True
    )
    performed_at = models.DateTimeField(_("performed at"))
    setting = models.CharField(_("conditions"), max_length=8, choices=Setting.choices, default=Setting.INDOOR)
    temperature_c = models.DecimalField(_("temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True)
    age_at_test = models.PositiveSmallIntegerField(_("age at the assessment"))
    sex_at_test = models.CharField(_("sex used for norms"), max_length=16, blank=True)
    scoring_version = models.CharField(_("scoring version"), max_length=16)
    strength_score = models.PositiveSmallIntegerField(_("strength"), null=True, blank=True)
    mobility_score = models.PositiveSmallIntegerField(_("mobility"), null=True, blank=True)
    balance_score = models.PositiveSmallIntegerField(_("balance"), null=True, blank=True)
    cardio_score = models.PositiveSmallIntegerField(_("cardio"), null=True, blank=True)
    overall_score = models.PositiveSmallIntegerField(_("overall"), null=True, blank=True)
    coverage_pct = models.PositiveSmallIntegerField(_("share measured (%)"), default=0)
    # {"tests": [...], "categories": [...], "by_category": {category: {"missing": [...], "unscored": [...]}}}
    missing = models.JSONField(_("missing"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # For the client's report: when to assess again, and a word from the trainer.
    reassess_on = models.DateField(_("next assessment"), null=True, blank=True)
    report_note = models.TextField(_("note for the report"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-performed_at", "-pk"]
        # performed_at alone: the API lists every assessment the owner sees in time order (cursor pages).
        indexes = [
            models.Index(fields=["client", "-performed_at"], name="assessment_client_date"),
            models.Index(fields=["performed_at"], name="assessment_date"),
            # The latest assessment of each client with its scores, from the index alone: the analytics' score
            # bands and score changes, the client list's latest score (bench/analytics.py).
            models.Index(
                fields=["client", "-performed_at", "-id"],
                include=["overall_score", "strength_score", "mobility_score", "balance_score", "cardio_score"],
                name="assessment_client_latest",
            ),
        ]

    def __str__(self):
        return f"{self.client} {format_date(self.performed_at)}"

    def category_scores(self):
        return {
            "strength": self.strength_score,
            "mobility": self.mobility_score,
            "balance": self.balance_score,
            "cardio": self.cardio_score,
        }


class TestResultQuerySet(ScopedQuerySet):
    def visible_to(self, actor):
        return own_rows(self, actor, trainer_field="assessment__client__trainer")


class TestResult(models.Model):
    """One test of an assessment: raw values and protocol as entered, the computed score, an optional override."""

    __test__ = False  # not a pytest class

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="results")
    test_type = models.CharField(_("test"), max_length=32, choices=TestTypeChoices.choices)
    raw_values = models.JSONField(_("raw values"), default=dict)
    protocol = models.JSONField(_("protocol details"), default=dict, blank=True)
    details = models.JSONField(_("derived figures"), default=dict, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    band = models.CharField(_("band"), max_length=32, blank=True)
    computed_score = models.PositiveSmallIntegerField(_("computed score"), null=True, blank=True)
    override_score = models.PositiveSmallIntegerField(_("overriding score"), null=True, blank=True)
    override_reason = models.TextField(_("reason for the override"), blank=True)
    override_by = models.ForeignKey(
        "trainers.Trainer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField(_("overridden at"), null=True, blank=True)

    objects = TestResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("test result")
        verbose_name_plural = _("test results")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "test_type"], name="one_result_per_test"),
            models.CheckConstraint(condition=models.Q(computed_score__lte=100), name="computed_score_max_100"),
            models.CheckConstraint(condition=models.Q(override_score__lte=100), name="override_score_max_100"),
        ]

    def __str__(self):
        return self.get_test_type_display()

    @property
    def is_overridden(self):
        return self.override_score is not None

    @property
    def score(self):
        """The score that counts: the override when there is one."""
        return self.override_score if self.override_score is not None else self.computed_score
