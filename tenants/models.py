"""Public-schema models: organizations (gyms), their hosts and their invitations."""

import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    SENIOR = "senior", _("Senior")
    TRAINER = "trainer", _("Trainer")
    ASSISTANT = "assistant", _("Assistant")


class OrganizationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")


class PaperSize(models.TextChoices):
    """The paper the gym's PDF reports are laid out for. Values are CSS ``@page { size: … }`` keywords."""

    A4 = "A4", _("A4 (210 × 297 mm)")
    LETTER = "letter", _("US Letter (8.5 × 11 in)")


class PricingMode(models.TextChoices):
    """How a package's price relates to its VAT. The gym's default for new packages; each package keeps its own."""

    INCLUSIVE = "inclusive", _("VAT included in the price")
    EXCLUSIVE = "exclusive", _("VAT added to the price")


class PackageExpiryPolicy(models.TextChoices):
    """What happens to a package's unused credits when it reaches its expiry date (the gym's choice)."""

    FORFEIT = "forfeit", _("Unused credits are forfeited: the package expires")
    EXTEND = "extend", _("The package is extended once, then expires")


#: The product's teal (``--brand`` in static/css/app.css): the accent of a gym that has not chosen one.
DEFAULT_ACCENT_COLOUR = "#0f766e"
#: An accent colour as stored: ``#`` and six lowercase hex digits.
ACCENT_COLOUR_PATTERN = r"^#[0-9a-f]{6}\Z"


def organization_logo_path(instance, filename):
    # The storage prefixes the schema of the gym whose request stores it (MULTITENANT_RELATIVE_MEDIA_ROOT).
    return f"branding/{filename}"


class Organization(TenantMixin):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=OrganizationStatus.choices, default=OrganizationStatus.ACTIVE
    )
    owner_email = models.EmailField(_("owner's email"))
    timezone = models.CharField(_("timezone"), max_length=64, default="UTC")
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    default_vat_rate = models.DecimalField(
        _("default VAT rate"), max_digits=5, decimal_places=4, default=0, help_text=_("0.1000 means 10%.")
    )
    default_card_fee_rate = models.DecimalField(
        _("default card fee rate"),
        max_digits=5,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0.0250 means 2.5%."),
    )
    default_pricing_mode = models.CharField(
        _("default VAT mode"), max_length=16, choices=PricingMode.choices, default=PricingMode.INCLUSIVE
    )
    late_cancellation_hours = models.PositiveSmallIntegerField(
        _("late cancellation window (hours)"),
        default=24,
        validators=[MaxValueValidator(24 * 14)],
        help_text=_("A session cancelled less than this many hours before it starts still uses a credit."),
    )
    # Issue 15: clients who agreed get an e-mail this many hours before each booked session; 0 sends none.
    reminder_hours = models.PositiveSmallIntegerField(
        _("reminder (hours before a session)"),
        default=24,
        validators=[MaxValueValidator(24 * 7)],
        help_text=_("Clients who agreed get an e-mail this many hours before each session; 0 sends no reminders."),
    )
    # What the hourly expiry job does with a package that reaches its end date with credits left
    # (apps.training.services.packages.packages_expire): forfeit them, or extend the package once by this many days.
    package_expiry_policy = models.CharField(
        _("when a package expires"),
        max_length=16,
        choices=PackageExpiryPolicy.choices,
        default=PackageExpiryPolicy.FORFEIT,
    )
    package_extension_days = models.PositiveSmallIntegerField(
        _("package extension (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("How many days a package with credits left is extended, once, when it reaches its end date."),
    )
    # Branding, read by the PDF reports: ``logo.name`` is the storage name (``branding/logo-<hex>.png``, under the
    # gym's schema in the media storage), ``accent_colour`` is ``#rrggbb``, ``paper_size`` a CSS page size keyword.
    logo = models.ImageField(_("logo"), upload_to=organization_logo_path, blank=True, max_length=200)
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default=DEFAULT_ACCENT_COLOUR,
        validators=[RegexValidator(ACCENT_COLOUR_PATTERN, _("Enter a colour as # and six hex digits, like #0f766e."))],
    )
    paper_size = models.CharField(_("report paper size"), max_length=8, choices=PaperSize.choices, default=PaperSize.A4)
    seat_limit = models.PositiveIntegerField(_("seat limit"), default=10)
    invitation_expiry_days = models.PositiveIntegerField(
        _("invitation expiry (days)"), default=settings.INVITATION_DEFAULT_EXPIRY_DAYS
    )
    pending_invitation_limit = models.PositiveIntegerField(
        _("pending invitation limit"), default=settings.INVITATION_DEFAULT_PENDING_LIMIT
    )
    daily_invitation_limit = models.PositiveIntegerField(
        _("invitations per day"), default=settings.INVITATION_DEFAULT_DAILY_LIMIT
    )
    # When the owner put away the dashboard's set-up checklist (None: it shows until every step is done).
    setup_checklist_dismissed_at = models.DateTimeField(_("set-up checklist dismissed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=dj_timezone.now)
    suspended_at = models.DateTimeField(_("suspended"), null=True, blank=True)

    # Schemas are built by tenants.schema_factory, never by running migrations per gym.
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_suspended(self):
        return self.status == OrganizationStatus.SUSPENDED

    @property
    def host(self):
        return f"{self.slug}.{settings.BASE_DOMAIN}"

    def absolute_url(self, path="/"):
        port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
        return f"{settings.SITE_SCHEME}://{self.host}{port}{path}"


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")


class PooledSchema(models.Model):
    """A ready-made, empty gym schema waiting to be renamed into a new organization's."""

    schema_name = models.CharField(_("schema name"), max_length=63, unique=True)
    fingerprint = models.CharField(_("migration fingerprint"), max_length=64, db_index=True)
    created_at = models.DateTimeField(_("created"), default=dj_timezone.now)

    class Meta:
        verbose_name = _("pooled schema")
        verbose_name_plural = _("pooled schemas")

    def __str__(self):
        return self.schema_name


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_path(token):
    """The path of an invitation link on the gym's own host."""
    return f"/invitations/{token}/"


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        now = now or dj_timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class Invitation(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organization")
    )
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    message = models.TextField(_("personal message"), blank=True, max_length=1000)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires"))
    # The inviter lives in the gym's schema: keep its id and a name snapshot, no cross-schema key.
    invited_by_id = models.BigIntegerField(_("inviter's ID"), null=True, blank=True)
    invited_by_name = models.CharField(_("invited by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created"), default=dj_timezone.now)
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    send_count = models.PositiveIntegerField(_("times sent"), default=0)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "email"]), models.Index(fields=["organization", "created_at"])]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"

    @property
    def inviter(self):
        """Who sent it, for people: the member's name snapshot, or the platform team (named in the reader's
        language, so it is never stored)."""
        return self.invited_by_name or _("The platform team")

    @property
    def status(self):
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.expires_at <= dj_timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    def get_status_display(self):
        return InvitationStatus(self.status).label
