import pytest
from django.db import connection
from django.test import override_settings

from apps.trainers.models import Trainer
from tests.factories import PASSWORD, TrainerFactory, UserFactory


@pytest.fixture
def tara(in_gym_a):
    trainer = TrainerFactory(user__email="tara@example.com", user__full_name="Tara")
    connection.set_schema_to_public()
    return trainer


def login(client, email="tara@example.com", password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_trainer_signs_in_with_email_and_out_again(tara, client_a):
    response = login(client_a)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert b"Hello, Tara" in client_a.get("/").content
    client_a.post("/accounts/logout/")
    assert client_a.get("/").status_code == 302


def test_wrong_password_gets_a_message(tara, client_a):
    response = login(client_a, password="wrong-password")
    assert response.status_code == 200
    assert b"not correct" in response.content


def test_failed_logins_are_rate_limited(tara, client_a):
    for _ in range(5):
        login(client_a, password="wrong-password")
    response = login(client_a)  # the right password no longer helps for a while
    assert b"Too many failed login attempts" in response.content
    assert client_a.get("/").status_code == 302


def test_sign_up_is_closed(gym_a, client_a):
    response = client_a.get("/accounts/signup/")
    assert b"Sign Up Closed" in response.content or b"closed" in response.content.lower()
    client_a.post("/accounts/signup/", {"email": "x@example.com", "password1": PASSWORD, "password2": PASSWORD})
    connection.set_tenant(gym_a)
    assert not Trainer.objects.filter(user__email="x@example.com").exists()


def test_a_deactivated_user_cannot_sign_in(tara, client_a):
    connection.set_tenant(client_a.organization)
    tara.user.is_active = False
    tara.user.save(update_fields=["is_active"])
    connection.set_schema_to_public()
    login(client_a)
    assert client_a.get("/").status_code == 302


def test_deactivating_a_trainer_ends_their_open_session(tara, client_a):
    client_a.login_as(tara)
    assert client_a.get("/").status_code == 200
    connection.set_tenant(client_a.organization)
    Trainer.objects.filter(pk=tara.pk).update(is_active=False)
    connection.set_schema_to_public()
    response = client_a.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client_a.session


def test_a_user_without_a_trainer_profile_is_not_let_in(gym_a, client_a, in_gym_a):
    user = UserFactory(email="stray@example.com")
    connection.set_schema_to_public()
    login(client_a, email=user.email)
    assert client_a.get("/").status_code == 302


def test_the_same_email_holds_separate_accounts_in_two_gyms(gym_a, gym_b, client_a, client_b):
    connection.set_tenant(gym_a)
    TrainerFactory(user__email="shared@example.com", user__full_name="In Alpha")
    connection.set_tenant(gym_b)
    bravo = TrainerFactory(user__email="shared@example.com", user__full_name="In Bravo")
    bravo.user.set_password("another-Strong-passw0rd")
    bravo.user.save()
    connection.set_schema_to_public()

    assert login(client_a, "shared@example.com").status_code == 302
    assert b"In Alpha" in client_a.get("/").content
    # Alpha's password does not open Bravo's account.
    assert login(client_b, "shared@example.com").status_code == 200
    assert login(client_b, "shared@example.com", "another-Strong-passw0rd").status_code == 302
    assert b"In Bravo" in client_b.get("/").content


def test_a_session_from_gym_a_is_worthless_on_gym_b(tara, client_a, gym_b):
    from django.test import Client

    login(client_a)
    cookie = client_a.cookies["sessionid"].value
    stranger = Client(HTTP_HOST=gym_b.host)
    stranger.cookies["sessionid"] = cookie
    response = stranger.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_session_and_csrf_cookies_are_host_only(tara, client_a):
    login(client_a)
    assert client_a.cookies["sessionid"]["domain"] == ""


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "100/m/ip"})
def test_password_reset_sends_a_link_on_the_gyms_host(tara, client_a):
    from django.core import mail

    response = client_a.post("/accounts/password/reset/", {"email": "tara@example.com"})
    assert response.status_code == 302
    (email,) = mail.outbox
    assert "http://alpha.localhost/accounts/password/reset/key/" in email.body
    assert "Alpha Gym" in email.subject


def test_adding_an_email_address_sends_a_verification_link_on_the_gyms_host(tara, client_a):
    from allauth.account.models import EmailAddress
    from django.core import mail

    client_a.login_as(tara)
    response = client_a.post("/accounts/email/", {"action_add": "", "email": "tara.new@example.com"})
    assert response.status_code == 302
    (email,) = mail.outbox
    assert email.to == ["tara.new@example.com"]
    link = email.body.split("go to ")[1].split()[0]
    assert link.startswith("http://alpha.localhost/accounts/confirm-email/")
    connection.set_tenant(client_a.organization)
    assert not EmailAddress.objects.get(email="tara.new@example.com").verified
    connection.set_schema_to_public()
    client_a.post(link.replace("http://alpha.localhost", ""))
    connection.set_tenant(client_a.organization)
    assert EmailAddress.objects.get(email="tara.new@example.com").verified
