from tenants.models import Invitation

from ..models import Trainer


def trainer_list(*, actor):
    return Trainer.objects.visible_to(actor).select_related("user").order_by("user__full_name", "user__email")


def invitation_list(*, actor, organization):
    """Invitations of the actor's gym that the actor may manage (seniors: trainers and assistants)."""
    from ..permissions import invitable_roles

    roles = [value for value, _label in invitable_roles(actor)]
    return Invitation.objects.filter(organization=organization, role__in=roles).order_by("-created_at")


def invitation_get(*, actor, organization, pk):
    return invitation_list(actor=actor, organization=organization).filter(pk=pk).first()
