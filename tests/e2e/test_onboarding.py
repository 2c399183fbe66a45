"""The foundation flow through a real browser, a real server and real SMTP.

A platform superuser provisions a gym in the Django admin; the owner's invitation arrives by SMTP, the owner
accepts it and invites a trainer from the Team page; the trainer's invitation arrives by SMTP, the trainer accepts
it in a fresh browser context, cannot open the Team page, signs out and signs in again through the login form.
"""

import uuid
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django_tenants.utils import schema_exists
from playwright.sync_api import expect

from apps.accounts.models import User
from tenants.models import Invitation, Organization
from tests.e2e.mail import invitation_link, text_body

pytestmark = pytest.mark.e2e

ADMIN_EMAIL = "staff@platform.example"
ADMIN_PASSWORD = "Platform-Staff-2024"
OWNER_NAME = "Olive Owner"
OWNER_PASSWORD = "Kettlebell-Swing-42"
TRAINER_NAME = "Tariq Trainer"
TRAINER_PASSWORD = "Deadlift-Tempo-77"
TRAINER_MESSAGE = "Welcome aboard! Mornings are yours."


def assert_invitation_email(recipients, message, *, to, gym, inviter, role, server, slug):
    assert recipients == [to]
    assert message["To"] == to
    assert message["Subject"] == f"You're invited to join {gym}"
    assert message["X-Gym"] == slug
    assert f"{inviter} invited you to join {gym} as {role}." in text_body(message)
    link = invitation_link(message)
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc) == ("http", f"{slug}.localhost:{server.port}"), link
    assert parts.path.startswith("/invitations/")
    return link


