from datetime import timedelta

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.access import is_assistant, own_rows
from apps.core.dates import format_date, format_datetime
from apps.core.scoping import ScopedQuerySet
from tenants import models as tenants_models


class PackageStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    USED_UP = "used_up", _("Used up")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


# Money columns hold three decimals so that BHD, KWD and the other thousandth currencies fit.
MONEY = {"max_digits": 15, "decimal_places": 3}
RATE = {"max_digits": 5, "decimal_places": 4}


# One definition for the packages and the gym's default (``Organization.default_pricing_mode``).
PricingMode = tenants_models.PricingMode


class SessionPackageQuerySet(ScopedQuerySet):
    def visible_to(self, actor):
        # Packages carry prices: never for assistants (ARCHITECTURE.md, "Roles").
        return own_rows(self, actor, assistants=False)

    def credited_to(self, actor):
        """Packages sold by the trainers the actor sees (``sold_by``), wherever a transfer has moved them since."""
        return own_rows(self, actor, trainer_field="sold_by", assistants=False)

    def bookable_by(self, actor):
        """Active packages with credit left that ``actor`` may book sessions on. Assistants book on the packages of
        the trainers they assist without seeing them otherwise: only name and credits are loaded, no money."""
        bookable = self.filter(
            status=PackageStatus.ACTIVE, total_sessions__gt=F("used_sessions") + F("booked_sessions")
        )
        if is_assistant(actor):
            return own_rows(bookable, actor).only(
                "pk",
                "name",
                "total_sessions",
                "used_sessions",
                "booked_sessions",
                "status",
                "expires_on",
                "client",
                "trainer",
            )
        return bookable.visible_to(actor)


