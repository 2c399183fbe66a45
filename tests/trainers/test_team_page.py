import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.models import Invitation, Role
from tests.factories import InvitationFactory, TrainerFactory
from tests.support import member


@pytest.mark.parametrize(("role", "status"), [("owner", 200), ("senior", 200), ("trainer", 403), ("assistant", 403)])
def test_team_page_by_role(gym_a, client_a, role, status):
    client_a.login_as(member(gym_a, role))
    assert client_a.get("/team/").status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(gym_a, client_a):
    response = client_a.get("/team/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/team/"


def test_team_page_lists_members_and_invitations_in_every_state(gym_a, client_a):
    from datetime import timedelta

    from django.utils import timezone

    owner = member(gym_a, Role.OWNER)
    colleague = member(gym_a, Role.TRAINER)
    now = timezone.now()
    InvitationFactory(organization=gym_a, email="pending@example.com")
    InvitationFactory(organization=gym_a, email="accepted@example.com", accepted_at=now)
    InvitationFactory(organization=gym_a, email="expired@example.com", expires_at=now - timedelta(days=1))
    InvitationFactory(organization=gym_a, email="revoked@example.com", revoked_at=now)
    content = client_a.login_as(owner).get("/team/").content.decode()
    assert colleague.user.email in content
    for state in ("pending", "accepted", "expired", "revoked"):
        assert f"{state}@example.com" in content
        assert f'badge {state}"' in content


def test_invitations_of_another_gym_are_not_listed(gym_a, gym_b, client_a):
    InvitationFactory(organization=gym_b, email="bravo-only@example.com")
    content = client_a.login_as(member(gym_a, Role.OWNER)).get("/team/").content
    assert b"bravo-only@example.com" not in content


def test_senior_sees_only_the_invitations_they_may_manage(gym_a, client_a):
    InvitationFactory(organization=gym_a, email="future-owner@example.com", role=Role.OWNER)
    InvitationFactory(organization=gym_a, email="future-trainer@example.com", role=Role.TRAINER)
    content = client_a.login_as(member(gym_a, Role.SENIOR)).get("/team/").content
    assert b"future-trainer@example.com" in content
    assert b"future-owner@example.com" not in content


def test_owner_invites_from_the_team_page(gym_a, client_a, django_capture_on_commit_callbacks):
    client_a.login_as(member(gym_a, Role.OWNER))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            "/team/invitations/", {"email": "coach@example.com", "role": "trainer", "message": "Hi!"}, follow=True
        )
    assert response.redirect_chain == [("/team/", 302)]
    assert b"Invitation sent to coach@example.com" in response.content
    assert mail.outbox[0].to == ["coach@example.com"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-email", "role": "trainer"}, b"valid email"),
        ({"email": "x@example.com", "role": "overlord"}, b"Select a valid choice"),
    ],
)
def test_bad_invitation_input_is_shown_on_the_form(gym_a, client_a, data, message):
    client_a.login_as(member(gym_a, Role.OWNER))
    response = client_a.post("/team/invitations/", data)
    assert response.status_code == 400
    assert message in response.content
    assert not Invitation.objects.filter(organization=gym_a).exists()


def test_inviting_an_existing_member_is_shown_on_the_form(gym_a, client_a):
    owner = member(gym_a, Role.OWNER)
    client_a.login_as(owner)
    response = client_a.post("/team/invitations/", {"email": owner.user.email, "role": "trainer"})
    assert response.status_code == 400
    assert b"already a member" in response.content


def test_senior_cannot_invite_an_owner(gym_a, client_a):
    client_a.login_as(member(gym_a, Role.SENIOR))
    response = client_a.post("/team/invitations/", {"email": "boss@example.com", "role": "owner"})
    assert response.status_code == 400
    assert not Invitation.objects.filter(organization=gym_a).exists()


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ASSISTANT])
def test_trainers_and_assistants_cannot_invite(gym_a, client_a, role):
    client_a.login_as(member(gym_a, role))
    assert client_a.post("/team/invitations/", {"email": "x@example.com", "role": "trainer"}).status_code == 403
    assert not Invitation.objects.filter(organization=gym_a).exists()


def test_resend_and_revoke_from_the_team_page(gym_a, client_a, django_capture_on_commit_callbacks):
    invitation = InvitationFactory(organization=gym_a)
    client_a.login_as(member(gym_a, Role.OWNER))
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(f"/team/invitations/{invitation.pk}/resend/")
    assert len(mail.outbox) == 1
    client_a.post(f"/team/invitations/{invitation.pk}/revoke/")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    response = client_a.post(f"/team/invitations/{invitation.pk}/revoke/", follow=True)
    assert b"already revoked" in response.content


def test_an_invitation_of_another_gym_answers_404(gym_a, gym_b, client_a):
    foreign = InvitationFactory(organization=gym_b)
    client_a.login_as(member(gym_a, Role.OWNER))
    assert client_a.post(f"/team/invitations/{foreign.pk}/revoke/").status_code == 404
    assert client_a.post(f"/team/invitations/{foreign.pk}/resend/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


@pytest.mark.parametrize("rows", [3, 30])
def test_team_page_query_count_does_not_grow_with_rows(gym_a, client_a, rows):
    owner = member(gym_a, Role.OWNER)
    connection.set_tenant(gym_a)
    TrainerFactory.create_batch(rows)
    connection.set_schema_to_public()
    InvitationFactory.create_batch(rows, organization=gym_a)
    client_a.login_as(owner)
    client_a.get("/team/")
    with CaptureQueriesContext(connection) as queries:
        response = client_a.get("/team/")
    assert response.status_code == 200
    # search_path, session, user, trainer, member count, members page, invitations, whom assistants assist, the
    # switcher's list of trainers
    assert len(queries.captured_queries) == 9, "\n".join(q["sql"][:100] for q in queries.captured_queries)


def test_reloading_the_invitation_address_returns_to_the_team_page(gym_a, client_a):
    client_a.login_as(member(gym_a, Role.OWNER))
    response = client_a.get("/team/invitations/")
    assert response.status_code == 302
    assert response["Location"] == "/team/"
