"""The owner's list of specialties that trainers pick from. Same conventions as profile.py."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.access import Actor
from apps.audit.services import audit_record
from apps.core.errors import ApplicationError, full_clean_or_raise

from ..models import Specialty, Trainer
from ..permissions import can_manage_specialties
from .profile import _line


def _require_specialties(actor: Actor | None) -> None:
    if not can_manage_specialties(actor):
        raise ApplicationError(_("Only the owner manages the list of specialties."))


def _specialty_name(name: str, *, exclude: Specialty | None = None) -> str:
    name = _line(name)
    if not name:
        raise ApplicationError(_("Enter a name."), {"field": "name"})
    same = Specialty.objects.filter(name__iexact=name)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise ApplicationError(_("There is already a specialty called “%(name)s”.") % {"name": name}, {"field": "name"})
    return name


def _save_specialty(specialty: Specialty, **kwargs: Any) -> None:
    full_clean_or_raise(specialty)
    try:
        with transaction.atomic():
            specialty.save(**kwargs)
    except IntegrityError as error:  # the same name, saved a moment ago by another request
        raise ApplicationError(
            _("There is already a specialty called “%(name)s”.") % {"name": specialty.name}, {"field": "name"}
        ) from error


def _locked_specialty(specialty: Specialty) -> Specialty:
    return Specialty.objects.select_for_update().get(pk=specialty.pk)


@transaction.atomic
def specialty_create(*, actor: Trainer, name: str) -> Specialty:
    _require_specialties(actor)
    specialty = Specialty(name=_specialty_name(name))
    _save_specialty(specialty)
    audit_record(
        actor=actor,
        event="specialty.create",
        target=specialty,
        params={"name": specialty.name},
        changes={"name": [None, specialty.name]},
    )
    return specialty


@transaction.atomic
def specialty_rename(*, actor: Trainer, specialty: Specialty, name: str) -> Specialty:
    _require_specialties(actor)
    specialty = _locked_specialty(specialty)
    name = _specialty_name(name, exclude=specialty)
    if name == specialty.name:
        return specialty
    old = specialty.name
    specialty.name = name
    _save_specialty(specialty, update_fields=["name"])
    audit_record(
        actor=actor,
        event="specialty.rename",
        target=specialty,
        params={"old": old, "new": name},
        changes={"name": [old, name]},
    )
    return specialty


def _specialty_set_active(*, actor: Trainer, specialty: Specialty, active: bool) -> Specialty:
    _require_specialties(actor)
    specialty = _locked_specialty(specialty)
    if specialty.is_active == active:
        return specialty
    specialty.is_active = active
    _save_specialty(specialty, update_fields=["is_active"])
    audit_record(
        actor=actor,
        event="specialty.reactivate" if active else "specialty.deactivate",
        target=specialty,
        params={"name": specialty.name},
        changes={"is_active": [not active, active]},
    )
    return specialty


@transaction.atomic
def specialty_deactivate(*, actor: Trainer, specialty: Specialty) -> Specialty:
    """Stop offering a specialty: nobody can pick it any more; trainers who have it keep it."""
    return _specialty_set_active(actor=actor, specialty=specialty, active=False)


@transaction.atomic
def specialty_reactivate(*, actor: Trainer, specialty: Specialty) -> Specialty:
    return _specialty_set_active(actor=actor, specialty=specialty, active=True)


@transaction.atomic
def specialty_delete(*, actor: Trainer, specialty: Specialty) -> None:
    """Delete a specialty nobody uses. One in use is refused: deactivate it instead."""
    _require_specialties(actor)
    specialty = _locked_specialty(specialty)
    used_by = specialty.trainers.count()
    if used_by:
        raise ApplicationError(
            ngettext(
                "“%(name)s” is on %(count)d trainer's profile, so it cannot be deleted. Stop offering it instead.",
                "“%(name)s” is on %(count)d trainers' profiles, so it cannot be deleted. Stop offering it instead.",
                used_by,
            )
            % {"name": specialty.name, "count": used_by}
        )
    audit_record(
        actor=actor,
        event="specialty.delete",
        target=specialty,
        params={"name": specialty.name},
        changes={"name": [specialty.name, None], "is_active": [specialty.is_active, None]},
    )
    specialty.delete()