class SessionPackage(models.Model):
    """Sessions sold to a client, with the terms of the sale frozen at that moment.

    ``used_sessions`` counts credits consumed (completed, no-show, late-cancelled sessions), ``booked_sessions`` the
    credits held by scheduled sessions; a check constraint keeps ``booked + used <= total``, and every change of
    either goes through ``apps.training.services.credits`` under a lock of the row.
    The amounts come from ``apps.training.pricing_math.breakdown`` (net + VAT = gross; the fee is apart).
    """

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="packages")
    trainer = models.ForeignKey("trainers.Trainer", on_delete=models.PROTECT, related_name="packages")
    # Who sold it: kept when a transfer moves the package (and its remaining credits) to another trainer, so that
    # credits sold stay with the seller in the analytics.
    sold_by = models.ForeignKey(
        "trainers.Trainer", on_delete=models.PROTECT, related_name="packages_sold", verbose_name=_("sold by")
    )
    pricing_template = models.ForeignKey(
        "trainers.PricingTemplate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="packages",
        verbose_name=_("pricing template"),
    )
    name = models.CharField(_("name"), max_length=120)
    total_sessions = models.PositiveSmallIntegerField(_("sessions"))
    used_sessions = models.PositiveSmallIntegerField(_("sessions used"), default=0)
    # Credits held by scheduled sessions (``Session.holds_credit``); only ``services.credits`` changes it.
    booked_sessions = models.PositiveSmallIntegerField(_("sessions booked"), default=0)
    price = models.DecimalField(_("price"), default=0, **MONEY)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    vat_rate = models.DecimalField(_("VAT rate"), default=0, **RATE)
    card_fee_rate = models.DecimalField(_("card fee rate"), default=0, **RATE)
    pricing_mode = models.CharField(
        _("pricing"), max_length=16, choices=PricingMode.choices, default=PricingMode.INCLUSIVE
    )
    net_amount = models.DecimalField(_("net"), default=0, **MONEY)
    vat_amount = models.DecimalField(_("VAT"), default=0, **MONEY)
    fee_amount = models.DecimalField(_("card fee"), default=0, **MONEY)
    gross_amount = models.DecimalField(_("total"), default=0, **MONEY)
    sold_at = models.DateTimeField(_("sold"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PackageStatus.choices, default=PackageStatus.ACTIVE, db_index=True
    )
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    # The gym's extension (``Organization.package_expiry_policy``): given once, when the package reached its end date
    # with credits left; ``expires_on`` already holds the new date (the old one is ``expires_on - extended_days``).
    extended_days = models.PositiveSmallIntegerField(_("extended by (days)"), default=0)
    extended_at = models.DateTimeField(_("extended"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SessionPackageQuerySet.as_manager()

    class Meta:
        verbose_name = _("session package")
        verbose_name_plural = _("session packages")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(total_sessions__gte=1), name="package_has_sessions"),
            models.CheckConstraint(
                condition=Q(used_sessions__lte=F("total_sessions")), name="package_credit_not_below_zero"
            ),
            models.CheckConstraint(
                condition=Q(booked_sessions__gte=0) & Q(total_sessions__gte=F("booked_sessions") + F("used_sessions")),
                name="package_booked_and_used_within_total",
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="package_price_not_negative"),
            models.CheckConstraint(
                condition=Q(vat_rate__gte=0, vat_rate__lt=1, card_fee_rate__gte=0, card_fee_rate__lt=1),
                name="package_rates_in_range",
            ),
            models.CheckConstraint(
                condition=Q(gross_amount=F("net_amount") + F("vat_amount")), name="package_amounts_add_up"
            ),
        ]
        # created_at: the API lists packages in that order (a cursor over the whole gym for the owner).
        indexes = [
            models.Index(fields=["trainer", "status"]),
            models.Index(fields=["client", "status"]),
            models.Index(fields=["created_at"], name="package_created"),
            # The hourly expiry job and the "expiring soon" list: active packages by end date.
            models.Index(fields=["status", "expires_on"], name="package_status_expiry"),
        ]

    def __str__(self):
        return self.name

    @property
    def remaining_sessions(self):
        """Credits not used yet (booked or free)."""
        return self.total_sessions - self.used_sessions

    @property
    def left_to_book(self):
        """Credits neither used nor held by a booking: what one more booking may take."""
        return max(self.total_sessions - self.used_sessions - self.booked_sessions, 0)

    @property
    def was_extended(self):
        return self.extended_at is not None

    @property
    def expires_on_before_extension(self):
        """The end date the package was sold with (before the gym's extension, if it had one)."""
        if self.expires_on is None or not self.extended_days:
            return self.expires_on
        return self.expires_on - timedelta(days=self.extended_days)

    @property
    def vat_percent(self):
        """10 for a rate of 0.1000, 8.25 for 0.0825 (for display)."""
        return f"{(self.vat_rate * 100).normalize():f}"

    @property
    def card_fee_percent(self):
        return f"{(self.card_fee_rate * 100).normalize():f}"

    @property
    def is_inclusive(self):
        return self.pricing_mode == PricingMode.INCLUSIVE


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


class Cancellation(models.TextChoices):
    """Who cancelled, and when: a client's cancellation inside the gym's cut-off is late (it may use a credit)."""

    CLIENT = "client", _("Cancelled by the client")
    LATE = "late", _("Cancelled late")
    TRAINER = "trainer", _("Cancelled by the trainer")


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
    used_credit = models.BooleanField(_("used a credit"), default=False)
    # A scheduled session on a package holds one of its credits (``SessionPackage.booked_sessions``). False for a
    # scheduled session on a package only for bookings made before holds existed on a package already full
    # (the migration "hold_booked_credits"): an "unheld booking", shown with a warning.
    holds_credit = models.BooleanField(_("holds a credit"), default=False)
    cancellation = models.CharField(_("cancellation"), max_length=8, choices=Cancellation.choices, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    cancellation_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    # What happened in the session, written when completing it; shown on the client's timeline.
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    # Where and how long the session was before each move, oldest first ({"starts_at": ISO, "duration_minutes"}),
    # so a moved session shows its history to everyone who sees it (the audit log is the owner's).
    previous_times = models.JSONField(_("earlier times"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Issue 15: when the client's reminder mail went out; set in the transaction that sent it
    # (apps/training/reminders.py), so a second run of the beat job finds it and sends nothing.
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        # starts_at alone: the owner's API list of every session of the gym, in time order (cursor pages).
        indexes = [
            models.Index(fields=["trainer", "starts_at"]),
            models.Index(fields=["client", "starts_at"]),
            models.Index(fields=["starts_at"], name="session_starts"),
        ]

    def __str__(self):
        # In the gym's timezone: this is the label audit rows keep of the session.
        return f"{self.client} {format_datetime(self.starts_at)}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_unheld_booking(self):
        """Booked on a package without holding one of its credits (see ``holds_credit``)."""
        return self.status == SessionStatus.SCHEDULED and self.package_id is not None and not self.holds_credit


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Card")
    CASH = "cash", _("Cash")
    TRANSFER = "transfer", _("Bank transfer")
    OTHER = "other", _("Other")


class PaymentQuerySet(ScopedQuerySet):
    def visible_to(self, actor):
        return own_rows(self, actor, trainer_field="package__trainer", assistants=False)

    def credited_to(self, actor):
        """Payments credited to the trainers the actor sees (by ``Payment.trainer``, not the package's trainer now):
        the analytics' view of money, which a transfer does not move."""
        return own_rows(self, actor, trainer_field="trainer", assistants=False)


class Payment(models.Model):
    """Money received against a package; a refund is a negative amount. ``fee_amount`` is the card processor's cut
    (the package's card-fee rate for card payments, zero otherwise), negative on a card refund."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="payments")
    package = models.ForeignKey(SessionPackage, on_delete=models.PROTECT, related_name="payments")
    # The trainer credited with the money: whoever held the package when it was recorded. A later transfer of the
    # package does not move it (analytics attribute cash historically).
    trainer = models.ForeignKey(
        "trainers.Trainer", on_delete=models.PROTECT, related_name="payments_taken", verbose_name=_("trainer")
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    fee_amount = models.DecimalField(_("card fee"), default=0, **MONEY)
    method = models.CharField(_("method"), max_length=16, choices=PaymentMethod.choices, default=PaymentMethod.CARD)
    paid_at = models.DateTimeField(_("paid"), db_index=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_at"]

    def __str__(self):
        return f"{self.amount} {format_date(self.paid_at)}"

    @property
    def is_refund(self):
        return self.amount < 0


class CalendarFeedQuerySet(ScopedQuerySet):
    def visible_to(self, actor):
        # A private link of its trainer: nobody else (not even the owner) manages or reads it.
        if actor is None or not getattr(actor, "is_active", False):
            return self.none()
        return self.filter(trainer_id=actor.pk)


class CalendarFeed(models.Model):
    """A trainer's private iCalendar link (issue 15): ``/calendar/<token>.ics``. The token (256 random bits) is
    shown once, when it is made; only its SHA-256 is kept, like API keys. Making a new one replaces the row's hash,
    so the old link answers 404 at once."""

    trainer = models.OneToOneField(
        "trainers.Trainer", on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("trainer")
    )
    token_hash = models.CharField(max_length=64, unique=True)
    # Clients' full names in the feed instead of "first name and last initial".
    full_names = models.BooleanField(_("show clients' full names"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(_("Calendar feed of %(trainer)s") % {"trainer": self.trainer.display_name})
