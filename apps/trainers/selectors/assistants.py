"""Reads of assistant links: which trainers an assistant works for."""

from django.db.models import QuerySet

from apps.access import Actor, is_assistant

from ..models import AssistantLink, Trainer


def assisted_trainers(*, assistant: Actor) -> QuerySet[Trainer]:
    """The active trainers ``assistant`` works for (none for other roles), by name."""
    if not is_assistant(assistant):
        return Trainer.objects.none()
    return (
        Trainer.objects.filter(pk__in=assistant.assisted_trainer_id_query())
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def assistable_trainers() -> QuerySet[Trainer]:
    """Who an assistant may be linked to: active members who own clients (not assistants)."""
    return Trainer.objects.coaching().select_related("user").order_by("user__full_name", "user__email")


def assisted_names_by_assistant(*, actor: Actor | None) -> dict[int, list[str]]:
    """``{assistant_id: [trainer names]}`` for the team page, in one query."""
    links = (
        AssistantLink.objects.visible_to(actor)
        .filter(trainer__is_active=True)
        .select_related("trainer__user")
        .order_by("trainer__user__full_name", "trainer__user__email")
    )
    names: dict[int, list[str]] = {}
    for link in links:
        names.setdefault(link.assistant_id, []).append(link.trainer.display_name)
    return names


def assistant_link_list(*, actor: Actor | None, assistant: Trainer | None = None) -> QuerySet[AssistantLink]:
    """Who assists whom, as the actor may see it (owners and seniors all; others their own links)."""
    links = AssistantLink.objects.visible_to(actor).select_related("assistant__user", "trainer__user")
    return links if assistant is None else links.filter(assistant=assistant)
