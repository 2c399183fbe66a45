"""Reads of pricing templates, always through ``visible_to(actor)``: the owner sees all, seniors and trainers their
own, assistants none."""

from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Lower

from apps.access import Actor, pickable_trainers
from apps.core.scoping import visible_object

from ..models import PricingTemplate, Trainer
from ..permissions import can_use_pricing, is_owner


def pricing_template_list(
    *, actor: Actor | None, trainer_id: int | None = None, active: bool | None = None
) -> QuerySet[PricingTemplate]:
    """Templates the actor may see, optionally of one trainer and on sale (True) or not (False).

    Each row carries ``price_per_session`` (unrounded; the ``money`` filter rounds it to the currency).
    """
    templates: QuerySet[PricingTemplate] = (
        PricingTemplate.objects.visible_to(actor)
        .select_related("trainer__user")
        .annotate(
            price_per_session=ExpressionWrapper(
                F("price") / F("sessions"), output_field=DecimalField(max_digits=20, decimal_places=6)
            )
        )
    )
    if trainer_id is not None:
        templates = templates.filter(trainer_id=trainer_id)
    if active is not None:
        templates = templates.filter(is_active=active)
    return templates.order_by(
        "trainer__user__full_name", "trainer__user__email", "trainer_id", "-is_active", Lower("name"), "pk"
    )


def pricing_template_source() -> QuerySet[PricingTemplate]:
    """What a template's page reads: the template with its trainer."""
    return PricingTemplate.objects.select_related("trainer__user")


def pricing_template_get(*, actor: Actor | None, pk: int) -> PricingTemplate | None:
    """One template the actor may see, or None (the view answers 404, as for one that does not exist)."""
    return visible_object(actor, pricing_template_source(), pk)


def pricing_trainer_options(*, actor: Actor | None) -> QuerySet[Trainer]:
    """Trainers the actor may create templates for: active members who are not assistants (others: themselves)."""
    if not can_use_pricing(actor):
        return Trainer.objects.none()
    return Trainer.objects.pickable_by(actor)


def pricing_filter_trainers(*, actor: Actor | None) -> QuerySet[Trainer]:
    """Trainers the owner can filter the list by: those who sell, and anyone who still has templates."""
    if not is_owner(actor):
        return Trainer.objects.none()
    return (
        Trainer.objects.visible_to(actor)
        .filter(pickable_trainers(actor) | Q(pk__in=PricingTemplate.objects.visible_to(actor).values("trainer_id")))
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
