import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, connections, transaction
from django.utils import timezone, translation

from apps.core.errors import ApplicationError
from apps.team import services as invitations
from apps.trainers.models import Trainer
from tenants.models import Invitation, Organization, Role, hash_token
from tests.factories import InvitationFactory, TrainerFactory

User = get_user_model()


@pytest.fixture
def owner(in_gym_a):
    return TrainerFactory(role=Role.OWNER)


@pytest.fixture
def senior(in_gym_a):
    return TrainerFactory(role=Role.SENIOR)


def invite(actor, organization, email="new@example.com", role=Role.TRAINER, **kwargs):
    return invitations.invitation_create(actor=actor, organization=organization, email=email, role=role, **kwargs)


# --- creating ---------------------------------------------------------------------------------


def test_owner_invites_with_an_email_naming_gym_inviter_role_and_expiry(
    owner, gym_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(owner, gym_a, email="New@Example.com", role=Role.SENIOR, message="Welcome aboard!")
    assert invitation.email == "new@example.com"
    assert invitation.invited_by_id == owner.pk
    assert invitation.invited_by_name == owner.display_name
    assert invitation.expires_at - invitation.created_at == timedelta(days=gym_a.invitation_expiry_days)
    (email,) = mail.outbox
    assert email.to == ["new@example.com"]
    assert "Alpha Gym" in email.subject
    html = email.alternatives[0][0]
    for text in (email.body, html):
        assert "Alpha Gym" in text
        assert owner.display_name in text
        assert "Senior" in text
        assert "Welcome aboard!" in text
        assert "http://alpha.localhost/invitations/" in text
    assert str(invitation.expires_at.year) in email.body
    invitation.refresh_from_db()
    assert invitation.send_count == 1 and invitation.last_sent_at is not None


def test_token_is_256_bits_and_stored_hashed(owner, gym_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(owner, gym_a)
    token = mail.outbox[0].body.split("/invitations/")[1].split("/")[0]
    assert len(token) >= 43
    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ASSISTANT])
def test_senior_invites_trainers_and_assistants(senior, gym_a, role):
    assert invite(senior, gym_a, role=role).role == role


@pytest.mark.parametrize("role", [Role.OWNER, Role.SENIOR])
def test_senior_cannot_invite_owners_or_seniors(senior, gym_a, role):
    with pytest.raises(ApplicationError) as error:
        invite(senior, gym_a, role=role)
    assert error.value.field == "role"


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ASSISTANT])
def test_trainers_and_assistants_cannot_invite(in_gym_a, gym_a, role):
    with pytest.raises(ApplicationError):
        invite(TrainerFactory(role=role), gym_a)
    assert not Invitation.objects.filter(organization=gym_a).exists()


def test_invalid_email_is_refused(owner, gym_a):
    with pytest.raises(ApplicationError) as error:
        invite(owner, gym_a, email="nope")
    assert error.value.field == "email"


def test_inviting_an_existing_member_is_refused(owner, gym_a):
    member = TrainerFactory()
    with pytest.raises(ApplicationError, match="already a member"):
        invite(owner, gym_a, email=member.user.email.upper())


def test_a_second_pending_invitation_for_the_same_email_is_refused(owner, gym_a):
    invite(owner, gym_a)
    with pytest.raises(ApplicationError, match="resend"):
        invite(owner, gym_a)


def test_seat_limit_counts_members_and_pending_invitations(owner, gym_a):
    gym_a.seat_limit = 3
    gym_a.save(update_fields=["seat_limit"])
    TrainerFactory()
    invite(owner, gym_a, email="third@example.com")  # owner + trainer + pending = 3
    with pytest.raises(ApplicationError, match="seats"):
        invite(owner, gym_a, email="fourth@example.com")


def test_pending_invitation_cap(owner, gym_a):
    gym_a.pending_invitation_limit = 2
    gym_a.save(update_fields=["pending_invitation_limit"])
    invite(owner, gym_a, email="one@example.com")
    invite(owner, gym_a, email="two@example.com")
    with pytest.raises(ApplicationError, match="pending invitations"):
        invite(owner, gym_a, email="three@example.com")


def test_daily_cap_counts_revoked_invitations_too(owner, gym_a):
    gym_a.daily_invitation_limit = 2
    gym_a.save(update_fields=["daily_invitation_limit"])
    for email in ("one@example.com", "two@example.com"):
        invitations.invitation_revoke(actor=owner, invitation=invite(owner, gym_a, email=email))
    with pytest.raises(ApplicationError, match="for today"):
        invite(owner, gym_a, email="three@example.com")


def test_yesterdays_invitations_do_not_count_against_today(owner, gym_a):
    gym_a.daily_invitation_limit = 1
    gym_a.save(update_fields=["daily_invitation_limit"])
    InvitationFactory(organization=gym_a, created_at=timezone.now() - timedelta(days=2))
    assert invite(owner, gym_a).pk


