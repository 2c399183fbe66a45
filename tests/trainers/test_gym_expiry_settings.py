"""The owner's expiry policy for packages (issue 15): unused credits are forfeited, or a package with credits left is
extended once by 1-365 days. Checked at the form and again in the service, every error at once, audited."""

import pytest

from apps.audit.models import AuditEntry
from apps.core.errors import ApplicationError
from apps.team.gym_settings import gym_settings_update
from tenants.models import DEFAULT_ACCENT_COLOUR, Organization, PackageExpiryPolicy, Role
from tests.support import in_gym, member

URL = "/team/settings/"
DAYS_MESSAGE = "Enter a whole number of days from 1 to 365."
POLICY_MESSAGE = "Choose whether unused credits are forfeited or the package is extended."


@pytest.fixture
def owner(gym_a):
    return member(gym_a, Role.OWNER, user__full_name="Olga Owner")


@pytest.fixture
def as_owner(client_a, owner):
    return client_a.login_as(owner)


def gym():
    return Organization.objects.get(slug="alpha")


def form_data(**overrides):
    return {
        "name": "Alpha Gym",
        "timezone": "UTC",
        "late_cancellation_hours": "24",
        "accent_colour": DEFAULT_ACCENT_COLOUR,
        "paper_size": "A4",
        "currency": "USD",
        "default_vat_percent": "0",
        "default_pricing_mode": "inclusive",
        "default_card_fee_percent": "0",
        "package_expiry_policy": "forfeit",
        "package_extension_days": "30",
        **overrides,
    }


def service_args(**overrides):
    return {
        "name": "Alpha Gym",
        "timezone_name": "UTC",
        "late_cancellation_hours": 24,
        "accent_colour": DEFAULT_ACCENT_COLOUR,
        "paper_size": "A4",
        **overrides,
    }


def settings_entries(organization):
    return in_gym(organization, lambda: list(AuditEntry.objects.filter(action="organization.settings_update")))


def test_a_new_gym_forfeits_unused_credits_and_would_extend_by_30_days(gym_a):
    assert (gym().package_expiry_policy, gym().package_extension_days) == (PackageExpiryPolicy.FORFEIT, 30)


def test_the_page_shows_the_policy_in_its_own_section(gym_a, as_owner):
    page = as_owner.get(URL)
    sections = {key: [field.name for field in fields] for key, _title, fields in page.context["form"].sections()}
    assert sections["packages"] == ["package_expiry_policy", "package_extension_days"]
    html = page.content.decode()
    assert 'id="packages"' in html
    assert "Unused credits are forfeited: the package expires" in html
    assert "The package is extended once, then expires" in html
    assert 'name="package_extension_days" value="30"' in html


def test_the_owner_chooses_an_extension_and_it_is_audited(gym_a, as_owner):
    response = as_owner.post(URL, form_data(package_expiry_policy="extend", package_extension_days="45"))
    assert response.status_code == 302
    assert (gym().package_expiry_policy, gym().package_extension_days) == ("extend", 45)
    [entry] = settings_entries(gym_a)
    assert entry.changes == {"package_expiry_policy": ["forfeit", "extend"], "package_extension_days": [30, 45]}
    assert entry.sentence == "Gym settings changed: when a package expires, package extension (days)."
    # Saving the same again changes nothing and records nothing.
    assert as_owner.post(URL, form_data(package_expiry_policy="extend", package_extension_days="45")).status_code == 302
    assert len(settings_entries(gym_a)) == 1


@pytest.mark.parametrize("days", ["1", "365"])
def test_the_extension_limits_are_accepted(gym_a, as_owner, days):
    assert as_owner.post(URL, form_data(package_expiry_policy="extend", package_extension_days=days)).status_code == 302
    assert gym().package_extension_days == int(days)


@pytest.mark.parametrize("days", ["0", "366", "-5", "1.5", "many"])
def test_bad_extensions_are_refused_with_every_other_error(gym_a, as_owner, days):
    response = as_owner.post(
        URL,
        form_data(name="", package_expiry_policy="extend", package_extension_days=days, late_cancellation_hours="x"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["package_extension_days"] == [DAYS_MESSAGE]
    assert set(errors) == {"name", "late_cancellation_hours", "package_extension_days"}
    assert (gym().package_expiry_policy, gym().package_extension_days) == ("forfeit", 30)


def test_an_extension_needs_its_length_but_forfeiting_does_not(gym_a, as_owner):
    response = as_owner.post(URL, form_data(package_expiry_policy="extend", package_extension_days=""))
    assert response.status_code == 400
    assert response.context["form"].errors == {"package_extension_days": [DAYS_MESSAGE]}
    # Forfeiting with the field emptied keeps the stored length for a later switch.
    assert as_owner.post(URL, form_data(package_extension_days="")).status_code == 302
    assert gym().package_extension_days == 30


def test_an_unknown_policy_is_refused(gym_a, as_owner):
    response = as_owner.post(URL, form_data(package_expiry_policy="sometimes"))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["package_expiry_policy"]


def test_the_service_checks_the_same_rules_all_at_once(gym_a, owner):
    with pytest.raises(ApplicationError) as refused:
        in_gym(
            gym_a,
            gym_settings_update,
            actor=owner,
            **service_args(name="", package_expiry_policy="never", package_extension_days=0),
        )
    assert refused.value.field_errors == {
        "name": ["Give the gym a name."],
        "package_expiry_policy": [POLICY_MESSAGE],
        "package_extension_days": [DAYS_MESSAGE],
    }
    assert gym().package_expiry_policy == "forfeit"
    organization = in_gym(
        gym_a,
        gym_settings_update,
        actor=owner,
        **service_args(package_expiry_policy="extend", package_extension_days="7"),
    )
    assert (organization.package_expiry_policy, organization.package_extension_days) == ("extend", 7)
    # Left out (None): unchanged.
    in_gym(gym_a, gym_settings_update, actor=owner, **service_args(name="Renamed"))
    assert (gym().name, gym().package_expiry_policy, gym().package_extension_days) == ("Renamed", "extend", 7)


def test_only_the_owner_sets_it(gym_a):
    for role in (Role.SENIOR, Role.TRAINER, Role.ASSISTANT):
        with pytest.raises(ApplicationError, match="Only the owner"):
            in_gym(
                gym_a, gym_settings_update, actor=member(gym_a, role), **service_args(package_expiry_policy="extend")
            )
    assert gym().package_expiry_policy == "forfeit"
