"""Reads for profile pages: always through ``visible_to(actor)`` and the profile predicates."""

from datetime import date

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet

from apps.access import Actor, is_active_member
from apps.core.dates import gym_today
from apps.core.scoping import visible_object

from ..models import Certification, Specialty, Trainer
from ..permissions import can_edit_profile, can_manage_specialties, can_view_profile


def _certifications(today: date) -> QuerySet[Certification]:
    expired = ExpressionWrapper(Q(expires_on__lt=today), output_field=BooleanField())
    return Certification.objects.annotate(expired=expired).order_by("-earned_on", "name", "pk")


def trainer_get(*, actor: Actor | None, pk: int) -> Trainer | None:
    """The trainer ``pk`` with their specialties and certifications (each with ``expired``), or None.

    None when the trainer does not exist or the actor may not see their profile: callers answer 404.
    """
    trainer = visible_object(actor, profile_source(), pk)
    if trainer is None or not can_view_profile(actor, trainer):
        return None
    return trainer


def trainer_list(*, actor: Actor | None) -> QuerySet[Trainer]:
    """The members the actor sees (owners and seniors the team, everyone else themselves) with their profiles."""
    visible = Trainer.objects.visible_to(actor)
    return profile_source().filter(pk__in=visible.values("pk")).order_by("-is_active", "user__full_name", "pk")


def profile_source() -> QuerySet[Trainer]:
    """What a profile page reads: the trainer with specialties and certifications (each with ``expired``)."""
    return Trainer.objects.select_related("user").prefetch_related(
        Prefetch("specialties", queryset=Specialty.objects.order_by("name")),
        Prefetch("certifications", queryset=_certifications(gym_today())),
    )


def trainer_get_for_edit(*, actor: Actor | None, pk: int) -> Trainer | None:
    """Like ``trainer_get``, but None unless the actor may also change the profile."""
    trainer = trainer_get(actor=actor, pk=pk)
    if trainer is None or not can_edit_profile(actor, trainer):
        return None
    return trainer


def certification_get(*, actor: Actor | None, trainer: Trainer, pk: int) -> Certification | None:
    return Certification.objects.visible_to(actor).filter(trainer=trainer, pk=pk).select_related("trainer").first()


def specialty_choices(*, trainer: Trainer) -> QuerySet[Specialty]:
    """What a trainer may pick: the specialties on offer, plus retired ones they already have."""
    return Specialty.objects.filter(Q(is_active=True) | Q(trainers=trainer)).distinct().order_by("name")


def specialty_list(*, actor: Actor | None) -> QuerySet[Specialty]:
    """The owner's list with how many trainers use each specialty; nothing for anyone else."""
    if not can_manage_specialties(actor):
        return Specialty.objects.none()
    return Specialty.objects.annotate(trainer_count=Count("trainers")).order_by("-is_active", "name")


def specialties_offered(*, actor: Actor | None) -> QuerySet[Specialty]:
    """The specialties trainers may pick, by name (the owner also sees those no longer offered)."""
    if not is_active_member(actor):
        return Specialty.objects.none()
    offered = Specialty.objects.all() if can_manage_specialties(actor) else Specialty.objects.filter(is_active=True)
    return offered.order_by("name", "pk")


def specialty_get(*, actor: Actor | None, pk: int) -> Specialty | None:
    return specialty_list(actor=actor).filter(pk=pk).first()