# --- resend and revoke ------------------------------------------------------------------------


def test_resend_rotates_the_token(owner, gym_a, client_a, django_capture_on_commit_callbacks):
    invitation = InvitationFactory(organization=gym_a, token="old-token-" + "y" * 40)
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invitation_resend(actor=owner, invitation=invitation)
    new_token = mail.outbox[0].body.split("/invitations/")[1].split("/")[0]
    assert new_token != "old-token-" + "y" * 40
    connection.set_schema_to_public()
    assert client_a.get("/invitations/old-token-" + "y" * 40 + "/").status_code == 404
    assert client_a.get(f"/invitations/{new_token}/").status_code == 200


def test_resend_revives_an_expired_invitation(owner, gym_a):
    invitation = InvitationFactory(organization=gym_a, expires_at=timezone.now() - timedelta(days=1))
    invitations.invitation_resend(actor=owner, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_revoke_kills_the_link(owner, gym_a, client_a):
    invitation = InvitationFactory(organization=gym_a, token="revoked-" + "z" * 40)
    invitations.invitation_revoke(actor=owner, invitation=invitation)
    connection.set_schema_to_public()
    response = client_a.get("/invitations/revoked-" + "z" * 40 + "/")
    assert response.status_code == 410
    assert b"revoked" in response.content


def test_revoked_and_accepted_invitations_cannot_be_resent(owner, gym_a):
    revoked = InvitationFactory(organization=gym_a, revoked_at=timezone.now())
    accepted = InvitationFactory(organization=gym_a, accepted_at=timezone.now())
    for invitation in (revoked, accepted):
        with pytest.raises(ApplicationError):
            invitations.invitation_resend(actor=owner, invitation=invitation)


def test_senior_cannot_manage_an_owner_invitation(senior, gym_a):
    invitation = InvitationFactory(organization=gym_a, role=Role.OWNER)
    with pytest.raises(ApplicationError):
        invitations.invitation_revoke(actor=senior, invitation=invitation)


def test_email_task_skips_a_token_that_was_rotated(owner, gym_a):
    from tenants.tasks import send_invitation_email

    invitation = InvitationFactory(organization=gym_a, token="stale-" + "q" * 40)
    invitations.invitation_resend(actor=owner, invitation=invitation)
    mail.outbox.clear()
    assert send_invitation_email.apply(args=[invitation.pk, "stale-" + "q" * 40]).get() is None
    assert mail.outbox == []


# --- accepting --------------------------------------------------------------------------------

TOKEN = "accept-me-" + "k" * 40
ACCEPT_FORM = {"full_name": "Nina New", "password1": "a-Strong-passw0rd", "password2": "a-Strong-passw0rd"}


def test_get_shows_the_form_and_consumes_nothing(gym_a, client_a):
    invitation = InvitationFactory(organization=gym_a, token=TOKEN, role=Role.SENIOR)
    for _ in range(3):
        response = client_a.get(f"/invitations/{TOKEN}/")
        assert response.status_code == 200
        assert invitation.email.encode() in response.content
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accepting_creates_the_account_and_lands_signed_in_on_the_dashboard(gym_a, client_a):
    invitation = InvitationFactory(organization=gym_a, token=TOKEN, role=Role.SENIOR)
    response = client_a.post(f"/invitations/{TOKEN}/", ACCEPT_FORM, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert b"Hello, Nina New" in response.content
    connection.set_tenant(gym_a)
    trainer = Trainer.objects.select_related("user").get(user__email=invitation.email)
    assert trainer.role == Role.SENIOR
    assert trainer.user.check_password(ACCEPT_FORM["password1"])
    assert trainer.user.emailaddress_set.get().verified
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_a_used_link_cannot_be_used_again(gym_a, client_a):
    InvitationFactory(organization=gym_a, token=TOKEN)
    client_a.post(f"/invitations/{TOKEN}/", ACCEPT_FORM)
    client_a.logout()
    response = client_a.post(f"/invitations/{TOKEN}/", ACCEPT_FORM | {"full_name": "Someone Else"})
    assert response.status_code == 410
    assert b"already been used" in response.content
    connection.set_tenant(gym_a)
    assert User.objects.filter(full_name="Someone Else").count() == 0


def test_an_expired_link_is_refused(gym_a, client_a):
    InvitationFactory(organization=gym_a, token=TOKEN, expires_at=timezone.now() - timedelta(minutes=1))
    response = client_a.post(f"/invitations/{TOKEN}/", ACCEPT_FORM)
    assert response.status_code == 410
    assert b"expired" in response.content


def test_a_link_of_another_gym_is_refused_on_this_host(gym_a, gym_b, client_b):
    InvitationFactory(organization=gym_a, token=TOKEN)
    assert client_b.get(f"/invitations/{TOKEN}/").status_code == 404
    assert client_b.post(f"/invitations/{TOKEN}/", ACCEPT_FORM).status_code == 404
    connection.set_tenant(gym_b)
    assert not User.objects.exists()
    connection.set_tenant(gym_a)
    assert not User.objects.exists()


def test_invitation_links_do_not_exist_on_the_root_host(gym_a, root_client):
    InvitationFactory(organization=gym_a, token=TOKEN)
    assert root_client.get(f"/invitations/{TOKEN}/").status_code == 404


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (ACCEPT_FORM | {"password2": "different-passw0rd"}, b"differ"),
        (ACCEPT_FORM | {"password1": "short", "password2": "short"}, b"too short"),
        (ACCEPT_FORM | {"full_name": ""}, b"required"),
    ],
)
def test_bad_accept_input_shows_a_message_and_keeps_the_invitation(gym_a, client_a, form, message):
    invitation = InvitationFactory(organization=gym_a, token=TOKEN)
    response = client_a.post(f"/invitations/{TOKEN}/", form)
    assert response.status_code == 400
    assert message in response.content
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accept_refused_when_the_gym_is_full(gym_a, client_a, in_gym_a):
    gym_a.seat_limit = 1
    gym_a.save(update_fields=["seat_limit"])
    TrainerFactory(role=Role.OWNER)
    InvitationFactory(organization=gym_a, token=TOKEN)
    connection.set_schema_to_public()
    response = client_a.post(f"/invitations/{TOKEN}/", ACCEPT_FORM)
    assert response.status_code == 400
    assert b"no free seat" in response.content


