from datetime import time

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from apps import access
from apps.core.dates import format_date, gym_today
from apps.core.scoping import ScopedQuerySet
from tenants.models import Role


def trainer_photo_path(instance, filename):
    # The storage prefixes the gym's schema (MULTITENANT_RELATIVE_MEDIA_ROOT), so paths never collide.
    return f"trainers/{instance.pk}/{filename}"


class TrainerQuerySet(ScopedQuerySet):
    def visible_to(self, actor):
        return access.team_rows(self, actor)

    def active(self):
        return self.filter(is_active=True)

    def coaching(self):
        """Active members who own clients (not assistants): who can be given clients, sessions, templates or an
        assistant."""
        return self.filter(is_active=True, role__in=access.COACHING_ROLES)

    def pickable_by(self, actor, *, include_inactive=False):
        """The trainers ``actor`` may act for and pick (``apps.access.pickable_trainers``), by name."""
        return (
            self.filter(access.pickable_trainers(actor, include_inactive=include_inactive))
            .select_related("user")
            .order_by("user__full_name", "user__email")
        )

    def locked(self, trainer):
        """The trainer's row, locked until the transaction ends: serialises writes to one trainer's data."""
        return self.select_for_update(of=("self",)).select_related("user").get(pk=trainer.pk)


class Specialty(models.Model):
    """The owner's list of specialties trainers pick from (free tags live on the trainer)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Trainer(models.Model):
    """A member of a gym's team, with the profile clients and colleagues see."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trainer")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.TRAINER)
    is_active = models.BooleanField(_("active"), default=True)
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    public_name = models.CharField(_("display name"), max_length=80, blank=True)
    bio = models.TextField(_("bio"), blank=True, max_length=4000)
    years_of_experience = models.PositiveSmallIntegerField(
        _("years of experience"), null=True, blank=True, validators=[MaxValueValidator(70)]
    )
    languages = ArrayField(models.CharField(max_length=40), verbose_name=_("languages"), default=list, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    specialties = models.ManyToManyField(Specialty, verbose_name=_("specialties"), blank=True, related_name="trainers")
    tags = ArrayField(models.CharField(max_length=40), verbose_name=_("other specialties"), default=list, blank=True)
    photo_medium = models.ImageField(_("photo"), upload_to=trainer_photo_path, blank=True)
    photo_small = models.ImageField(_("photo (small)"), upload_to=trainer_photo_path, blank=True)

    objects = TrainerQuerySet.as_manager()

    class Meta:
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")
        ordering = ["user__full_name", "user__email"]
        indexes = [models.Index(fields=["role", "is_active"])]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.public_name or self.user.full_name or self.user.email

    @property
    def initial(self):
        return self.display_name[:1].upper()

    @cached_property
    def assisted_trainer_ids(self):
        """Ids of the active trainers this assistant works for (empty for other roles). One query, then kept
        for the request: predicates ask it for every row of a page."""
        if not access.is_assistant(self):
            return frozenset()
        return frozenset(self.assisted_trainer_id_query().values_list("trainer_id", flat=True))

    def assisted_trainer_id_query(self):
        """The ids of the active trainers this assistant works for, as a lazy ``values("trainer_id")`` queryset
        (for ``trainer__in=`` subqueries; the access rules ask it, see ``apps.access.Actor``)."""
        return (
            AssistantLink.objects.filter(
                assistant_id=self.pk, trainer__is_active=True, trainer__role__in=access.COACHING_ROLES
            )
            .values("trainer_id")
            .order_by()
        )


class AssistantLinkQuerySet(ScopedQuerySet):
    def visible_to(self, actor):
        if access.sees_team(actor):
            return self.all()
        if not access.is_active_member(actor):
            return self.none()
        return self.filter(Q(assistant=actor) | Q(trainer=actor))


class AssistantLink(models.Model):
    """An assistant works for a trainer: sees that trainer's clients, enters assessments and sessions for them."""

    assistant = models.ForeignKey(
        Trainer, on_delete=models.PROTECT, related_name="assisting_links", verbose_name=_("assistant")
    )
    trainer = models.ForeignKey(
        Trainer, on_delete=models.PROTECT, related_name="assistant_links", verbose_name=_("trainer")
    )
    created_at = models.DateTimeField(_("linked"), auto_now_add=True)

    objects = AssistantLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("assistant link")
        verbose_name_plural = _("assistant links")
        constraints = [
            models.UniqueConstraint(fields=["assistant", "trainer"], name="assistant_link_unique"),
            models.CheckConstraint(condition=~Q(assistant=F("trainer")), name="assistant_link_not_self"),
        ]

    def __str__(self):
        return f"{self.assistant} → {self.trainer}"


class ProfilePartQuerySet(ScopedQuerySet):
    """Certifications, availability and time off: visible to whoever may see their trainer."""

    def visible_to(self, actor):
        return self.filter(trainer__in=Trainer.objects.visible_to(actor))


class Certification(models.Model):
    trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE, related_name="certifications")
    name = models.CharField(_("certification"), max_length=120)
    issuing_body = models.CharField(_("issued by"), max_length=120)
    earned_on = models.DateField(_("date earned"))
    expires_on = models.DateField(_("expires"), null=True, blank=True)

    objects = ProfilePartQuerySet.as_manager()

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["-earned_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("earned_on")),
                name="certification_expires_after_earned",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_expired(self):
        return self.expires_on is not None and self.expires_on < gym_today()


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def format_slot_time(value):
    """ "09:00"; the end of the day (stored as 23:59:59.999999) reads "24:00"."""
    return "24:00" if value == time.max else value.strftime("%H:%M")


class AvailabilitySlot(models.Model):
    """A weekly working window, in the organization's timezone."""

    trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))

    objects = ProfilePartQuerySet.as_manager()

    class Meta:
        verbose_name = _("availability slot")
        verbose_name_plural = _("availability slots")
        ordering = ["weekday", "starts_at"]
        indexes = [models.Index(fields=["trainer", "weekday"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="availability_ends_after_start")
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {format_slot_time(self.starts_at)}-{format_slot_time(self.ends_at)}"


class TimeOff(models.Model):
    trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE, related_name="time_off")
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    objects = ProfilePartQuerySet.as_manager()

    class Meta:
        verbose_name = _("time off")
        verbose_name_plural = _("time off")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="time_off_ends_after_start")
        ]

    def __str__(self):
        return f"{format_date(self.starts_on)} – {format_date(self.ends_on)}"


