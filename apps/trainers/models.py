from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import ScopedQuerySet
from tenants.models import Role

# Roles that see every trainer of the organization on the Team page.
TEAM_VIEWER_ROLES = {Role.OWNER, Role.SENIOR}


class TrainerQuerySet(ScopedQuerySet):
    def visible_to(self, actor):
        if actor is None or not actor.is_active:
            return self.none()
        if actor.role in TEAM_VIEWER_ROLES:
            return self.all()
        return self.filter(pk=actor.pk)

    def active(self):
        return self.filter(is_active=True)


class Trainer(models.Model):
    """A member of a gym's team. Later issues add the profile, availability and assistant links."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trainer")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.TRAINER)
    is_active = models.BooleanField(_("active"), default=True)
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

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
        return self.user.full_name or self.user.email

    @property
    def is_owner(self):
        return self.role == Role.OWNER