def test_a_gym_is_provisioned_and_its_owner_and_a_trainer_join(
    app_server, smtp_server, new_page, screenshots, committed_rows
):
    slug = f"e2e{uuid.uuid4().hex[:8]}"
    gym = f"Harbour Strength {slug[3:]}"
    owner_email = f"owner@{slug}.example"
    trainer_email = f"trainer@{slug}.example"
    User.objects.create_superuser(email=ADMIN_EMAIL, password=ADMIN_PASSWORD, full_name="Pat Platform")

    # 1. The platform superuser provisions the gym in the admin; a reserved slug is refused first.
    admin = new_page()
    admin.goto(f"{app_server.root_url}/admin/")
    expect(admin).to_have_url(f"{app_server.root_url}/admin/login/?next=/admin/")
    admin.locator("#id_username").fill(ADMIN_EMAIL)
    admin.locator("#id_password").fill(ADMIN_PASSWORD)
    screenshots(admin, "admin-login")
    admin.get_by_role("button", name="Log in").click()
    expect(admin).to_have_url(f"{app_server.root_url}/admin/")
    admin.locator("th[scope=row]").get_by_role("link", name="Organizations", exact=True).click()
    expect(admin).to_have_url(f"{app_server.root_url}/admin/tenants/organization/")
    admin.get_by_role("link", name="Add organization").click()
    expect(admin).to_have_url(f"{app_server.root_url}/admin/tenants/organization/add/")
    expect(admin.locator("h1")).to_have_text("Provision an organization")

    admin.get_by_label("Name").fill(gym)
    admin.get_by_label("Slug").fill("admin")
    admin.get_by_label("Owner's email").fill(owner_email)
    admin.get_by_label("Timezone").select_option("Asia/Seoul")
    admin.get_by_label("Currency").select_option("KRW")
    admin.get_by_label("Default VAT rate").fill("0.1")
    admin.get_by_label("Seat limit").fill("5")
    organizations_before = Organization.objects.count()
    admin.get_by_role("button", name="Provision").click()
    expect(admin.locator(".errorlist")).to_have_text("“admin” is reserved. Please choose another.")
    expect(admin.get_by_label("Name")).to_have_value(gym)  # the rest of the form is kept
    screenshots(admin, "admin-reserved-slug")
    assert Organization.objects.count() == organizations_before
    assert not Organization.objects.filter(slug="admin").exists()
    assert not schema_exists("gym_admin")

    admin.get_by_label("Slug").fill(slug)
    admin.get_by_role("button", name="Provision").click()
    expect(admin.locator(".messagelist .success")).to_have_text(
        f"{gym} is ready at {app_server.gym_url(slug)}; the owner's invitation is on its way to {owner_email}."
    )
    screenshots(admin, "admin-provisioned")
    organization = Organization.objects.get(slug=slug)
    assert admin.url == f"{app_server.root_url}/admin/tenants/organization/{organization.pk}/change/"
    assert (organization.name, organization.owner_email, organization.timezone) == (gym, owner_email, "Asia/Seoul")
    assert (organization.currency, str(organization.default_vat_rate), organization.seat_limit) == ("KRW", "0.1000", 5)
    assert schema_exists(organization.schema_name)
    assert Organization.objects.count() == organizations_before + 1

    # 2. The owner's invitation arrives by SMTP; the owner accepts it in the browser.
    recipients, message = smtp_server.next_message()
    owner_link = assert_invitation_email(
        recipients, message, to=owner_email, gym=gym, inviter="The platform team", role="Owner",
        server=app_server, slug=slug,
    )  # fmt: skip
    smtp_server.assert_empty()  # the refused submission sent nothing

    owner = new_page()
    owner.goto(owner_link)
    expect(owner.locator("h1")).to_have_text(f"Join {gym}")
    expect(owner.locator(".card")).to_contain_text(
        f"You were invited as Owner. Your sign-in email will be {owner_email}."
    )
    screenshots(owner, "owner-invitation")
    owner.get_by_label("Your name").fill(OWNER_NAME)
    owner.get_by_label("Password:", exact=True).fill(OWNER_PASSWORD)
    owner.get_by_label("Password (again)").fill(OWNER_PASSWORD + "-typo")
    owner.get_by_role("button", name="Create my account").click()
    expect(owner.locator(".errorlist")).to_have_text("The two passwords differ.")
    screenshots(owner, "owner-password-mismatch")
    connection.set_tenant(organization)
    try:
        assert not User.objects.exists(), "a refused acceptance creates no account"
    finally:
        connection.set_schema_to_public()

    expect(owner.get_by_label("Your name")).to_have_value(OWNER_NAME)
    owner.get_by_label("Password:", exact=True).fill(OWNER_PASSWORD)
    owner.get_by_label("Password (again)").fill(OWNER_PASSWORD)
    owner.get_by_role("button", name="Create my account").click()
    expect(owner).to_have_url(app_server.gym_url(slug))
    expect(owner.locator("h1")).to_have_text(f"Hello, {OWNER_NAME}")
    expect(owner.locator(".messages")).to_contain_text(f"Welcome to {gym}!")
    screenshots(owner, "owner-dashboard")

    # 3. The owner invites a trainer from the Team page.
    owner.get_by_role("navigation", name="Main").get_by_role("link", name="Team").click()
    expect(owner).to_have_url(app_server.gym_url(slug, "/team/"))
    expect(owner.locator("h1")).to_have_text("Team")
    owner.get_by_label("Email").fill(trainer_email)
    invite = owner.locator("form").filter(has=owner.get_by_role("button", name="Send invitation"))
    invite.get_by_label("Role").select_option(label="Trainer")  # the filters above the team have a "Role" too
    owner.get_by_label("Personal message (optional)").fill(TRAINER_MESSAGE)
    owner.get_by_role("button", name="Send invitation").click()
    expect(owner.locator(".messages")).to_contain_text(f"Invitation sent to {trainer_email}.")
    pending = owner.get_by_role("row").filter(has_text=trainer_email)
    expect(pending).to_contain_text("Trainer")
    expect(pending).to_contain_text("Pending")
    expect(pending).to_contain_text(OWNER_NAME)
    screenshots(owner, "owner-team-invited")

    recipients, message = smtp_server.next_message()
    trainer_link = assert_invitation_email(
        recipients, message, to=trainer_email, gym=gym, inviter=OWNER_NAME, role="Trainer",
        server=app_server, slug=slug,
    )  # fmt: skip
    assert TRAINER_MESSAGE in text_body(message)

    # The trainer accepts in a fresh browser context: none of the owner's cookies.
    trainer = new_page()
    assert trainer.context.cookies() == []
    trainer.goto(trainer_link)
    expect(trainer.locator("h1")).to_have_text(f"Join {gym}")
    expect(trainer.locator(".card")).to_contain_text(
        f"You were invited as Trainer. Your sign-in email will be {trainer_email}."
    )
    screenshots(trainer, "trainer-invitation")
    trainer.get_by_label("Your name").fill(TRAINER_NAME)
    trainer.get_by_label("Password:", exact=True).fill(TRAINER_PASSWORD)
    trainer.get_by_label("Password (again)").fill(TRAINER_PASSWORD)
    trainer.get_by_role("button", name="Create my account").click()
    expect(trainer).to_have_url(app_server.gym_url(slug))
    expect(trainer.locator("h1")).to_have_text(f"Hello, {TRAINER_NAME}")
    expect(trainer.get_by_role("navigation", name="Main").get_by_role("link", name="Team")).to_have_count(0)
    screenshots(trainer, "trainer-dashboard")

    response = trainer.goto(app_server.gym_url(slug, "/team/"))
    assert response.status == 403  # a page of other roles: said plainly
    expect(trainer.locator("h1")).to_have_text("Not available for your role")
    screenshots(trainer, "trainer-team-403")

    owner.reload()
    members = owner.get_by_role("row").filter(has_text=trainer_email)
    expect(members.first).to_contain_text(TRAINER_NAME)
    expect(owner.get_by_role("row").filter(has_text=trainer_email).filter(has_text="Accepted")).to_have_count(1)
    assert Invitation.objects.get(organization=organization, email=trainer_email).accepted_at is not None

    # 4. The trainer signs out, then signs in again through the login form.
    trainer.goto(app_server.gym_url(slug))
    trainer.get_by_role("button", name="Sign out").click()
    expect(trainer).to_have_url(app_server.gym_url(slug, "/accounts/login/"))
    trainer.goto(app_server.gym_url(slug))
    expect(trainer).to_have_url(app_server.gym_url(slug, "/accounts/login/?next=/"))  # signed out for real
    trainer.goto(app_server.gym_url(slug, "/accounts/login/"))
    expect(trainer.locator("h1")).to_have_text(f"Sign in to {gym}")
    trainer.locator("input[name=login]").fill(trainer_email)
    trainer.locator("input[name=password]").fill(TRAINER_PASSWORD)
    screenshots(trainer, "trainer-login")
    trainer.get_by_role("button", name="Sign in").click()
    expect(trainer).to_have_url(app_server.gym_url(slug))
    expect(trainer.locator("h1")).to_have_text(f"Hello, {TRAINER_NAME}")
    screenshots(trainer, "trainer-signed-in-again")
    smtp_server.assert_empty()
