from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from apps.access import own_rows
from apps.core.scoping import ScopedQuerySet


class ClientStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archived")


class Sex(models.TextChoices):
    """Used to pick age-and-sex norms; "not stated" scores against norms that do not depend on sex."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    NOT_STATED = "not_stated", _("Not stated")


# The seven general-health questions of the PAR-Q+ (2023), in its order. Any "yes" means the client should get
# medical clearance (or complete the follow-up pages) before exercise testing.
SCREENING_QUESTIONS = [
    (
        "heart_condition",
        _("Has your doctor ever said that you have a heart condition or high blood pressure?"),
    ),
    (
        "chest_pain",
        _("Do you feel pain in your chest at rest, during your daily activities, or when you do physical activity?"),
    ),
    (
        "dizziness",
        _("Do you lose balance because of dizziness, or have you lost consciousness in the last 12 months?"),
    ),
    (
        "chronic_condition",
        _(
            "Have you ever been diagnosed with another chronic medical condition (other than heart disease or high "
            "blood pressure)?"
        ),
    ),
    ("medication", _("Are you currently taking prescribed medications for a chronic medical condition?")),
    (
        "bone_joint",
        _(
            "Do you currently have (or have had within the past 12 months) a bone, joint, or soft tissue problem "
            "that could be made worse by becoming more physically active?"
        ),
    ),
    (
        "supervised_only",
        _("Has your doctor ever said that you should only do medically supervised physical activity?"),
    ),
]
SCREENING_KEYS = [key for key, _question in SCREENING_QUESTIONS]


class ClientQuerySet(ScopedQuerySet):
    def visible_to(self, actor):
        return own_rows(self, actor)

    def active(self):
        return self.filter(status=ClientStatus.ACTIVE)


class Client(models.Model):
    """A person a trainer coaches. Age and BMI are derived; ``search_text`` is kept by the services."""

    trainer = models.ForeignKey("trainers.Trainer", on_delete=models.PROTECT, related_name="clients")
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True, help_text=_("Kept instead of the date of birth once erased.")
    )
    sex = models.CharField(_("sex"), max_length=16, choices=Sex.choices, default=Sex.NOT_STATED)
    height_cm = models.DecimalField(_("height (cm)"), max_digits=4, decimal_places=1, null=True, blank=True)
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=5, decimal_places=2, null=True, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    goals = models.TextField(_("goals"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # The language of this client's reports (the trainer's last choice); empty: the reader's language.
    report_language = models.CharField(
        _("report language"), max_length=8, blank=True, choices=[("en", "English"), ("ko", "한국어")]
    )
    screening = models.JSONField(_("health screening"), default=dict, blank=True)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    # Issue 15: when the client agreed to session reminders by e-mail (None: no reminders, no notices of moves).
    reminders_consent_at = models.DateTimeField(_("agreed to reminders"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ClientStatus.choices, default=ClientStatus.ACTIVE)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)
    search_text = models.CharField(max_length=400, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["trainer", "status"]),
            models.Index("status", Lower("last_name"), Lower("first_name"), name="client_status_lower_name"),
            models.Index(fields=["status", "-created_at"], name="client_status_created"),
            models.Index(fields=["date_of_birth"], name="client_dob"),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def full_name(self):
        return str(self)

    @property
    def is_archived(self):
        return self.status == ClientStatus.ARCHIVED

    @property
    def is_erased(self):
        return self.erased_at is not None

    @property
    def age(self):
        from apps.core.dates import gym_today

        return age_on(self.date_of_birth, gym_today()) if self.date_of_birth else None

    @property
    def bmi(self):
        return bmi(self.weight_kg, self.height_cm)

    @property
    def bmi_category(self):
        return bmi_category(self.bmi)

    @property
    def screening_answers(self):
        """[(key, question, answer)] with answer True, False or None (not answered)."""
        answers = self.screening or {}
        return [(key, question, answers.get(key)) for key, question in SCREENING_QUESTIONS]

    @property
    def screening_done(self):
        answers = self.screening or {}
        return all(isinstance(answers.get(key), bool) for key in SCREENING_KEYS)

    @property
    def needs_medical_clearance(self):
        answers = self.screening or {}
        return any(answers.get(key) is True for key in SCREENING_KEYS)


def age_on(birth, day):
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def bmi(weight_kg, height_cm):
    """kg/m², one decimal, or None when a measure is missing."""
    from decimal import ROUND_HALF_UP, Decimal

    if not weight_kg or not height_cm:
        return None
    metres = Decimal(height_cm) / 100
    return (Decimal(weight_kg) / (metres * metres)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def bmi_category(value):
    """WHO adult categories."""
    if value is None:
        return ""
    if value < 18.5:
        return _("Underweight")
    if value < 25:
        return _("Normal weight")
    if value < 30:
        return _("Overweight")
    return _("Obesity")
