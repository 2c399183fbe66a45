"""Linking assistants to the trainers they work for (ARCHITECTURE.md, "Roles and what they may do")."""

from collections.abc import Iterable
from typing import cast

from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.core.errors import ApplicationError

from ..models import AssistantLink, Trainer
from ..permissions import can_link_assistants


@transaction.atomic
def assistant_set_trainers(*, actor: Trainer, assistant: Trainer, trainers: Iterable[Trainer | int]) -> Trainer:
    """Make ``assistant`` work for exactly ``trainers`` (active, not assistants). Links are the only thing that
    changes: clients, sessions and assessments the assistant entered stay where they are."""
    assistant = Trainer.objects.locked(assistant)
    if not can_link_assistants(actor, assistant):
        raise ApplicationError(_("You cannot choose whom this member assists."))
    wanted = {cast(int, getattr(trainer, "pk", trainer)) for trainer in trainers}
    valid = set(Trainer.objects.coaching().filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - valid:
        raise ApplicationError(_("Assistants can only work for active trainers."), {"field": "trainers"})
    current = set(AssistantLink.objects.filter(assistant=assistant).values_list("trainer_id", flat=True))
    if wanted == current:
        return assistant
    AssistantLink.objects.filter(assistant=assistant, trainer_id__in=current - wanted).delete()
    AssistantLink.objects.bulk_create(AssistantLink(assistant=assistant, trainer_id=pk) for pk in wanted - current)
    names = {
        pk: trainer.display_name
        for pk, trainer in Trainer.objects.select_related("user").in_bulk(current | wanted).items()
    }
    audit_record(
        actor=actor,
        event="trainer.assists",
        target=assistant,
        params={"assistant": assistant.display_name, "trainers": sorted(names[pk] for pk in wanted)},
        changes={"assists": [sorted(names[pk] for pk in current), sorted(names[pk] for pk in wanted)]},
    )
    return assistant