def test_two_racing_accepts_make_exactly_one_account(django_db_setup, django_db_blocker):
    """Two threads, two connections, one token: one account, one clear refusal."""
    from tenants.models import Organization

    token = "race-" + "r" * 40
    with django_db_blocker.unblock():
        organization = Organization.objects.get(slug="alpha")
        with transaction.atomic():
            invitation = InvitationFactory(organization=organization, token=token, email="racer@example.com")
        barrier = threading.Barrier(2)
        outcomes = []

        def accept(name):
            try:
                connection.set_tenant(organization)
                barrier.wait(timeout=10)
                invitations.invitation_accept(
                    organization=organization, token=token, full_name=name, password="a-Strong-passw0rd"
                )
                outcomes.append("ok")
            except ApplicationError as error:
                outcomes.append(error.message)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=accept, args=(f"Racer {n}",)) for n in range(2)]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
            connection.set_tenant(organization)
            users = list(User.objects.filter(email="racer@example.com"))
            assert len(users) == 1
            assert sorted(outcomes) == sorted(["ok", "This invitation has already been used. Sign in instead."])
        finally:
            connection.set_tenant(organization)
            for user in User.objects.filter(email="racer@example.com"):
                Trainer.objects.filter(user=user).delete()
                user.emailaddress_set.all().delete()
                user.delete()
            connection.set_schema_to_public()
            invitation.delete()


# --- the expiry line: the gym's timezone and the inviter's language ----------------------------


@pytest.fixture
def seoul_gym(gym_a):
    Organization.objects.filter(pk=gym_a.pk).update(timezone="Asia/Seoul")
    gym_a.timezone = "Asia/Seoul"
    yield gym_a
    gym_a.timezone = Organization.objects.get(pk=gym_a.pk).timezone


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("en", "The link works once and expires on 10 Dec 2026, 15:48 (Asia/Seoul)."),
        ("ko", "이 링크는 한 번만 사용할 수 있으며 2026년 12월 10일 15:48(Asia/Seoul)에 만료됩니다."),
    ],
)
def test_the_expiry_is_written_in_the_gyms_timezone_and_language(in_gym_a, seoul_gym, language, line):
    """06:48 UTC is 15:48 in Seoul: the mail used to print the UTC time next to "(Asia/Seoul)"."""
    from tenants.tasks import send_invitation_email

    expires_at = datetime(2026, 12, 10, 6, 48, tzinfo=UTC)
    invitation = InvitationFactory(organization=seoul_gym, token="seoul-" + "s" * 40, expires_at=expires_at)
    send_invitation_email.apply(args=[invitation.pk, "seoul-" + "s" * 40, language]).get()
    (email,) = mail.outbox
    assert line in email.body.splitlines()
    assert line in email.alternatives[0][0]


def test_an_invitation_mail_speaks_the_inviters_language(owner, seoul_gym, django_capture_on_commit_callbacks):
    with translation.override("ko"), django_capture_on_commit_callbacks(execute=True):
        invitation = invite(owner, seoul_gym)
    (email,) = mail.outbox
    local = timezone.localtime(invitation.expires_at, ZoneInfo("Asia/Seoul"))
    assert f"{local.year}년 {local.month}월 {local.day}일 {local:%H:%M}(Asia/Seoul)에 만료됩니다." in email.body
