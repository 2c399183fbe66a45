"""The access rules of apps/access.py, role by role: the object rule, the row rule (the same answers as a filter),
whom an actor may pick, the switcher, and the template capabilities. And the import-time guard of ScopedListView
and the one scoped get_object_or_404."""

import pytest
from django.http import Http404

from apps import access
from apps.clients.models import Client
from apps.core.scoping import get_object_or_404, visible_object
from apps.core.views import ScopedListView
from apps.trainers.models import AssistantLink, Specialty, Trainer
from tenants.models import Role
from tests.factories import ClientFactory, TrainerFactory


@pytest.fixture
def team(in_gym_a):
    people = {
        "owner": TrainerFactory(role=Role.OWNER),
        "senior": TrainerFactory(role=Role.SENIOR),
        "tom": TrainerFactory(role=Role.TRAINER),
        "una": TrainerFactory(role=Role.TRAINER),
        "gone": TrainerFactory(role=Role.TRAINER, is_active=False),
        "ann": TrainerFactory(role=Role.ASSISTANT),
        "lone": TrainerFactory(role=Role.ASSISTANT),
        "off": TrainerFactory(role=Role.OWNER, is_active=False),
    }
    # Ann assists Tom and the deactivated trainer: only active trainers count.
    AssistantLink.objects.create(assistant=people["ann"], trainer=people["tom"])
    AssistantLink.objects.create(assistant=people["ann"], trainer=people["gone"])
    return {name: Trainer.objects.get(pk=trainer.pk) for name, trainer in people.items()}


def test_acts_for_each_role(team):
    everyone = [team[name].pk for name in ("owner", "senior", "tom", "una", "gone")]
    expected = {
        "owner": set(everyone),
        "senior": {team["senior"].pk},
        "tom": {team["tom"].pk},
        "ann": {team["tom"].pk},
        "lone": set(),
        "off": set(),
    }
    for name, allowed in expected.items():
        assert {pk for pk in everyone if access.acts_for(team[name], pk)} == allowed, name
    assert access.acts_for(None, team["tom"].pk) is False


def test_the_row_rule_is_the_object_rule_as_a_filter(team):
    clients = {name: ClientFactory(trainer=team[name]) for name in ("owner", "senior", "tom", "una", "gone")}
    for name in team:
        actor = team[name]
        rows = set(access.own_rows(Client.objects.all(), actor).values_list("pk", flat=True))
        assert rows == {client.pk for client in clients.values() if access.acts_for(actor, client.trainer_id)}, name
        no_assistants = set(access.own_rows(Client.objects.all(), actor, assistants=False).values_list("pk", flat=True))
        assert no_assistants == (set() if actor.role == Role.ASSISTANT else rows), name


def test_whom_each_role_may_pick(team):
    def picked(name, **kwargs):
        return set(Trainer.objects.filter(access.pickable_trainers(team[name], **kwargs)).values_list("pk", flat=True))

    coaches = {team[name].pk for name in ("owner", "senior", "tom", "una")}
    assert picked("owner") == coaches
    assert picked("owner", include_inactive=True) == coaches | {team["gone"].pk, team["off"].pk}
    assert picked("senior") == {team["senior"].pk}
    assert picked("ann") == {team["tom"].pk}
    assert picked("lone") == picked("off") == set()


def test_the_switcher(team):
    assert [name for name in team if access.can_switch_view(team[name])] == ["owner", "ann"]
    assert Trainer.objects.filter(access.switchable_trainers(team["senior"])).count() == 0
    session = {}
    access.remember_switcher_choice(session, team["tom"].pk)
    assert access.switcher_choice(session) == team["tom"].pk
    assert access.switcher_choice({access.SWITCHER_SESSION_KEY: "1; DROP"}) is None
    access.remember_switcher_choice(session, None)
    assert session == {}


def test_capabilities_for_templates(team):
    seen = {
        name: (can.see_money, can.view_team, can.switch_view, can.is_assistant, can.is_owner)
        for name, can in ((name, access.Capabilities(team[name])) for name in ("owner", "senior", "tom", "ann"))
    }
    assert seen == {
        "owner": (True, True, True, False, True),
        "senior": (True, True, False, False, False),
        "tom": (True, False, False, False, False),
        "ann": (False, False, True, True, False),
    }
    assert access.Capabilities(None).see_money is False


def test_has_role_and_invitable_roles(team):
    owner_or_senior = access.has_role(Role.OWNER, Role.SENIOR)
    assert [name for name in team if owner_or_senior(team[name])] == ["owner", "senior"]
    assert access.invitable_roles(team["senior"]) == {Role.TRAINER, Role.ASSISTANT}
    assert access.invitable_roles(team["tom"]) == access.invitable_roles(team["off"]) == frozenset()


def test_get_object_or_404_applies_visible_to_and_the_predicate(team):
    own = ClientFactory(trainer=team["tom"])
    assert get_object_or_404(team["tom"], Client, own.pk) == own
    assert get_object_or_404(team["ann"], Client.objects.select_related("trainer"), str(own.pk)) == own
    for actor, pk in [(team["una"], own.pk), (team["tom"], "abc"), (team["tom"], 2**70), (team["tom"], -1)]:
        with pytest.raises(Http404):
            get_object_or_404(actor, Client, pk)
    with pytest.raises(Http404):
        get_object_or_404(team["ann"], Client, own.pk, permission=lambda actor, client: access.removes_data(actor))
    assert visible_object(team["una"], Client, own.pk) is None
    with pytest.raises(TypeError):
        visible_object(team["tom"], Specialty, 1)  # not a scoped model: refused, never read unscoped


def test_a_list_view_cannot_skip_its_selector():
    with pytest.raises(TypeError, match="overrides get_queryset"):

        class SneakyList(ScopedListView):
            def get_queryset(self):
                return Client.objects.all()
