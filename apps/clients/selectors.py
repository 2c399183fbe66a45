"""Reads of clients, always through ``visible_to(actor)``: the owner sees all, seniors and trainers their own,
assistants those of the trainers they assist. Reads that join other apps (the list with packages and scores, the
timeline, the export) are in ``apps.clientfile.selectors``."""

from django.db.models import Q, QuerySet

from apps.access import Actor, pickable_trainers
from apps.core.scoping import visible_object
from apps.trainers.models import Trainer

from .models import Client
from .permissions import can_choose_trainer, can_pick_client_trainer


def client_page_source() -> QuerySet[Client]:
    """What a page about one client reads: the client with their trainer (pass to ``get_object_or_404``)."""
    return Client.objects.select_related("trainer__user")


def client_get(*, actor: Actor | None, pk: object) -> Client | None:
    """One client the actor may see, or None (the view answers 404, as for one that does not exist)."""
    return visible_object(actor, client_page_source(), pk)


def client_trainer_options(*, actor: Actor | None, current_id: int | None = None) -> QuerySet[Trainer]:
    """Trainers a client may be given to: those the actor may pick (``apps.access.pickable_trainers``), plus for the
    owner ``current_id``, the client's trainer, even if deactivated, so that editing other fields keeps it."""
    options = pickable_trainers(actor)
    if current_id is not None and can_choose_trainer(actor):
        options |= Q(pk=current_id)
    return Trainer.objects.filter(options).select_related("user").order_by("user__full_name", "user__email")


def client_filter_trainers(*, actor: Actor | None) -> QuerySet[Trainer] | None:
    """Trainers the list filters by: for the owner anyone who has clients or could, for an assistant those they
    assist; None for those who see only their own."""
    if not can_pick_client_trainer(actor):
        return None
    options = pickable_trainers(actor)
    if can_choose_trainer(actor):
        options |= Q(pk__in=Client.objects.values("trainer_id"))
    return Trainer.objects.filter(options).select_related("user").order_by("user__full_name", "user__email")
