"""The owner's money settings (issue 14, point 7): currency (ISO 4217 codes in use only), default VAT rate and mode,
card fee rate. Checked at the form and again in the service, every error at once, audited; packages already sold
keep their amounts and currency, new ones take the new defaults."""

from decimal import Decimal

import pytest
from django.db import connection

from apps.audit.models import AuditEntry
from apps.core.errors import ApplicationError
from apps.core.money import clean_currency, currency_choices, iso_currencies
from apps.team.gym_settings import gym_settings_update
from apps.training.models import SessionPackage
from apps.training.services import packages as package_services
from tenants.models import DEFAULT_ACCENT_COLOUR, Organization, Role
from tests.factories import ClientFactory
from tests.support import in_gym, member

URL = "/team/settings/"
RATE_MESSAGE = "Enter a percentage from 0 to below 100, with at most two decimals (such as 10 or 2.75)."
CURRENCY_MESSAGE = "Choose a currency from the list (an ISO 4217 code such as KRW, USD or EUR)."


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


# --- the currency list --------------------------------------------------------------------------------------------


def test_the_currencies_are_iso_4217_codes_in_use():
    codes = iso_currencies()
    assert {"KRW", "USD", "EUR", "JPY", "BHD", "GBP"} <= codes
    # Withdrawn codes, precious metals, funds and made-up ones are not currencies a gym is paid in.
    assert not {"ADP", "AFA", "XAU", "CLF", "XTS", "ZZZ"} & codes
    assert 140 < len(codes) < 170


@pytest.mark.parametrize("value", ["ZZZ", "XAU", "ADP", "", "  ", None, "US", "USDD", "₩"])
def test_other_codes_are_refused(value):
    with pytest.raises(ApplicationError) as refused:
        clean_currency(value)
    assert (refused.value.field, refused.value.message) == ("currency", CURRENCY_MESSAGE)


def test_codes_are_read_in_upper_case():
    assert clean_currency(" krw ") == "KRW"


def test_names_come_in_the_users_language():
    assert dict(currency_choices("en"))["KRW"] == "KRW: South Korean Won"
    assert dict(currency_choices("ko"))["KRW"] == "KRW: 대한민국 원"


# --- the service --------------------------------------------------------------------------------------------------


def test_the_service_writes_the_money_settings_and_audits_them(gym_a, owner):
    organization = in_gym(
        gym_a,
        gym_settings_update,
        actor=owner,
        **service_args(
            currency="krw", default_vat_rate="0.1", default_pricing_mode="exclusive", default_card_fee_rate="0.0275"
        ),
    )
    assert (
        organization.currency,
        organization.default_vat_rate,
        organization.default_pricing_mode,
        organization.default_card_fee_rate,
    ) == ("KRW", Decimal("0.1000"), "exclusive", Decimal("0.0275"))
    fresh = gym()
    assert (fresh.currency, fresh.default_vat_rate, fresh.default_card_fee_rate) == (
        "KRW",
        Decimal("0.1000"),
        Decimal("0.0275"),
    )
    [entry] = in_gym(gym_a, lambda: list(AuditEntry.objects.filter(action="organization.settings_update")))
    assert entry.changes == {
        "currency": ["USD", "KRW"],
        "default_vat_rate": ["0.0000", "0.1000"],
        "default_pricing_mode": ["inclusive", "exclusive"],
        "default_card_fee_rate": ["0.0000", "0.0275"],
    }
    assert entry.sentence == (
        "Gym settings changed: currency, default VAT rate, default VAT mode, default card fee rate."
    )


def test_the_service_reports_every_bad_field_at_once_and_writes_nothing(gym_a, owner):
    before = gym()
    with pytest.raises(ApplicationError) as refused:
        in_gym(
            gym_a,
            gym_settings_update,
            actor=owner,
            **service_args(
                name="",
                late_cancellation_hours=-1,
                currency="ZZZ",
                default_vat_rate="1",
                default_pricing_mode="maybe",
                default_card_fee_rate="0.00001",
            ),
        )
    assert refused.value.field_errors == {
        "name": ["Give the gym a name."],
        "late_cancellation_hours": ["Enter a whole number of hours from 0 to 336."],
        "currency": [CURRENCY_MESSAGE],
        "default_vat_rate": [RATE_MESSAGE],
        "default_pricing_mode": ["Choose whether prices include VAT or VAT is added."],
        "default_card_fee_rate": [RATE_MESSAGE],
    }
    after = gym()
    assert (after.name, after.currency, after.default_vat_rate) == (
        before.name,
        before.currency,
        before.default_vat_rate,
    )
    assert in_gym(gym_a, lambda: AuditEntry.objects.count()) == 0


@pytest.mark.parametrize(("value", "accepted"), [("0", True), ("0.9999", True), ("-0.01", False), ("abc", False)])
def test_rates_are_fractions_below_one(gym_a, owner, value, accepted):
    call = {"actor": owner, **service_args(default_vat_rate=value)}
    if accepted:
        assert in_gym(gym_a, gym_settings_update, **call).default_vat_rate == Decimal(value)
    else:
        with pytest.raises(ApplicationError, match="Enter a percentage"):
            in_gym(gym_a, gym_settings_update, **call)


