from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation
from django_tenants.utils import schema_exists

from apps.core.errors import ApplicationError
from tenants import schema_factory
from tenants.models import Domain, Invitation, Organization, PooledSchema, Role, invitation_path
from tenants.services import organization_provision


def provision(slug="iron", **overrides):
    arguments = {"name": "Iron Temple", "slug": slug, "owner_email": "Owner@Iron.example"} | overrides
    return organization_provision(**arguments)


def test_provisioning_creates_schema_domain_and_owner_invitation(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        organization, token = provision(timezone_name="Asia/Seoul", currency="krw", default_vat_rate="0.1")

    assert organization.schema_name == "gym_iron"
    assert organization.currency == "KRW"
    assert organization.default_vat_rate == Decimal("0.1000")
    assert schema_exists("gym_iron")
    assert list(Domain.objects.filter(tenant=organization).values_list("domain", "is_primary")) == [
        ("iron.localhost", True)
    ]
    invitation = Invitation.objects.get(organization=organization)
    assert (invitation.email, invitation.role) == ("owner@iron.example", Role.OWNER)
    assert invitation.token_hash != token and len(token) >= 43  # 256 bits, stored hashed
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["owner@iron.example"]
    assert f"http://iron.localhost/invitations/{token}/" in mail.outbox[0].body
    assert mail.outbox[0].body.startswith("The platform team invited you to join")


def test_the_platform_team_is_named_in_the_readers_language(db):
    """Nothing is stored for the platform as inviter, so a Korean owner reads it in Korean."""
    organization, _token = provision()
    invitation = Invitation.objects.get(organization=organization)
    assert invitation.invited_by_name == ""
    with translation.override("ko"):
        assert str(invitation.inviter) == "플랫폼 팀"
    with translation.override("en"):
        assert str(invitation.inviter) == "The platform team"


def test_new_schema_is_current_and_has_the_tenant_tables(db):
    organization, _token = provision()
    assert schema_factory.schemas_with_pending_migrations([organization.schema_name]) == []
    connection.set_tenant(organization)
    from apps.trainers.models import Trainer

    assert Trainer.objects.count() == 0


def test_provisioning_takes_a_pooled_schema_when_one_is_ready(db):
    schema_factory.fill_pool(1)
    pooled = PooledSchema.objects.order_by("created_at").first()
    organization, _token = provision()
    assert not schema_exists(pooled.schema_name)
    assert schema_exists(organization.schema_name)
    assert not PooledSchema.objects.filter(pk=pooled.pk).exists()


def test_provisioning_clones_the_template_when_the_pool_is_dry(db):
    PooledSchema.objects.all().delete()
    organization, _token = provision()
    assert schema_exists(organization.schema_name)
    assert schema_factory.schemas_with_pending_migrations([organization.schema_name]) == []


def test_failed_provisioning_leaves_nothing_behind(db, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr("tenants.services.issue_invitation", broken)
    with pytest.raises(RuntimeError):
        provision()
    assert not schema_exists("gym_iron")
    assert not Organization.objects.filter(slug="iron").exists()
    assert not Domain.objects.filter(domain="iron.localhost").exists()
    assert not Invitation.objects.filter(email="owner@iron.example").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"slug": "www"}, "slug"),
        ({"slug": "admin"}, "slug"),
        ({"slug": "api"}, "slug"),
        ({"slug": "static"}, "slug"),
        ({"slug": "Iron Temple"}, "slug"),
        ({"slug": "a"}, "slug"),
        ({"slug": "-iron"}, "slug"),
        ({"slug": "iron--temple"}, "slug"),
        ({"slug": "iron_temple"}, "slug"),
        ({"owner_email": "not-an-email"}, "owner_email"),
        ({"name": "  "}, "name"),
        ({"timezone_name": "Mars/Olympus"}, "timezone"),
        ({"currency": "EURO"}, "currency"),
        ({"currency": "ZZZ"}, "currency"),  # three letters, but no currency
        ({"currency": "XAU"}, "currency"),  # gold: an ISO 4217 code, not money a gym is paid in
        ({"seat_limit": "many"}, "seat_limit"),
        ({"default_vat_rate": "1.5"}, "default_vat_rate"),
        ({"default_vat_rate": "0.123456"}, "default_vat_rate"),
        ({"default_vat_rate": "ten"}, "default_vat_rate"),
        ({"seat_limit": 0}, "seat_limit"),
    ],
)
def test_bad_input_is_refused_with_a_field_message(db, overrides, field):
    before = set(Organization.objects.values_list("slug", flat=True))
    with pytest.raises(ApplicationError) as error:
        provision(**overrides)
    assert error.value.field == field
    assert error.value.message
    assert set(Organization.objects.values_list("slug", flat=True)) == before


def test_every_bad_field_is_refused_at_once(db):
    with pytest.raises(ApplicationError) as error:
        provision(
            name=" ",
            slug="www",
            owner_email="nope",
            timezone_name="Mars/Olympus",
            currency="ZZZ",
            default_vat_rate="2",
            seat_limit=0,
        )
    assert set(error.value.field_errors) == {
        "name",
        "slug",
        "owner_email",
        "timezone",
        "currency",
        "default_vat_rate",
        "seat_limit",
    }
    assert error.value.field_errors["currency"] == [
        "Choose a currency from the list (an ISO 4217 code such as KRW, USD or EUR)."
    ]


def test_duplicate_slug_is_refused(db, gym_a):
    with pytest.raises(ApplicationError, match="already taken"):
        provision(slug=gym_a.slug)


def test_management_command_provisions(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("provision_organization", name="Iron Temple", slug="iron", owner_email="owner@iron.example")
    assert Organization.objects.get(slug="iron").name == "Iron Temple"
    assert mail.outbox[0].to == ["owner@iron.example"]


def test_management_command_reports_bad_input(db):
    with pytest.raises(CommandError, match="reserved"):
        call_command("provision_organization", name="X", slug="www", owner_email="owner@x.example")


def test_management_command_names_every_bad_option(db):
    with pytest.raises(CommandError) as error:
        call_command(
            "provision_organization",
            name="X",
            slug="www",
            owner_email="owner@x.example",
            currency="ZZZ",
            vat_rate="2",
            seat_limit="0",
        )
    lines = str(error.value).splitlines()
    assert [line.split(":")[0] for line in lines] == ["--slug", "--currency", "--vat-rate", "--seat-limit"]
    assert not Organization.objects.filter(slug="www").exists()


def test_invitation_path_is_on_the_gyms_own_host(db):
    organization, token = provision()
    assert organization.absolute_url(invitation_path(token)).startswith("http://iron.localhost/")
