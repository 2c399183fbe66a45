import pytest
from django.apps import apps

from apps.core.scoping import ScopedQuerySet
from apps.trainers.models import Trainer
from tenants.models import Role
from tests.factories import TrainerFactory


def test_a_scoped_queryset_without_visible_to_cannot_be_declared():
    with pytest.raises(TypeError, match="visible_to"):

        class Forgetful(ScopedQuerySet):
            pass


def test_every_tenant_model_with_a_trainer_is_scoped():
    """A model that points at a trainer must be read through visible_to(actor)."""
    for model in apps.get_models():
        points_at_trainer = any(
            getattr(field, "related_model", None) is Trainer and field.many_to_one for field in model._meta.fields
        )
        if points_at_trainer or model is Trainer:
            assert isinstance(model._default_manager.all(), ScopedQuerySet), model


@pytest.mark.parametrize(
    ("role", "sees_all"), [("owner", True), ("senior", True), ("trainer", False), ("assistant", False)]
)
def test_trainer_visibility_by_role(in_gym_a, role, sees_all):
    actor = TrainerFactory(role=role)
    other = TrainerFactory(role=Role.TRAINER)
    visible = set(Trainer.objects.visible_to(actor))
    assert actor in visible
    assert (other in visible) is sees_all


def test_a_deactivated_actor_sees_nothing(in_gym_a):
    actor = TrainerFactory(role=Role.OWNER, is_active=False)
    assert not Trainer.objects.visible_to(actor).exists()