def test_leaving_the_money_settings_out_keeps_them(gym_a, owner):
    in_gym(gym_a, gym_settings_update, actor=owner, **service_args(currency="EUR", default_vat_rate="0.2"))
    in_gym(gym_a, gym_settings_update, actor=owner, **service_args(name="Renamed"))
    fresh = gym()
    assert (fresh.name, fresh.currency, fresh.default_vat_rate) == ("Renamed", "EUR", Decimal("0.2000"))


def test_only_the_owner(gym_a):
    for role in (Role.SENIOR, Role.TRAINER, Role.ASSISTANT):
        actor = member(gym_a, role)
        with pytest.raises(ApplicationError, match="Only the owner"):
            in_gym(gym_a, gym_settings_update, actor=actor, **service_args(currency="EUR"))
    assert gym().currency == "USD"


# --- packages: sold ones keep their terms, new ones take the new defaults ------------------------------------------


def test_changing_the_currency_changes_no_package_sold(gym_a, owner):
    def sell():
        connection.tenant.refresh_from_db()  # what the next request's tenant reads
        client = ClientFactory(trainer=owner)
        return package_services.package_sell(actor=owner, client=client, name="Ten", total_sessions=10, price="500")

    before = in_gym(gym_a, sell)
    in_gym(
        gym_a,
        gym_settings_update,
        actor=owner,
        **service_args(currency="KRW", default_vat_rate="0.1", default_pricing_mode="exclusive"),
    )
    after = in_gym(gym_a, sell)
    old = in_gym(gym_a, lambda: SessionPackage.objects.get(pk=before.pk))
    assert (old.currency, old.price, old.vat_rate, old.gross_amount, old.pricing_mode) == (
        "USD",
        Decimal("500.000"),
        Decimal("0.0000"),
        Decimal("500.000"),
        "inclusive",
    )
    assert (after.currency, after.price, after.vat_rate, after.gross_amount, after.pricing_mode) == (
        "KRW",
        Decimal("500"),
        Decimal("0.1000"),
        Decimal("550"),
        "exclusive",
    )


# --- the page -----------------------------------------------------------------------------------------------------


def test_the_page_shows_the_money_settings_and_says_sold_packages_keep_theirs(gym_a, as_owner):
    page = as_owner.get(URL)
    content = page.content.decode()
    assert '<section class="card" id="money">' in content
    assert '<option value="USD" selected>USD: US Dollar</option>' in content
    assert "packages already sold keep their amounts and their currency" in content
    assert 'name="default_vat_percent"' in content and 'name="default_card_fee_percent"' in content
    assert 'value="exclusive"' in content


def test_the_currency_names_follow_the_users_language(gym_a, as_owner):
    as_owner.cookies["django_language"] = "ko"
    content = as_owner.get(URL, headers={"Accept-Language": "ko"}).content.decode()
    assert "KRW: 대한민국 원" in content


def test_the_page_saves_percentages_as_rates(gym_a, as_owner):
    response = as_owner.post(
        URL,
        form_data(
            currency="KRW", default_vat_percent="10", default_pricing_mode="exclusive", default_card_fee_percent="2.75"
        ),
    )
    assert response.status_code == 302
    fresh = gym()
    assert (fresh.currency, fresh.default_vat_rate, fresh.default_pricing_mode, fresh.default_card_fee_rate) == (
        "KRW",
        Decimal("0.1000"),
        "exclusive",
        Decimal("0.0275"),
    )
    page = as_owner.get(URL).content.decode()
    assert 'name="default_vat_percent" value="10"' in page
    assert 'name="default_card_fee_percent" value="2.75"' in page


def test_the_page_reports_every_money_error_at_once(gym_a, as_owner):
    response = as_owner.post(
        URL,
        form_data(currency="ZZZ", default_vat_percent="150", default_pricing_mode="", default_card_fee_percent="2.755"),
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "currency": [CURRENCY_MESSAGE],
        "default_vat_percent": [RATE_MESSAGE],
        "default_pricing_mode": ["This field is required."],
        "default_card_fee_percent": [RATE_MESSAGE],
    }
    assert gym().currency == "USD"


def test_a_currency_stored_before_the_list_was_checked_must_be_chosen_again(gym_a, as_owner):
    Organization.objects.filter(slug="alpha").update(currency="ZZZ")
    content = as_owner.get(URL).content.decode()
    # The first option, so the browser shows it: the owner sees that a currency is to be chosen.
    options = content.split('name="currency"', 1)[1]
    assert options.index('<option value="">Choose a currency</option>') < options.index('<option value="AED"')
    assert " selected>" not in options.split("</select>", 1)[0]
    response = as_owner.post(URL, form_data(currency=""))
    assert response.status_code == 400
    assert response.context["form"].errors == {"currency": ["This field is required."]}
