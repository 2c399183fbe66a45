from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import ScopedQuerySet
from apps.core.visibility import own_rows


class ClientStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archived")


class ClientQuerySet(ScopedQuerySet):
    def visible_to(self, actor):
        return own_rows(self, actor)

    def active(self):
        return self.filter(status=ClientStatus.ACTIVE)


class Client(models.Model):
    """A person a trainer coaches. The clients issue adds health, measurements and the rest."""

    trainer = models.ForeignKey("trainers.Trainer", on_delete=models.PROTECT, related_name="clients")
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ClientStatus.choices, default=ClientStatus.ACTIVE)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["trainer", "status"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()
