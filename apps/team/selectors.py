"""Reads of the team page: invitations, one member, transfer targets. The list with its figures is
``apps.analytics.team``."""

from django.db.models import QuerySet

from apps.access import Actor, invitable_roles
from apps.clients.models import Client
from apps.core.scoping import visible_object
from apps.trainers.models import Trainer
from tenants.models import Invitation, Organization, Role


def invitation_list(*, actor: Actor | None, organization: Organization) -> QuerySet[Invitation]:
    """Invitations of the actor's gym that the actor may manage (seniors: trainers and assistants)."""
    return Invitation.objects.filter(organization=organization, role__in=invitable_roles(actor)).order_by("-created_at")


def invitation_get(*, actor: Actor | None, organization: Organization, pk: int) -> Invitation | None:
    return invitation_list(actor=actor, organization=organization).filter(pk=pk).first()


def team_members(*, actor: Actor | None) -> QuerySet[Trainer]:
    """The members the actor sees, with only their names loaded (for filters)."""
    return (
        Trainer.objects.visible_to(actor)
        .select_related("user")
        .only("pk", "public_name", "user__full_name", "user__email")
        .order_by("-is_active", "user__full_name", "user__email")
    )


def team_member_get(*, actor: Actor | None, pk: int) -> Trainer | None:
    return visible_object(actor, Trainer.objects.select_related("user"), pk)


def transfer_targets(*, actor: Actor | None, exclude: Trainer | None = None) -> QuerySet[Trainer]:
    """Active trainers who can own clients."""
    targets = Trainer.objects.visible_to(actor).coaching()
    if exclude is not None:
        targets = targets.exclude(pk=exclude.pk)
    return targets.select_related("user").order_by("user__full_name")


def clients_of(*, actor: Actor | None, trainer: Trainer) -> QuerySet[Client]:
    return Client.objects.visible_to(actor).filter(trainer=trainer).order_by("last_name", "first_name")


def owners_to_contact() -> list[Trainer]:
    """The gym's active owners, named to a member whose account was deactivated (who has no actor any more: the
    sign-in page shows this only after their correct password)."""
    return list(
        Trainer.objects.filter(role=Role.OWNER, is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")[:5]
    )
