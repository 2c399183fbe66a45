from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import ScopedQuerySet
from apps.core.visibility import own_rows


class PackageStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    USED_UP = "used_up", _("Used up")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class SessionPackageQuerySet(ScopedQuerySet):
    def visible_to(self, actor):
        return own_rows(self, actor)


class SessionPackage(models.Model):
    """Sessions sold to a client. The sessions issue adds prices, VAT, fees and payments."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="packages")
    trainer = models.ForeignKey("trainers.Trainer", on_delete=models.PROTECT, related_name="packages")
    name = models.CharField(_("name"), max_length=120)
    total_sessions = models.PositiveSmallIntegerField(_("sessions"))
    status = models.CharField(
        _("status"), max_length=16, choices=PackageStatus.choices, default=PackageStatus.ACTIVE, db_index=True
    )
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SessionPackageQuerySet.as_manager()

    class Meta:
        verbose_name = _("session package")
        verbose_name_plural = _("session packages")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


class SessionQuerySet(ScopedQuerySet):
    def visible_to(self, actor):
        return own_rows(self, actor)


class Session(models.Model):
    """A training session. The sessions issue adds scheduling rules and credit consumption."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="sessions")
    trainer = models.ForeignKey("trainers.Trainer", on_delete=models.PROTECT, related_name="sessions")
    package = models.ForeignKey(
        SessionPackage, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(_("minutes"), default=60)
    status = models.CharField(
        _("status"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["trainer", "starts_at"]), models.Index(fields=["client", "starts_at"])]

    def __str__(self):
        return f"{self.client} {self.starts_at:%Y-%m-%d %H:%M}"


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Card")
    CASH = "cash", _("Cash")
    TRANSFER = "transfer", _("Bank transfer")
    OTHER = "other", _("Other")


class PaymentQuerySet(ScopedQuerySet):
    def visible_to(self, actor):
        return own_rows(self, actor, trainer_field="package__trainer")


class Payment(models.Model):
    """Money received against a package (negative for a refund). The sessions issue adds fees and refunds."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="payments")
    package = models.ForeignKey(SessionPackage, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    method = models.CharField(_("method"), max_length=16, choices=PaymentMethod.choices, default=PaymentMethod.CARD)
    paid_at = models.DateTimeField(_("paid"), db_index=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_at"]

    def __str__(self):
        return f"{self.amount} {self.paid_at:%Y-%m-%d}"
