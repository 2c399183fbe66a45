import pytest
from django.core import mail
from django_tenants.utils import schema_exists

from apps.accounts.models import User
from tenants.models import Organization, OrganizationStatus

FORM = {
    "name": "Iron Temple",
    "slug": "iron",
    "owner_email": "owner@iron.example",
    "timezone": "Asia/Seoul",
    "currency": "KRW",
    "default_vat_rate": "0.1",
    "seat_limit": "5",
}


@pytest.fixture
def staff_client(root_client):
    admin = User.objects.create_superuser(email="staff@platform.example", password="x")
    root_client.force_login(admin)
    return root_client


def test_staff_provision_a_gym_from_the_admin(staff_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post("/admin/tenants/organization/add/", FORM, follow=True)
    assert response.status_code == 200
    assert "Iron Temple is ready at http://iron.localhost/" in response.content.decode()
    organization = Organization.objects.get(slug="iron")
    assert (organization.timezone, organization.currency, organization.seat_limit) == ("Asia/Seoul", "KRW", 5)
    assert schema_exists("gym_iron")
    assert mail.outbox[0].to == ["owner@iron.example"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"slug": "admin"}, "is reserved"),
        ({"slug": "alpha"}, "already taken"),
        ({"owner_email": "nope"}, "valid email"),
        ({"default_vat_rate": "2"}, "between 0 and 1"),
    ],
)
def test_bad_provisioning_input_is_shown_on_the_admin_form(staff_client, gym_a, change, message):
    before = Organization.objects.count()
    response = staff_client.post("/admin/tenants/organization/add/", FORM | change)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Organization.objects.count() == before


def test_the_admin_form_offers_iso_currencies_and_shows_every_error_at_once(staff_client, gym_a):
    page = staff_client.get("/admin/tenants/organization/add/").content.decode()
    assert '<option value="KRW">KRW: South Korean Won</option>' in page
    assert 'value="ZZZ"' not in page
    before = Organization.objects.count()
    bad = {"slug": "admin", "owner_email": "nope", "currency": "ZZZ", "default_vat_rate": "2", "seat_limit": "many"}
    response = staff_client.post("/admin/tenants/organization/add/", FORM | bad)
    assert response.status_code == 200
    errors = response.context["form"].errors
    # Django refuses the currency (not in the list) and the seats (not a number); the service still checks the rest.
    assert set(errors) == {"slug", "owner_email", "currency", "default_vat_rate", "seat_limit"}
    assert errors["default_vat_rate"] == [
        "The VAT rate is a fraction between 0 and 1 with at most 4 decimals (0.1 means 10%)."
    ]
    assert Organization.objects.count() == before


def test_an_organization_s_currency_is_the_owners_to_change_not_the_admins(staff_client, gym_a):
    """The gym's own settings are read-only for platform staff: a posted currency (even a made-up one) is ignored."""
    url = f"/admin/tenants/organization/{gym_a.pk}/change/"
    form = staff_client.get(url).context["adminform"].form
    assert "currency" not in form.fields
    data = {name: form.initial.get(name, "") for name in form.fields}
    data = {name: value for name, value in data.items() if value is not None}
    before = gym_a.currency
    inline = {"domains-TOTAL_FORMS": "0", "domains-INITIAL_FORMS": "0"}  # the domains are left as they are
    response = staff_client.post(url, {**data, **inline, "currency": "ZZZ"})
    assert response.status_code == 302, response.context["errors"]
    gym_a.refresh_from_db()
    assert gym_a.currency == before


def test_staff_suspend_and_reactivate_from_the_list(staff_client, gym_a):
    url = "/admin/tenants/organization/"
    staff_client.post(url, {"action": "suspend", "_selected_action": [gym_a.pk]})
    gym_a.refresh_from_db()
    assert gym_a.status == OrganizationStatus.SUSPENDED
    staff_client.post(url, {"action": "reactivate", "_selected_action": [gym_a.pk]})
    gym_a.refresh_from_db()
    assert gym_a.status == OrganizationStatus.ACTIVE


def test_organizations_cannot_be_deleted_from_the_admin(staff_client, gym_a):
    response = staff_client.post(f"/admin/tenants/organization/{gym_a.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Organization.objects.filter(pk=gym_a.pk).exists()


def test_the_admin_list_pages_answer(staff_client, gym_a):
    for url in ("/admin/", "/admin/tenants/organization/", "/admin/tenants/invitation/", "/admin/accounts/user/"):
        assert staff_client.get(url).status_code == 200, url
    assert staff_client.get(f"/admin/tenants/organization/{gym_a.pk}/change/").status_code == 200


def test_the_gyms_own_settings_are_read_only_for_staff(staff_client, gym_a):
    """The owner sets them on the gym's settings page (checked, audited); staff keep the plan's limits."""
    form = staff_client.get(f"/admin/tenants/organization/{gym_a.pk}/change/").context["adminform"].form
    own = ("currency", "default_vat_rate", "default_pricing_mode", "default_card_fee_rate", "timezone")
    for field in (*own, "package_expiry_policy", "package_extension_days"):
        assert field not in form.fields, field
    assert "seat_limit" in form.fields
