"""The shared access checks: the function-view decorator, the object mixin and the REST framework permission
classes decide exactly as the pages do, from the same predicates."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.views import View
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from apps.access import has_role
from apps.clients import selectors as client_selectors
from apps.clients.permissions import can_edit_client
from apps.core.permissions import NotForYourRole, trainer_required
from apps.core.views import ScopedObjectMixin, TrainerRequiredMixin
from apps.trainers.api_permissions import ActorPermission
from apps.training.permissions import can_use_packages
from tenants.models import Role
from tests.factories import ClientFactory, TrainerFactory


@pytest.fixture
def people(in_gym_a):
    return {role: TrainerFactory(role=role) for role in Role.values} | {
        "deactivated": TrainerFactory(role=Role.TRAINER, is_active=False)
    }


def page_request(trainer=None, path="/somewhere/"):
    request = RequestFactory().get(path)
    request.user = trainer.user if trainer else AnonymousUser()
    request.actor = trainer
    return request


@trainer_required(can_use_packages)
def money_page(request):
    return HttpResponse(request.actor.role)


def test_has_role():
    owner_or_senior = has_role(Role.OWNER, Role.SENIOR)
    assert owner_or_senior.__name__ == "has_role_owner_senior"
    assert owner_or_senior(TrainerFactory.build(role=Role.SENIOR))
    assert not owner_or_senior(TrainerFactory.build(role=Role.TRAINER))
    assert not owner_or_senior(TrainerFactory.build(role=Role.OWNER, is_active=False))
    assert not owner_or_senior(None)


def test_the_decorator(people):
    anonymous = money_page(page_request(path="/money/"))
    assert anonymous.status_code == 302 and anonymous["Location"].endswith("?next=/money/")
    assert money_page(page_request(people[Role.TRAINER])).content == b"trainer"
    with pytest.raises(NotForYourRole):  # the friendly 403 "not available for your role"
        money_page(page_request(people[Role.ASSISTANT]))
    with pytest.raises(Http404):
        money_page(page_request(people["deactivated"]))


class EditClientView(ScopedObjectMixin, TrainerRequiredMixin, View):
    object_source = client_selectors.client_page_source()
    object_permission = can_edit_client

    def get(self, request, pk):
        return HttpResponse(str(self.get_scoped_object().pk))


def test_the_object_mixin(people):
    own = ClientFactory(trainer=people[Role.TRAINER])
    other = ClientFactory(trainer=people[Role.SENIOR])
    view = EditClientView.as_view()
    assert view(page_request(people[Role.TRAINER]), pk=own.pk).content == str(own.pk).encode()
    assert view(page_request(people[Role.OWNER]), pk=other.pk).status_code == 200
    for actor, pk in [
        (people[Role.TRAINER], other.pk),
        (people[Role.TRAINER], 10**9),
        (people[Role.ASSISTANT], own.pk),
    ]:
        with pytest.raises(Http404):
            view(page_request(actor), pk=pk)


class ClientAPIView(APIView):
    permission_classes = [ActorPermission.of(can_use_packages, can_edit_client)]

    def get(self, request, pk):
        client = client_selectors.client_get(actor=request.actor, pk=pk)
        if client is None:
            return Response(status=404)
        self.check_object_permissions(request, client)
        return Response({"id": client.pk, "actor": request.actor.pk})


def api_get(user, pk):
    request = APIRequestFactory().get(f"/api/clients/{pk}/")
    if user is not None:
        force_authenticate(request, user=user)
    return ClientAPIView.as_view()(request, pk=pk)


def test_the_api_permission_class(people):
    own = ClientFactory(trainer=people[Role.TRAINER])
    response = api_get(people[Role.TRAINER].user, own.pk)
    assert response.status_code == 200 and response.data == {"id": own.pk, "actor": people[Role.TRAINER].pk}
    assert api_get(people[Role.OWNER].user, own.pk).status_code == 200
    assert api_get(people[Role.ASSISTANT].user, own.pk).status_code == 404  # predicate: no packages for them
    assert api_get(people[Role.SENIOR].user, own.pk).status_code == 404  # not visible to them
    assert api_get(people["deactivated"].user, own.pk).status_code in {401, 403}
    assert api_get(None, own.pk).status_code in {401, 403}
    assert ClientAPIView.permission_classes[0].__name__ == "ActorPermission_can_use_packages_can_edit_client"


def test_the_object_predicate_runs_after_visibility(people):
    """An owner sees an erased client, but may no longer edit it: the object predicate answers 404."""
    erased = ClientFactory(trainer=people[Role.TRAINER])
    type(erased).objects.filter(pk=erased.pk).update(erased_at="2026-01-01T00:00:00Z")
    assert api_get(people[Role.OWNER].user, erased.pk).status_code == 404