class PricingTemplateQuerySet(ScopedQuerySet):
    def visible_to(self, actor):
        # Prices: never for assistants (ARCHITECTURE.md, "Roles").
        return access.own_rows(self, actor, assistants=False)


class PricingTemplate(models.Model):
    """A package a trainer sells: N sessions for a price, valid for some days."""

    trainer = models.ForeignKey(Trainer, on_delete=models.PROTECT, related_name="pricing_templates")
    name = models.CharField(_("name"), max_length=120)
    sessions = models.PositiveSmallIntegerField(
        _("sessions"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    validity_days = models.PositiveSmallIntegerField(
        _("valid for (days)"), validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )
    is_active = models.BooleanField(_("on sale"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PricingTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("pricing template")
        verbose_name_plural = _("pricing templates")
        ordering = ["trainer_id", "-is_active", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(sessions__gte=1), name="pricing_template_has_sessions"),
            models.CheckConstraint(condition=Q(price__gte=0), name="pricing_template_price_not_negative"),
        ]

    def __str__(self):
        return self.name


class ApiKeyQuerySet(ScopedQuerySet):
    def visible_to(self, actor):
        return access.personal_rows(self, actor)

    def usable(self):
        """Neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        )


class ApiKey(models.Model):
    """A personal API key: a program acts as its trainer, with that trainer's role, in this gym only.

    The key is ``gk_<prefix>_<secret>``: the prefix names it in lists and logs, the secret (256 random bits) is shown
    once, when it is created, and only its SHA-256 is stored (``apps.trainers.services.api_keys``).
    """

    trainer = models.ForeignKey(Trainer, on_delete=models.PROTECT, related_name="api_keys", verbose_name=_("trainer"))
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    writable = models.BooleanField(_("can write"), default=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} (gk_{self.prefix}…)"

    @property
    def is_usable(self):
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
