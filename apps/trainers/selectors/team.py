from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from apps.clients.models import Client, ClientStatus
from apps.core.dates import gym_month_start
from apps.training.models import Payment, Session, SessionStatus
from tenants.models import Invitation

from ..models import Trainer
from ..permissions import can_see_revenue


def _count(queryset):
    return Coalesce(
        Subquery(
            queryset.order_by().values("trainer").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _revenue_this_month():
    payments = (
        Payment.objects.filter(package__trainer=OuterRef("pk"), paid_at__gte=gym_month_start())
        .order_by()
        .values("package__trainer")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(payments, output_field=DecimalField(max_digits=14, decimal_places=2)), Value(Decimal(0)))


def trainer_list(*, actor, search="", role="", status=""):
    """The team as the actor may see it, with per-trainer figures in the same query (revenue: owner only)."""
    trainers = (
        Trainer.objects.visible_to(actor)
        .select_related("user")
        .annotate(
            active_clients=_count(Client.objects.filter(trainer=OuterRef("pk"), status=ClientStatus.ACTIVE)),
            sessions_this_month=_count(
                Session.objects.filter(
                    trainer=OuterRef("pk"),
                    starts_at__gte=gym_month_start(),
                    status__in=[SessionStatus.SCHEDULED, SessionStatus.COMPLETED, SessionStatus.NO_SHOW],
                )
            ),
        )
        .order_by("-is_active", "user__full_name", "user__email")
    )
    if can_see_revenue(actor):
        trainers = trainers.annotate(revenue_this_month=_revenue_this_month())
    search = (search or "").strip()
    if search:
        trainers = trainers.filter(
            Q(user__full_name__icontains=search) | Q(public_name__icontains=search) | Q(user__email__icontains=search)
        )
    if role:
        trainers = trainers.filter(role=role)
    if status == "active":
        trainers = trainers.filter(is_active=True)
    elif status == "inactive":
        trainers = trainers.filter(is_active=False)
    return trainers


def invitation_list(*, actor, organization):
    """Invitations of the actor's gym that the actor may manage (seniors: trainers and assistants)."""
    from ..permissions import invitable_roles

    roles = [value for value, _label in invitable_roles(actor)]
    return Invitation.objects.filter(organization=organization, role__in=roles).order_by("-created_at")


def invitation_get(*, actor, organization, pk):
    return invitation_list(actor=actor, organization=organization).filter(pk=pk).first()


def team_member_get(*, actor, pk):
    return Trainer.objects.visible_to(actor).select_related("user").filter(pk=pk).first()


def transfer_targets(*, actor, exclude=None):
    """Active trainers who can own clients."""
    targets = Trainer.objects.visible_to(actor).coaching()
    if exclude is not None:
        targets = targets.exclude(pk=exclude.pk)
    return targets.select_related("user").order_by("user__full_name")


def clients_of(*, actor, trainer):
    return Client.objects.visible_to(actor).filter(trainer=trainer).order_by("last_name", "first_name")
